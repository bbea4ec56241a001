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
