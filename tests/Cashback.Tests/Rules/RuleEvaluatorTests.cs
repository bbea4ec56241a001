using System.Globalization;
using Cashback.Grains.Rules;
using static Cashback.Tests.Rules.SampleRules;

namespace Cashback.Tests.Rules;

public sealed class RuleEvaluatorTests
{
    private static RuleDecision Judge(RuleSet ruleSet, string timestamp = Purchases.AFriday, decimal amount = 20m, IMonthlyCapUsage? capUsage = null) =>
        RuleEvaluator.Evaluate(ruleSet, Purchases.Of(amount, timestamp), capUsage ?? RecordedCapUsage.Nothing);

    [Fact]
    public void a_rule_set_without_rules_gives_nothing()
    {
        Assert.Equal(RuleDecision.Nothing(DecisionReasons.NoRules), Judge(SetOf()));
    }

    [Fact]
    public void a_refund_is_not_a_purchase_even_without_rules()
    {
        var decision = RuleEvaluator.Evaluate(SetOf(), Purchases.Refund(), RecordedCapUsage.Nothing);

        Assert.Equal(DecisionReasons.NotAPurchase, decision.Reason);
    }

    [Theory]
    [InlineData("2023-04-22T02:00:00Z", true)] // Saturday in UTC, Friday 22:00 in New York
    [InlineData("2023-04-22T11:00:00+09:00", true)] // the same moment seen from Tokyo
    [InlineData("2023-04-21T02:00:00Z", false)] // Friday in UTC, Thursday 22:00 in New York
    [InlineData("2023-04-21T04:00:00Z", true)] // Friday 00:00 EDT
    [InlineData("2023-04-22T03:59:59Z", true)] // Friday 23:59:59 EDT
    [InlineData("2023-04-22T04:00:00Z", false)] // Saturday 00:00 EDT
    [InlineData("2023-01-14T04:30:00Z", true)] // Friday 23:30 EST, UTC-5 in winter
    public void a_rule_with_a_time_zone_takes_the_day_of_week_in_that_zone(string timestamp, bool earns)
    {
        var rule = TenPercentAtMerchantX() with { DaysOfWeek = Fridays, TimeZone = Zone("America/New_York") };

        var decision = Judge(SetOf(rule), timestamp);

        Assert.Equal(earns ? DecisionReasons.Earned : DecisionReasons.DayNotEligible, decision.Reason);
        Assert.Equal(earns ? 2.00m : 0m, decision.Cashback);
    }

    [Theory]
    [InlineData("2023-04-01T00:00:00Z", true)] // validFrom is inclusive
    [InlineData("2023-03-31T23:59:59.9999999Z", false)]
    [InlineData("2023-04-01T01:59:59+02:00", false)] // 23:59:59 on 31 March in UTC
    [InlineData("2023-04-30T23:59:59Z", true)]
    [InlineData("2023-05-01T00:00:00Z", false)] // validUntil is exclusive
    [InlineData("2023-04-30T20:00:00-04:00", false)] // the very moment validUntil, seen from New York
    [InlineData("2023-05-01T01:00:00+02:00", true)] // 23:00 on 30 April in UTC
    public void a_rule_applies_only_inside_its_validity_window(string timestamp, bool earns)
    {
        var rule = TenPercentAtMerchantX() with
        {
            ValidFrom = Purchases.At("2023-04-01T00:00:00Z"),
            ValidUntil = Purchases.At("2023-05-01T00:00:00Z"),
        };

        var decision = Judge(SetOf(rule), timestamp);

        Assert.Equal(earns ? DecisionReasons.Earned : DecisionReasons.OutsideValidityWindow, decision.Reason);
    }

    [Fact]
    public void a_rule_without_an_end_applies_from_its_start_onwards()
    {
        var rule = TenPercentAtMerchantX() with { ValidFrom = Purchases.At("2023-04-21T12:00:00Z") };

        Assert.Equal(DecisionReasons.OutsideValidityWindow, Judge(SetOf(rule), "2023-04-21T11:59:59Z").Reason);
        Assert.Equal(DecisionReasons.Earned, Judge(SetOf(rule), "2030-01-01T00:00:00Z").Reason);
    }

    [Fact]
    public void the_most_generous_matching_rule_wins_and_rules_are_never_stacked()
    {
        var five = TenPercentAtMerchantX("five") with { Percentage = 5m };
        var twelve = TenPercentAtMerchantX("twelve") with { Percentage = 12m };
        var ten = TenPercentAtMerchantX("ten");

        var decision = Judge(SetOf(five, twelve, ten), amount: 100m);

        Assert.Equal(new RuleDecision(12.00m, "twelve", DecisionReasons.Earned, null), decision);
    }

    [Fact]
    public void equally_generous_rules_are_won_by_the_first_in_document_order()
    {
        var decision = Judge(SetOf(TenPercentAtMerchantX("first"), TenPercentAtMerchantX("second")));

        Assert.Equal("first", decision.RuleId);
    }

    [Fact]
    public void a_rule_that_does_not_match_never_wins_however_generous()
    {
        var generousElsewhere = TenPercentAtMerchantX("generous") with { Percentage = 50m, Merchants = ["MerchantY"] };
        var modest = TenPercentAtMerchantX("modest") with { Percentage = 1m };

        var decision = Judge(SetOf(generousElsewhere, modest));

        Assert.Equal(new RuleDecision(0.20m, "modest", DecisionReasons.Earned, null), decision);
    }

    [Fact]
    public void the_reported_failure_is_that_of_the_rule_that_got_furthest()
    {
        var otherMerchant = TenPercentAtMerchantX("other-merchant") with { Merchants = ["MerchantY"] };
        var bigSpenders = TenPercentAtMerchantX("big-spenders") with { MinimumAmount = 100m };
        var otherCurrency = TenPercentAtMerchantX("euro") with { Currency = "EUR" };

        var decision = Judge(SetOf(otherMerchant, bigSpenders, otherCurrency));

        Assert.Equal(RuleDecision.Nothing(DecisionReasons.AmountBelowMinimum), decision);
    }

    [Fact]
    public void a_capped_rule_credits_in_full_while_there_is_room_and_names_the_month()
    {
        var rule = TenPercentAtMerchantX("capped") with { MonthlyCapPerAccount = 5.00m };
        var usage = new RecordedCapUsage().With("capped", "2023-04", 2.50m);

        var decision = Judge(SetOf(rule), amount: 20m, capUsage: usage);

        Assert.Equal(new RuleDecision(2.00m, "capped", DecisionReasons.Earned, "2023-04"), decision);
    }

    [Theory]
    [InlineData("4.00", "1.00")]
    [InlineData("4.99", "0.01")]
    [InlineData("3.00", "2.00")]
    public void a_capped_rule_credits_no_more_than_the_room_left_this_month(string alreadyCredited, string expectedCashback)
    {
        var rule = TenPercentAtMerchantX("capped") with { MonthlyCapPerAccount = 5m };
        var usage = new RecordedCapUsage().With("capped", "2023-04", decimal.Parse(alreadyCredited, CultureInfo.InvariantCulture));

        var decision = Judge(SetOf(rule), amount: 20m, capUsage: usage);

        Assert.Equal(decimal.Parse(expectedCashback, CultureInfo.InvariantCulture), decision.Cashback);
        Assert.Equal(2, decision.Cashback.Scale);
        Assert.Equal("2023-04", decision.CapPeriod);
    }

    [Theory]
    [InlineData("5.00")]
    [InlineData("7.00")]
    public void a_capped_rule_gives_nothing_once_the_cap_is_reached(string alreadyCredited)
    {
        var rule = TenPercentAtMerchantX("capped") with { MonthlyCapPerAccount = 5.00m };
        var usage = new RecordedCapUsage().With("capped", "2023-04", decimal.Parse(alreadyCredited, CultureInfo.InvariantCulture));

        var decision = Judge(SetOf(rule), capUsage: usage);

        Assert.Equal(new RuleDecision(0m, null, DecisionReasons.MonthlyCapReached, "2023-04"), decision);
    }

    [Fact]
    public void credits_of_another_month_or_another_rule_leave_the_cap_untouched()
    {
        var rule = TenPercentAtMerchantX("capped") with { MonthlyCapPerAccount = 5.00m };
        var usage = new RecordedCapUsage().With("capped", "2023-03", 5.00m).With("other", "2023-04", 5.00m);

        Assert.Equal(2.00m, Judge(SetOf(rule), capUsage: usage).Cashback);
    }

    [Theory]
    [InlineData("2023-04-30T23:30:00-05:00", null, "2023-04")] // May in UTC
    [InlineData("2023-05-01T00:30:00+02:00", null, "2023-05")] // April in UTC
    [InlineData("2023-05-01T02:00:00Z", "America/New_York", "2023-04")]
    [InlineData("2023-04-30T16:00:00Z", "Asia/Tokyo", "2023-05")]
    public void the_cap_month_is_taken_in_the_rule_zone_or_else_the_timestamp_offset(string timestamp, string? zone, string expectedPeriod)
    {
        var rule = TenPercentAtMerchantX("capped") with
        {
            MonthlyCapPerAccount = 5.00m,
            TimeZone = zone is null ? null : Zone(zone),
        };

        Assert.Equal(expectedPeriod, Judge(SetOf(rule), timestamp).CapPeriod);
    }

    [Fact]
    public void a_capped_rule_trimmed_below_another_rule_loses_to_it()
    {
        var capped = TenPercentAtMerchantX("capped") with { MonthlyCapPerAccount = 5.00m };
        var modest = TenPercentAtMerchantX("modest") with { Percentage = 5m };
        var usage = new RecordedCapUsage().With("capped", "2023-04", 4.00m);

        var decision = Judge(SetOf(capped, modest), amount: 40m, capUsage: usage);

        Assert.Equal(new RuleDecision(2.00m, "modest", DecisionReasons.Earned, null), decision);
    }

    [Fact]
    public void a_capped_rule_at_its_cap_gives_way_to_an_uncapped_rule()
    {
        var capped = TenPercentAtMerchantX("capped") with { Percentage = 20m, MonthlyCapPerAccount = 5.00m };
        var modest = TenPercentAtMerchantX("modest") with { Percentage = 5m };
        var usage = new RecordedCapUsage().With("capped", "2023-04", 5.00m);

        var decision = Judge(SetOf(capped, modest), capUsage: usage);

        Assert.Equal(new RuleDecision(1.00m, "modest", DecisionReasons.Earned, null), decision);
    }

    [Fact]
    public void with_several_rules_at_their_cap_the_first_one_names_the_month()
    {
        var kiribati = TenPercentAtMerchantX("kiribati") with { MonthlyCapPerAccount = 1m, TimeZone = Zone("Pacific/Kiritimati") };
        var utc = TenPercentAtMerchantX("utc") with { MonthlyCapPerAccount = 1m };
        var usage = new RecordedCapUsage().With("kiribati", "2023-05", 1m).With("utc", "2023-04", 1m);

        var decision = Judge(SetOf(kiribati, utc), "2023-04-30T12:00:00Z", capUsage: usage);

        Assert.Equal(new RuleDecision(0m, null, DecisionReasons.MonthlyCapReached, "2023-05"), decision);
    }

    [Theory]
    [InlineData("0.04", "0")]
    [InlineData("0.05", "0.01")]
    public void a_cashback_that_rounds_below_one_cent_earns_nothing(string amount, string expectedCashback)
    {
        var decision = Judge(SetOf(TenPercentAtMerchantX()), amount: decimal.Parse(amount, CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(expectedCashback, CultureInfo.InvariantCulture), decision.Cashback);
        Assert.Equal(decision.Earned ? DecisionReasons.Earned : DecisionReasons.CashbackBelowOneCent, decision.Reason);
    }

    [Fact]
    public void a_rule_for_several_days_accepts_each_of_them()
    {
        var weekend = TenPercentAtMerchantX("weekend") with { DaysOfWeek = [DayOfWeek.Saturday, DayOfWeek.Sunday] };

        Assert.Equal(DecisionReasons.Earned, Judge(SetOf(weekend), "2023-04-22T10:00:00Z").Reason);
        Assert.Equal(DecisionReasons.Earned, Judge(SetOf(weekend), "2023-04-23T10:00:00Z").Reason);
        Assert.Equal(DecisionReasons.DayNotEligible, Judge(SetOf(weekend), "2023-04-24T10:00:00Z").Reason);
    }

    [Fact]
    public void the_static_provider_always_serves_the_rule_set_it_was_given()
    {
        var ruleSet = SetOf(TenPercentAtMerchantX());

        IRuleSetProvider provider = new StaticRuleSetProvider(ruleSet);

        Assert.Same(ruleSet, provider.Current);
    }
}
