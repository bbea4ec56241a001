using System.Globalization;
using Cashback.Grains.Rules;

namespace Cashback.Tests.Rules;

public sealed class SeedRuleTests
{
    private static readonly RuleSet Seed = DefaultRuleSet.Load();

    private static RuleDecision Judge(decimal amount = 20m, string timestamp = Purchases.AFriday, string merchant = "MerchantX", string currency = "USD") =>
        RuleEvaluator.Evaluate(Seed, Purchases.Of(amount, timestamp, merchant, currency), RecordedCapUsage.Nothing);

    [Fact]
    public void the_example_purchase_of_the_original_system_earns_ten_percent()
    {
        var decision = Judge(20m, "2023-04-21T09:30:00Z");

        Assert.Equal(new RuleDecision(2.00m, "merchant-x-friday", DecisionReasons.Earned, null), decision);
        Assert.True(decision.Earned);
    }

    [Fact]
    public void a_purchase_of_14_99_earns_nothing()
    {
        var decision = Judge(14.99m);

        Assert.Equal(RuleDecision.Nothing(DecisionReasons.AmountBelowMinimum), decision);
        Assert.False(decision.Earned);
    }

    [Fact]
    public void a_purchase_of_exactly_15_00_earns_1_50()
    {
        var decision = Judge(15.00m);

        Assert.Equal(1.50m, decision.Cashback);
        Assert.Equal(DecisionReasons.Earned, decision.Reason);
    }

    public static TheoryData<decimal, decimal> RoundedAmounts => new()
    {
        { 15.55m, 1.56m },
        { 15.54m, 1.55m },
        { 15.545m, 1.55m },
        { 100.05m, 10.01m },
        { 27.50m, 2.75m },
        { 15.0001m, 1.50m },
        { 1_000_000_000m, 100_000_000m },
    };

    [Theory]
    [MemberData(nameof(RoundedAmounts))]
    public void cashback_is_rounded_to_cents_with_midpoints_away_from_zero(decimal amount, decimal expectedCashback)
    {
        var decision = Judge(amount);

        Assert.Equal(expectedCashback, decision.Cashback);
        Assert.Equal(2, decision.Cashback.Scale);
    }

    [Theory]
    [InlineData("2023-04-21T23:30:00-05:00")] // Saturday 04:30 in UTC
    [InlineData("2023-04-21T00:00:00+14:00")] // Thursday 10:00 in UTC
    [InlineData("2023-04-21T23:59:59-12:00")] // Saturday 11:59 in UTC
    [InlineData("2023-04-21T00:00:00Z")]
    [InlineData("2023-04-21T23:59:59.9999999Z")]
    [InlineData("2023-04-21T00:00:00+05:30")]
    public void a_purchase_on_a_friday_in_its_own_offset_earns(string timestamp)
    {
        var decision = Judge(timestamp: timestamp);

        Assert.Equal(2.00m, decision.Cashback);
        Assert.Equal("merchant-x-friday", decision.RuleId);
    }

    [Theory]
    [InlineData("2023-04-22T01:00:00+02:00")] // Friday 23:00 in UTC, but Saturday where it happened
    [InlineData("2023-04-20T23:59:59Z")]
    [InlineData("2023-04-22T00:00:00Z")]
    [InlineData("2023-04-20T23:00:00-05:00")] // Friday 04:00 in UTC
    [InlineData("2023-04-22T00:00:00+14:00")] // Friday 10:00 in UTC
    [InlineData("2023-04-24T12:00:00Z")]
    public void a_purchase_on_another_day_in_its_own_offset_earns_nothing(string timestamp)
    {
        Assert.Equal(RuleDecision.Nothing(DecisionReasons.DayNotEligible), Judge(timestamp: timestamp));
    }

    [Theory]
    [InlineData("MerchantX")]
    [InlineData("Merchant X")]
    [InlineData(" merchantx ")]
    [InlineData("MERCHANT X")]
    [InlineData("merchant x")]
    [InlineData("\tMerchantX\r\n")]
    public void the_merchant_is_matched_after_trimming_and_ignoring_case(string merchant)
    {
        Assert.Equal(2.00m, Judge(merchant: merchant).Cashback);
    }

    [Theory]
    [InlineData("Merchant  X")]
    [InlineData("MerchantY")]
    [InlineData("Merchant")]
    [InlineData("MerchantXY")]
    [InlineData("Merchant-X")]
    [InlineData("")]
    public void other_merchants_are_not_eligible(string merchant)
    {
        Assert.Equal(RuleDecision.Nothing(DecisionReasons.MerchantNotEligible), Judge(merchant: merchant));
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData("GBP")]
    [InlineData("USN")]
    public void a_purchase_in_another_currency_earns_nothing(string currency)
    {
        Assert.Equal(RuleDecision.Nothing(DecisionReasons.CurrencyNotEligible), Judge(currency: currency));
    }

    [Fact]
    public void a_refund_is_never_eligible()
    {
        var decision = RuleEvaluator.Evaluate(Seed, Purchases.Refund(20m), RecordedCapUsage.Nothing);

        Assert.Equal(RuleDecision.Nothing(DecisionReasons.NotAPurchase), decision);
    }

    [Theory]
    [InlineData("MerchantY", "EUR", "10.00", "2023-04-22T12:00:00Z", DecisionReasons.MerchantNotEligible)]
    [InlineData("MerchantX", "EUR", "10.00", "2023-04-22T12:00:00Z", DecisionReasons.CurrencyNotEligible)]
    [InlineData("MerchantX", "USD", "10.00", "2023-04-22T12:00:00Z", DecisionReasons.AmountBelowMinimum)]
    [InlineData("MerchantX", "USD", "15.00", "2023-04-22T12:00:00Z", DecisionReasons.DayNotEligible)]
    public void the_first_failing_condition_is_the_reason(string merchant, string currency, string amount, string timestamp, string reason)
    {
        var decision = Judge(decimal.Parse(amount, CultureInfo.InvariantCulture), timestamp, merchant, currency);

        Assert.Equal(RuleDecision.Nothing(reason), decision);
    }
}
