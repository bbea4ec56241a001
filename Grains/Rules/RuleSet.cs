using System.Collections.Immutable;

namespace Cashback.Grains.Rules;

/// <summary>A versioned set of cashback rules; build one with <see cref="RuleSetDocument.Parse"/> so it is validated.</summary>
/// <param name="Version">Increases with every change; recorded with each judged transaction.</param>
/// <param name="Rules">In document order, which breaks ties between equally generous rules.</param>
public sealed record RuleSet(int Version, string? Description, ImmutableArray<CashbackRule> Rules);
