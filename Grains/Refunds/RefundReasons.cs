namespace Cashback.Grains.Refunds;

/// <summary>The reason codes of a <see cref="RefundDecision"/>, recorded in the audit trail.</summary>
public static class RefundReasons
{
    public const string Reversed = "reversed";

    // Why a refund reverses nothing, in the order they are checked.
    public const string UnknownPurchase = "refund_of_unknown_purchase";
    public const string RefundOfARefund = "refund_of_a_refund";
    public const string NonEarningPurchase = "refund_of_non_earning_purchase";
    public const string CurrencyMismatch = "refund_currency_mismatch";
    public const string AlreadyReversed = "cashback_already_reversed";

    /// <summary>The proportional share of the original cashback rounds to 0.00.</summary>
    public const string ReversalBelowOneCent = "reversal_below_one_cent";
}
