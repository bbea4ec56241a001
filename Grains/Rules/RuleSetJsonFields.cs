namespace Cashback.Grains.Rules;

/// <summary>The field names of the rule-set document, shared by its reader, its writer and its faults.</summary>
public static class RuleSetJsonFields
{
    public const string Document = "$";
    public const string Version = "version";
    public const string Description = "description";
    public const string Rules = "rules";

    public const string Id = "id";
    public const string Merchants = "merchants";
    public const string MinimumAmount = "minimumAmount";
    public const string Currency = "currency";
    public const string DaysOfWeek = "daysOfWeek";
    public const string TimeZone = "timeZone";
    public const string Percentage = "percentage";
    public const string ValidFrom = "validFrom";
    public const string ValidUntil = "validUntil";
    public const string MonthlyCapPerAccount = "monthlyCapPerAccount";
}
