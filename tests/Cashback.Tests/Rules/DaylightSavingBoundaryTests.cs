using Cashback.Grains.Rules;
using static Cashback.Tests.Rules.SampleRules;

namespace Cashback.Tests.Rules;

/// <summary>Day and month boundaries of rules with a time zone on both sides of the 2023 daylight-saving changes.</summary>
public sealed class DaylightSavingBoundaryTests
{
    private static RuleDecision Judge(CashbackRule rule, string timestamp, decimal amount = 20m) =>
        RuleEvaluator.Evaluate(SetOf(rule), Purchases.Of(amount, timestamp), RecordedCapUsage.Nothing);

    [Theory]
    [InlineData("2023-03-11T04:59:59Z", false)] // Friday 23:59:59 EST
    [InlineData("2023-03-11T05:00:00Z", true)] // Saturday 00:00 EST
    [InlineData("2023-03-12T06:59:59Z", true)] // Sunday 01:59:59 EST, the last second before the clocks spring forward
    [InlineData("2023-03-12T07:00:00Z", true)] // Sunday 03:00 EDT
    [InlineData("2023-03-13T03:59:59Z", true)] // Sunday 23:59:59 EDT
    [InlineData("2023-03-13T04:00:00Z", false)] // Monday 00:00 EDT: the weekend ended an hour earlier in UTC than it began
    [InlineData("2023-11-04T03:59:59Z", false)] // Friday 23:59:59 EDT
    [InlineData("2023-11-04T04:00:00Z", true)] // Saturday 00:00 EDT
    [InlineData("2023-11-05T05:30:00Z", true)] // Sunday 01:30 EDT, the first time
    [InlineData("2023-11-05T06:30:00Z", true)] // Sunday 01:30 EST, the second time
    [InlineData("2023-11-06T04:59:59Z", true)] // Sunday 23:59:59 EST
    [InlineData("2023-11-06T05:00:00Z", false)] // Monday 00:00 EST: the weekend ended an hour later in UTC than it began
    public void a_weekend_rule_in_new_york_follows_the_local_clock_across_daylight_saving_changes(string timestamp, bool earns)
    {
        var weekend = TenPercentAtMerchantX("ny-weekend") with
        {
            DaysOfWeek = [DayOfWeek.Saturday, DayOfWeek.Sunday],
            TimeZone = Zone("America/New_York"),
        };

        Assert.Equal(earns ? DecisionReasons.Earned : DecisionReasons.DayNotEligible, Judge(weekend, timestamp).Reason);
    }

    [Theory]
    [InlineData("2023-03-01T04:59:59Z", "America/New_York", "2023-02")]
    [InlineData("2023-03-01T05:00:00Z", "America/New_York", "2023-03")] // midnight EST
    [InlineData("2023-04-01T03:59:59Z", "America/New_York", "2023-03")]
    [InlineData("2023-04-01T04:00:00Z", "America/New_York", "2023-04")] // midnight EDT
    [InlineData("2023-11-01T03:59:59Z", "America/New_York", "2023-10")]
    [InlineData("2023-11-01T04:00:00Z", "America/New_York", "2023-11")] // midnight EDT
    [InlineData("2023-12-01T04:59:59Z", "America/New_York", "2023-11")]
    [InlineData("2023-12-01T05:00:00Z", "America/New_York", "2023-12")] // midnight EST again
    [InlineData("2023-03-31T21:59:59Z", "Europe/Berlin", "2023-03")]
    [InlineData("2023-03-31T22:00:00Z", "Europe/Berlin", "2023-04")] // midnight CEST
    [InlineData("2023-10-31T22:59:59Z", "Europe/Berlin", "2023-10")]
    [InlineData("2023-10-31T23:00:00Z", "Europe/Berlin", "2023-11")] // midnight CET
    public void the_cap_month_turns_at_local_midnight_whichever_offset_the_zone_is_on(string timestamp, string zone, string expectedPeriod)
    {
        var capped = TenPercentAtMerchantX("capped") with { TimeZone = Zone(zone), MonthlyCapPerAccount = 5.00m };

        Assert.Equal(expectedPeriod, Judge(capped, timestamp).CapPeriod);
    }

    [Theory]
    [InlineData("25.4999", DecisionReasons.AmountBelowMinimum)]
    [InlineData("25.50", DecisionReasons.Earned)] // the minimum is inclusive
    public void the_minimum_amount_is_compared_to_the_last_of_four_decimals(string amount, string reason)
    {
        var rule = TenPercentAtMerchantX() with { MinimumAmount = 25.50m };

        Assert.Equal(reason, Judge(rule, Purchases.AFriday, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).Reason);
    }
}
