using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cashback.Grains.Rules;

/// <summary>Either a valid <see cref="Rules.RuleSet"/> or the faults that make the document invalid.</summary>
public sealed class RuleSetParseResult
{
    private RuleSetParseResult(RuleSet? ruleSet, ImmutableArray<RuleSetFault> faults)
    {
        RuleSet = ruleSet;
        Faults = faults;
    }

    public RuleSet? RuleSet { get; }

    public ImmutableArray<RuleSetFault> Faults { get; }

    [MemberNotNullWhen(true, nameof(RuleSet))]
    public bool IsValid => RuleSet is not null;

    public static RuleSetParseResult Valid(RuleSet ruleSet) => new(ruleSet, []);

    public static RuleSetParseResult Invalid(IEnumerable<RuleSetFault> faults)
    {
        var all = faults.ToImmutableArray();
        return all.IsEmpty
            ? throw new ArgumentException("An invalid rule set has at least one fault.", nameof(faults))
            : new RuleSetParseResult(null, all);
    }
}
