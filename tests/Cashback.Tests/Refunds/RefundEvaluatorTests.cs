using System.Globalization;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Refunds;

namespace Cashback.Tests.Refunds;

public sealed class RefundEvaluatorTests
{
    /// <summary>A $20 purchase that earned $2.00 under the seed rule, nothing reversed yet.</summary>
    private static readonly OriginalTransaction TwentyDollarPurchase =
        new(TransactionType.Purchase, 20m, "USD", 2.00m, "merchant-x-friday", 1, null, 0m);

    private static CardTransaction RefundOf(decimal amount, string currency = "USD") =>
        new("r-1", "123", amount, new DateTimeOffset(2023, 4, 24, 10, 0, 0, TimeSpan.Zero), "MerchantX", currency, TransactionType.Refund, "p-1");

    private static decimal Money(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void a_full_refund_reverses_all_the_cashback_under_the_rule_that_granted_it()
    {
        var original = TwentyDollarPurchase with { RuleSetVersion = 4, CapPeriod = "2023-04" };

        var decision = RefundEvaluator.Evaluate(RefundOf(20m), original);

        Assert.Equal(new RefundDecision(-2.00m, RefundReasons.Reversed, "merchant-x-friday", 4, "2023-04"), decision);
        Assert.Equal(2, decision.Cashback.Scale);
    }

    [Theory]
    [InlineData("10", "-1.00")]
    [InlineData("5", "-0.50")]
    [InlineData("0.05", "-0.01")] // 2.00 × 0.05 / 20 = 0.005: the midpoint rounds away from zero
    [InlineData("0.0499", "0")] // 0.00499 rounds to nothing
    [InlineData("19.99", "-2.00")] // 1.999 rounds to 2.00
    [InlineData("13.33", "-1.33")]
    public void a_partial_refund_reverses_the_proportional_cashback_rounded_to_cents_away_from_zero(string refunded, string expected)
    {
        var decision = RefundEvaluator.Evaluate(RefundOf(Money(refunded)), TwentyDollarPurchase);

        Assert.Equal(Money(expected), decision.Cashback);
        Assert.Equal(decision.Cashback == 0m ? RefundReasons.ReversalBelowOneCent : RefundReasons.Reversed, decision.Reason);
    }

    [Fact]
    public void the_proportion_is_taken_of_the_cashback_actually_credited_not_of_the_rule_percentage()
    {
        // A capped credit: $0.37 of a $27.50 purchase; half the purchase refunded takes back half of 0.37, 0.185 → 0.19.
        var capped = TwentyDollarPurchase with { Amount = 27.50m, Cashback = 0.37m };

        Assert.Equal(-0.19m, RefundEvaluator.Evaluate(RefundOf(13.75m), capped).Cashback);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("1000000")]
    public void a_refund_of_more_than_was_paid_reverses_no_more_than_the_original_cashback(string refunded)
    {
        Assert.Equal(-2.00m, RefundEvaluator.Evaluate(RefundOf(Money(refunded)), TwentyDollarPurchase).Cashback);
    }

    [Theory]
    [InlineData("1.50", "10", "-0.50")] // would be 1.00, only 0.50 is left
    [InlineData("1.99", "20", "-0.01")]
    [InlineData("1.00", "5", "-0.50")] // enough left: the full share
    public void a_later_partial_refund_reverses_at_most_what_earlier_refunds_left(string alreadyReversed, string refunded, string expected)
    {
        var original = TwentyDollarPurchase with { AlreadyReversed = Money(alreadyReversed) };

        Assert.Equal(Money(expected), RefundEvaluator.Evaluate(RefundOf(Money(refunded)), original).Cashback);
    }

    [Theory]
    [InlineData("2.00")]
    [InlineData("2.50")]
    public void a_refund_of_a_purchase_whose_cashback_is_all_reversed_takes_nothing_more(string alreadyReversed)
    {
        var original = TwentyDollarPurchase with { AlreadyReversed = Money(alreadyReversed) };

        Assert.Equal(RefundDecision.Nothing(RefundReasons.AlreadyReversed), RefundEvaluator.Evaluate(RefundOf(20m), original));
    }

    [Fact]
    public void a_refund_of_an_unknown_purchase_reverses_nothing()
    {
        Assert.Equal(RefundDecision.Nothing(RefundReasons.UnknownPurchase), RefundEvaluator.Evaluate(RefundOf(20m), null));
    }

    [Fact]
    public void a_refund_of_a_purchase_that_earned_nothing_reverses_nothing()
    {
        var nonEarning = TwentyDollarPurchase with { Cashback = 0m, RuleId = null };

        Assert.Equal(RefundDecision.Nothing(RefundReasons.NonEarningPurchase), RefundEvaluator.Evaluate(RefundOf(20m), nonEarning));
    }

    [Fact]
    public void a_refund_that_names_another_refund_reverses_nothing()
    {
        var refund = TwentyDollarPurchase with { Type = TransactionType.Refund, Cashback = -2.00m };

        Assert.Equal(RefundDecision.Nothing(RefundReasons.RefundOfARefund), RefundEvaluator.Evaluate(RefundOf(20m), refund));
    }

    [Fact]
    public void a_refund_in_another_currency_than_its_purchase_reverses_nothing()
    {
        Assert.Equal(RefundDecision.Nothing(RefundReasons.CurrencyMismatch), RefundEvaluator.Evaluate(RefundOf(20m, "EUR"), TwentyDollarPurchase));
    }

    [Fact]
    public void a_purchase_is_not_judged_as_a_refund()
    {
        var purchase = RefundOf(20m) with { Type = TransactionType.Purchase };

        Assert.Throws<ArgumentException>(() => RefundEvaluator.Evaluate(purchase, TwentyDollarPurchase));
    }
}
