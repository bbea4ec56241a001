namespace Cashback.Grains.Interfaces.Transactions;

/// <summary>Where a transaction was read from, recorded in the audit trail.</summary>
[GenerateSerializer, Immutable, Alias("cashback.SourcePosition")]
public sealed record SourcePosition(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset);
