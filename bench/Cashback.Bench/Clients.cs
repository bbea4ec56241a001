using Cashback.Ingestor.Kafka;
using Confluent.Kafka;

namespace Cashback.Bench;

/// <summary>The bench's own Kafka clients, configured like the product's.</summary>
public static class Clients
{
    public static IProducer<byte[], byte[]> Producer(string bootstrapServers)
    {
        LibrdkafkaLoader.EnsureLoaded();
        return new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            CompressionType = CompressionType.Lz4,
            LingerMs = 2,
        }).Build();
    }

    public static IConsumer<byte[], byte[]> GroupConsumer(string bootstrapServers, string group)
    {
        LibrdkafkaLoader.EnsureLoaded();
        return new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
            SessionTimeoutMs = 6_000,
            FetchWaitMaxMs = 5,
        }).Build();
    }

    /// <summary>Reads a topic from its current end, without a group, so no rebalance delays the measurement.</summary>
    public static IConsumer<byte[], byte[]> TailReader(string bootstrapServers, string topic, int partitions)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"bench-reader-{Guid.NewGuid():N}",
            FetchWaitMaxMs = 5,
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p =>
        {
            var partition = new TopicPartition(topic, p);
            return new TopicPartitionOffset(partition, consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High);
        }));
        return consumer;
    }

    /// <summary>Reads a group's committed offsets and the logs' watermarks; never joins the group.</summary>
    public static IConsumer<byte[], byte[]> OffsetReader(string bootstrapServers, string group)
    {
        LibrdkafkaLoader.EnsureLoaded();
        return new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();
    }
}
