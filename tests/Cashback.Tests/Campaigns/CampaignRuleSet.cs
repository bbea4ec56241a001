using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Campaigns;

/// <summary>
/// A rule set like a rewards team runs it: several overlapping rules, IANA time zones on both sides of the Atlantic and
/// in Asia, a validity window, monthly caps. The silo reads it from a file (<c>Rules:DefaultRuleSetPath</c>).
/// </summary>
public static class CampaignRuleSet
{
    public const int Version = 7;

    public const string Json = """
        {
          "version": 7,
          "description": "Campaigns of 2023",
          "rules": [
            {
              "id": "merchant-x-friday",
              "merchants": ["MerchantX", "Merchant X"],
              "minimumAmount": 15.00,
              "currency": "USD",
              "daysOfWeek": ["Friday"],
              "percentage": 10
            },
            {
              "id": "ny-weekend",
              "description": "5 % at weekends in New York, at most $12 a month",
              "merchants": ["MerchantX", "Corner Store"],
              "minimumAmount": 5.00,
              "currency": "USD",
              "daysOfWeek": ["Saturday", "Sunday"],
              "timeZone": "America/New_York",
              "percentage": 5,
              "monthlyCapPerAccount": 12.00
            },
            {
              "id": "berlin-summer",
              "merchants": ["Berliner Shop", "MerchantX"],
              "minimumAmount": 10.00,
              "currency": "EUR",
              "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
              "timeZone": "Europe/Berlin",
              "percentage": 15,
              "validFrom": "2023-03-20T00:00:00+01:00",
              "validUntil": "2023-11-01T00:00:00+01:00",
              "monthlyCapPerAccount": 20.00
            },
            {
              "id": "tokyo-everyday",
              "merchants": ["MerchantX", "Tokyo Mart"],
              "minimumAmount": 1.00,
              "currency": "USD",
              "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
              "timeZone": "Asia/Tokyo",
              "percentage": 2
            },
            {
              "id": "ny-friday-boost",
              "merchants": ["MerchantX"],
              "minimumAmount": 50.00,
              "currency": "USD",
              "daysOfWeek": ["Friday"],
              "timeZone": "America/New_York",
              "percentage": 12,
              "validFrom": "2023-03-01T00:00:00-05:00",
              "validUntil": "2023-12-01T00:00:00-05:00",
              "monthlyCapPerAccount": 8.00
            }
          ]
        }
        """;

    /// <summary>The silo settings that start it with this rule set.</summary>
    public static Dictionary<string, string?> SettingsLoadingIt(int idempotencyWindow) =>
        RuleSetFile.SettingsLoading(Json, idempotencyWindow);
}
