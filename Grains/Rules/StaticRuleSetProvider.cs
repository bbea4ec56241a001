namespace Cashback.Grains.Rules;

/// <summary>A rule set that never changes, e.g. <see cref="DefaultRuleSet.Load"/> or one fixed by a test.</summary>
public sealed class StaticRuleSetProvider(RuleSet ruleSet) : IRuleSetProvider
{
    public RuleSet Current { get; } = ruleSet;
}
