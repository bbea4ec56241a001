namespace Cashback.Silo.LocalMode;

/// <summary>How the embedded Kafka-protocol broker of local mode listens and which topics it creates.</summary>
public sealed class EmbeddedKafkaOptions
{
    public const int DefaultPort = 9092;

    /// <summary>
    /// <c>Kafka:FetchWaitMax</c> of silos on this broker: the mock holds a fetch that finds nothing for the whole wait
    /// (a real broker answers when a record arrives), so the wait is a floor on each consumer hop's latency.
    /// </summary>
    public const string ConsumerFetchWaitMax = "00:00:00.005";

    /// <summary>
    /// The fixed loopback port clients use, served through a relay to the mock broker; 0 skips the relay and
    /// advertises the random port the mock broker bound.
    /// </summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Topic name → partition count, created at start.</summary>
    public IReadOnlyDictionary<string, int> Topics { get; init; } = DefaultTopics;

    public static IReadOnlyDictionary<string, int> DefaultTopics { get; } = new Dictionary<string, int>
    {
        ["transactions"] = 12,
        ["cashback_events"] = 12,
        ["transactions.dlq"] = 3,
    }.AsReadOnly();
}
