using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Rules;

namespace Cashback.Grains.Refunds;

/// <summary>
/// Judges a refund (SPEC §6): it takes back <c>round(original_cashback × refund_amount / original_amount)</c>, never
/// more in total than the original cashback. Pure: same inputs, same decision.
/// </summary>
public static class RefundEvaluator
{
    /// <param name="original">The transaction the refund names, or null when the account never processed it.</param>
    public static RefundDecision Evaluate(CardTransaction refund, OriginalTransaction? original)
    {
        ArgumentNullException.ThrowIfNull(refund);
        if (refund.Type != TransactionType.Refund)
        {
            throw new ArgumentException($"Transaction '{refund.TransactionId}' is not a refund.", nameof(refund));
        }

        if (original is null)
        {
            return RefundDecision.Nothing(RefundReasons.UnknownPurchase);
        }

        if (original.Type != TransactionType.Purchase)
        {
            return RefundDecision.Nothing(RefundReasons.RefundOfARefund);
        }

        if (original.Cashback <= 0m)
        {
            return RefundDecision.Nothing(RefundReasons.NonEarningPurchase);
        }

        // A share of a purchase in another currency would mean nothing.
        if (!string.Equals(refund.Currency, original.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return RefundDecision.Nothing(RefundReasons.CurrencyMismatch);
        }

        var left = original.Cashback - original.AlreadyReversed;
        if (left <= 0m)
        {
            return RefundDecision.Nothing(RefundReasons.AlreadyReversed);
        }

        var proportional = Cents.Round(original.Cashback * refund.Amount / original.Amount);
        var reversal = Cents.Round(Math.Min(proportional, left));
        return reversal > 0m
            ? new RefundDecision(-reversal, RefundReasons.Reversed, original.RuleId, original.RuleSetVersion, original.CapPeriod)
            : RefundDecision.Nothing(RefundReasons.ReversalBelowOneCent);
    }
}
