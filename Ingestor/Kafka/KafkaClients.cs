using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cashback.Ingestor.Kafka;

/// <summary>Builds the Kafka clients of the ingestor with the settings its guarantees depend on.</summary>
public sealed class KafkaClients(IOptions<KafkaOptions> options, ILoggerFactory loggerFactory)
{
    private readonly KafkaOptions _options = options.Value;

    /// <summary>
    /// Idempotent, acks=all: a message acknowledged once is in the log once, however often the client retried. Keys are
    /// partitioned like Kafka's Java client does (murmur2), not librdkafka's default (crc32): see <see cref="Murmur2Partitioner"/>.
    /// </summary>
    public IProducer<byte[], byte[]> CreateProducer()
    {
        LibrdkafkaLoader.EnsureLoaded(loggerFactory.CreateLogger<KafkaClients>());
        var config = new ProducerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
            ClientId = "cashback-ingestor",
            Partitioner = Partitioner.Murmur2Random,
        };
        return new ProducerBuilder<byte[], byte[]>(config).Build();
    }

    /// <summary>For metadata queries, e.g. whether the brokers answer.</summary>
    public IAdminClient CreateAdminClient()
    {
        LibrdkafkaLoader.EnsureLoaded(loggerFactory.CreateLogger<KafkaClients>());
        return new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = _options.BootstrapServers,
            ClientId = "cashback-health",
        }).Build();
    }

    /// <summary>
    /// Offsets are stored by the ingestor only once a message is durable and its event acknowledged; the client then
    /// commits stored offsets periodically, on rebalance and on close.
    /// </summary>
    public ConsumerBuilder<byte[], byte[]> CreateConsumerBuilder()
    {
        LibrdkafkaLoader.EnsureLoaded(loggerFactory.CreateLogger<KafkaClients>());
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.ConsumerGroup,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1_000,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)(_options.SessionTimeout.TotalMilliseconds / 3),
            FetchWaitMaxMs = (int)_options.FetchWaitMax.TotalMilliseconds,
            ClientId = $"cashback-ingestor-{Environment.MachineName}-{Environment.ProcessId}",
        };
        return new ConsumerBuilder<byte[], byte[]>(config);
    }
}
