using Orleans.Placement;

namespace Cashback.Grains.Placement;

/// <summary>
/// Places a grain on the silo whose Kafka ingestor consumes the partition its key arrives on, so the ingestor's calls
/// stay inside one process. The silo registers the director that implements it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cashback.partition-aligned-placement")]
public sealed class PartitionAlignedPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionAlignedPlacementAttribute() : PlacementAttribute(new PartitionAlignedPlacement());
