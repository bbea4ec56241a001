namespace Cashback.Ingestor.Placement;

/// <summary>Where an ingestor's call to an account grain comes from: the partition and the sending process.</summary>
[GenerateSerializer, Immutable, Alias("cashback.IngestorCallOrigin")]
public sealed record IngestorCallOrigin([property: Id(0)] int Partition, [property: Id(1)] string Sender);
