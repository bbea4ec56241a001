namespace Cashback.Grains.Refunds;

/// <summary>How a refund affects its account.</summary>
/// <param name="Cashback">What to take back, as a negative amount in cents; 0 when nothing is reversed.</param>
/// <param name="Reason">One of <see cref="RefundReasons"/>.</param>
/// <param name="RuleId">The rule that granted the reversed cashback; null when nothing is reversed.</param>
/// <param name="RuleSetVersion">The rule-set version that granted the reversed cashback; null when nothing is reversed.</param>
/// <param name="CapPeriod">The month whose cap room the reversal gives back to <paramref name="RuleId"/>, if its rule has a cap.</param>
public sealed record RefundDecision(decimal Cashback, string Reason, string? RuleId, int? RuleSetVersion, string? CapPeriod)
{
    public static RefundDecision Nothing(string reason) => new(0m, reason, null, null, null);
}
