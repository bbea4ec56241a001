using System.Text;
using Cashback.Ingestor.Kafka;
using Confluent.Kafka;

namespace Cashback.Tests.Infrastructure;

/// <summary>What a test does with Kafka from the outside: produce input, read every message of a topic.</summary>
public sealed class KafkaTestClient : IDisposable
{
    private readonly string _bootstrapServers;
    private readonly IProducer<byte[]?, byte[]?> _producer;

    public KafkaTestClient(string bootstrapServers)
    {
        LibrdkafkaLoader.EnsureLoaded();
        _bootstrapServers = bootstrapServers;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            CompressionType = CompressionType.Lz4,
            EnableIdempotence = true,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random, // as Kafka's Java client and the product's own producers
        }).Build();
    }

    public Task ProduceAsync(string topic, string? key, string value, Headers? headers = null) =>
        ProduceAsync(topic, key is null ? null : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), headers);

    public async Task ProduceAsync(string topic, byte[]? key, byte[]? value, Headers? headers = null) =>
        await _producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers });

    /// <summary>Produces many messages in order (per key) and waits until Kafka acknowledged all of them.</summary>
    public async Task ProduceAllAsync(string topic, IEnumerable<(byte[]? Key, byte[]? Value)> messages)
    {
        var pending = new List<Task>();
        foreach (var (key, value) in messages)
        {
            pending.Add(_producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value }));
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Every message the topic holds right now, read without a consumer group.</summary>
    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ReadAll(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId))
            .ToList();

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = _bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();

        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)));
        var remaining = ends.Where(e => e.Value.High > e.Value.Low).ToDictionary(e => e.Key, e => e.Value.High.Value);
        consumer.Assign(remaining.Keys.Select(p => new TopicPartitionOffset(p, ends[p].Low)));

        var messages = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (remaining.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Could not read {topic} to its end; {remaining.Count} partitions left.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            messages.Add(result);
            if (result.Offset.Value + 1 >= remaining.GetValueOrDefault(result.TopicPartition, long.MaxValue))
            {
                remaining.Remove(result.TopicPartition);
            }
        }

        return messages;
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
