namespace Cashback.Tests.Pipeline;

/// <summary>The seed rule of SPEC §3 written again, independently of the rule engine, to judge the pipeline.</summary>
public static class SeedRuleOracle
{
    public static decimal CashbackFor(decimal amount, DateTimeOffset timestamp, string merchantId, string currency)
    {
        var merchant = merchantId.Trim().ToUpperInvariant();
        var eligible = currency == "USD"
            && amount >= 15.00m
            && merchant is "MERCHANTX" or "MERCHANT X"
            && timestamp.DayOfWeek == DayOfWeek.Friday; // DateTimeOffset.DayOfWeek is the day in its own offset
        return eligible ? Math.Round(amount / 10m, 2, MidpointRounding.AwayFromZero) : 0m;
    }
}
