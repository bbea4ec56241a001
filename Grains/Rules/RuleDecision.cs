namespace Cashback.Grains.Rules;

/// <summary>How a rule set judged one transaction.</summary>
/// <param name="Cashback">What to credit, in cents; 0 when nothing was earned.</param>
/// <param name="RuleId">The rule that granted the cashback; null when nothing was earned.</param>
/// <param name="Reason">One of <see cref="DecisionReasons"/>.</param>
/// <param name="CapPeriod">The month (<c>yyyy-MM</c>) whose cap usage the credit counts against, when the deciding
/// rule has a monthly cap; the caller records the credit under (rule id, period).</param>
public sealed record RuleDecision(decimal Cashback, string? RuleId, string Reason, string? CapPeriod)
{
    public bool Earned => Cashback > 0m;

    public static RuleDecision Nothing(string reason) => new(0m, null, reason, null);
}
