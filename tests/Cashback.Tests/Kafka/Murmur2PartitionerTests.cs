using System.Text;
using Cashback.Ingestor.Kafka;
using Cashback.Silo.LocalMode;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cashback.Tests.Kafka;

public sealed class Murmur2PartitionerTests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void the_hash_equals_the_java_clients_murmur2(string key, int javaHash) =>
        Assert.Equal(javaHash, unchecked((int)Murmur2Partitioner.Hash(Encoding.UTF8.GetBytes(key))));

    [Fact]
    public async Task every_key_lands_on_the_partition_librdkafka_murmur2_random_chooses()
    {
        await using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = 0 }, NullLogger.Instance);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        string[] keys = [.. Enumerable.Range(0, 300).Select(i => $"acct-{i}"), "123", "customer-007", "ümlaut@example.com", "a"];

        foreach (var key in keys)
        {
            var delivered = await producer.ProduceAsync("transactions", new Message<string, string> { Key = key, Value = "{}" });

            Assert.Equal(delivered.Partition.Value, Murmur2Partitioner.PartitionOf(Encoding.UTF8.GetBytes(key), 12));
        }
    }
}
