using System.Collections.Immutable;

namespace Cashback.Grains.Rules;

/// <param name="source">Where the document came from, e.g. a file path; null when that says nothing useful.</param>
public sealed class InvalidRuleSetException(ImmutableArray<RuleSetFault> faults, string? source = null)
    : Exception($"The rule set{(source is null ? "" : $" in '{source}'")} is invalid: {string.Join("; ", faults)}")
{
    public ImmutableArray<RuleSetFault> Faults { get; } = faults;
}
