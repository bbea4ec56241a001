using System.ComponentModel.DataAnnotations;

namespace Cashback.Ingestor.Kafka;

/// <summary>Where the Kafka cluster and the topics are. Bound from the <c>Kafka</c> configuration section.</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Empty in local mode: the silo then starts the embedded broker and fills this in.</summary>
    [Required]
    public string BootstrapServers { get; set; } = "";

    [Required]
    public string TransactionsTopic { get; set; } = "transactions";

    [Required]
    public string CashbackEventsTopic { get; set; } = "cashback_events";

    [Required]
    public string DeadLetterTopic { get; set; } = "transactions.dlq";

    [Required]
    public string ConsumerGroup { get; set; } = "cashback-ingestor";

    /// <summary>How long the group waits for a silent consumer before giving its partitions to another.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:05:00")]
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the broker may hold a fetch that finds no new record. A real broker answers as soon as a record
    /// arrives, so this only paces an idle consumer; the embedded mock broker holds every empty fetch for all of it,
    /// which makes it a floor on latency there (local mode sets 5 ms).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan FetchWaitMax { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Messages being processed at once by this silo's ingestor; consumption pauses beyond it.</summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = 2_000;

    /// <summary>How long a stopping ingestor waits for work in flight before leaving the group anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest pause between retries while PostgreSQL or Kafka is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
