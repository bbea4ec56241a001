namespace Cashback.Grains.Interfaces.Transactions;

/// <summary>A transaction to apply and where it was read from (null when it did not come through Kafka).</summary>
[GenerateSerializer, Immutable, Alias("cashback.SourcedTransaction")]
public sealed record SourcedTransaction(
    [property: Id(0)] CardTransaction Transaction,
    [property: Id(1)] SourcePosition? Source);
