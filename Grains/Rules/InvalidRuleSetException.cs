using System.Collections.Immutable;

namespace Cashback.Grains.Rules;

public sealed class InvalidRuleSetException(ImmutableArray<RuleSetFault> faults)
    : Exception($"The rule set is invalid: {string.Join("; ", faults)}")
{
    public ImmutableArray<RuleSetFault> Faults { get; } = faults;
}
