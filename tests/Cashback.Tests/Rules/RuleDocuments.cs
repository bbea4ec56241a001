namespace Cashback.Tests.Rules;

/// <summary>Rule-set documents in the admin API's JSON format, for tests that PUT them.</summary>
internal static class RuleDocuments
{
    /// <summary>One rule <c>r1</c>: <paramref name="percentage"/> % at <paramref name="merchant"/>, any amount in USD, any day.</summary>
    public static string AnyDayAt(int version, string merchant, decimal percentage = 5m) => $$"""
        {
          "version": {{version}},
          "description": "test rule set {{version}}",
          "rules": [
            {
              "id": "r1",
              "description": "{{percentage}} % at {{merchant}}",
              "merchants": ["{{merchant}}"],
              "minimumAmount": 0,
              "currency": "USD",
              "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
              "timeZone": null,
              "percentage": {{percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)}},
              "validFrom": null,
              "validUntil": null,
              "monthlyCapPerAccount": null
            }
          ]
        }
        """;

    /// <summary>A valid version-2 document with one field of rule <c>r1</c> replaced by <paramref name="json"/>.</summary>
    public static string WithRuleField(string field, string json)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(AnyDayAt(2, "MerchantX"))!;
        document["rules"]![0]![field] = System.Text.Json.Nodes.JsonNode.Parse(json);
        return document.ToJsonString();
    }
}
