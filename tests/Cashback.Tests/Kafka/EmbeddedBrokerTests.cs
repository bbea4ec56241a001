using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cashback.Ingestor.Kafka;
using Cashback.Silo.LocalMode;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Cashback.Tests.Kafka;

public sealed class EmbeddedBrokerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly EmbeddedKafkaOptions RandomPort = new() { Port = 0 };

    [Fact]
    public void the_pinned_librdkafka_is_the_packaged_2_16_0()
    {
        string version = LibrdkafkaLoader.EnsureLoaded();

        Assert.Equal("2.16.0", version);
        Assert.Equal("2.16.0", Library.VersionString);
        Assert.NotNull(LibrdkafkaLoader.PinnedPath);
        Assert.StartsWith(AppContext.BaseDirectory, LibrdkafkaLoader.PinnedPath);
        if (OperatingSystem.IsLinux() && RuntimeInformationIsGlibcX64())
        {
            Assert.Equal("centos8-librdkafka.so", Path.GetFileName(LibrdkafkaLoader.PinnedPath));
        }
    }

    [Fact]
    public async Task the_broker_creates_the_default_topics_with_their_partition_counts()
    {
        await using var broker = EmbeddedKafkaBroker.Start(RandomPort, NullLogger());
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        Assert.Equal(12, PartitionCount(admin, "transactions"));
        Assert.Equal(12, PartitionCount(admin, "cashback_events"));
        Assert.Equal(3, PartitionCount(admin, "transactions.dlq"));
    }

    [Fact]
    public async Task a_topic_created_at_run_time_has_the_partitions_asked_for_and_cannot_be_created_twice()
    {
        await using var broker = EmbeddedKafkaBroker.Start(RandomPort, NullLogger());
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        broker.CreateTopic("rule_changes", 5);

        Assert.Equal(5, PartitionCount(admin, "rule_changes"));
        var refused = Assert.Throws<KafkaException>(() => broker.CreateTopic("rule_changes", 5));
        Assert.Equal(Confluent.Kafka.ErrorCode.TopicAlreadyExists, refused.Error.Code);
    }

    [Fact]
    public async Task two_thousand_lz4_messages_keyed_over_many_accounts_are_all_consumed_back_by_a_group()
    {
        const int messageCount = 2000;
        await using var broker = EmbeddedKafkaBroker.Start(RandomPort, NullLogger());
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            Assert.Equal(12, PartitionCount(admin, "transactions"));
        }

        var sent = Enumerable.Range(0, messageCount)
            .Select(i => new Message<string, string> { Key = $"account-{i % 397}", Value = $"{{\"transaction_id\":\"{i}\"}}" })
            .ToList();
        using (var producer = new ProducerBuilder<string, string>(IdempotentLz4Producer(broker)).Build())
        {
            var deliveries = await Task.WhenAll(sent.Select(message => producer.ProduceAsync("transactions", message)));
            Assert.All(deliveries, delivery => Assert.Equal(PersistenceStatus.Persisted, delivery.Status));
            Assert.Equal(12, deliveries.Select(delivery => delivery.Partition.Value).Distinct().Count());
        }

        var received = new List<ConsumeResult<string, string>>();
        using (var consumer = new ConsumerBuilder<string, string>(GroupConsumer(broker, "count-them-all")).Build())
        {
            consumer.Subscribe("transactions");
            var clock = Stopwatch.StartNew();
            while (received.Count < messageCount && clock.Elapsed < Deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    received.Add(result);
                }
            }

            output.WriteLine($"consumed {received.Count} messages in {clock.Elapsed}");
            consumer.Close();
        }

        Assert.Equal(messageCount, received.Count);
        Assert.Equal(messageCount, received.Select(r => (r.Partition.Value, r.Offset.Value)).Distinct().Count());
        Assert.Equal(
            sent.Select(m => (m.Key, m.Value)).Order(),
            received.Select(r => (r.Message.Key, r.Message.Value)).Order());
        Assert.Equal(12, received.Select(r => r.Partition.Value).Distinct().Count());
    }

    [Fact]
    public async Task two_consumers_of_one_group_split_the_twelve_partitions_between_them()
    {
        await using var broker = EmbeddedKafkaBroker.Start(RandomPort, NullLogger());
        using var first = new ConsumerBuilder<string, string>(GroupConsumer(broker, "split-them")).Build();
        using var second = new ConsumerBuilder<string, string>(GroupConsumer(broker, "split-them")).Build();
        first.Subscribe("transactions");
        second.Subscribe("transactions");

        var clock = Stopwatch.StartNew();
        while (!AreSplit(first.Assignment, second.Assignment) && clock.Elapsed < Deadline)
        {
            first.Consume(TimeSpan.FromMilliseconds(100));
            second.Consume(TimeSpan.FromMilliseconds(100));
        }

        output.WriteLine($"split after {clock.Elapsed}: {first.Assignment.Count} + {second.Assignment.Count}");
        Assert.NotEmpty(first.Assignment);
        Assert.NotEmpty(second.Assignment);
        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        Assert.Equal(
            Enumerable.Range(0, 12),
            first.Assignment.Concat(second.Assignment).Select(tp => tp.Partition.Value).Order());
        first.Close();
        second.Close();
    }

    [Fact]
    public async Task a_client_that_only_knows_the_fixed_relay_port_produces_and_consumes()
    {
        int port = FreeLoopbackPort();
        await using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }, NullLogger());
        string relayAddress = $"127.0.0.1:{port}";
        Assert.Equal(relayAddress, broker.BootstrapServers);

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = relayAddress }).Build())
        {
            var brokers = admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers;
            var advertised = Assert.Single(brokers);
            Assert.Equal(("127.0.0.1", port), (advertised.Host, advertised.Port));
        }

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = relayAddress }).Build())
        {
            var delivery = await producer.ProduceAsync("cashback_events", new Message<string, string> { Key = "123", Value = "credited" });
            Assert.Equal(PersistenceStatus.Persisted, delivery.Status);
        }

        var config = GroupConsumer(broker, "through-the-relay");
        config.BootstrapServers = relayAddress;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("cashback_events");
        ConsumeResult<string, string>? received = null;
        var clock = Stopwatch.StartNew();
        while (received is null && clock.Elapsed < Deadline)
        {
            received = consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        Assert.NotNull(received);
        Assert.Equal(("123", "credited"), (received.Message.Key, received.Message.Value));
        consumer.Close();
    }

    [Fact]
    public async Task disposing_the_broker_frees_its_fixed_port()
    {
        int port = FreeLoopbackPort();
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }, NullLogger());
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("transactions", new Message<Null, string> { Value = "keeps a relayed connection open" });

            await broker.DisposeAsync();
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task a_second_broker_on_a_taken_port_fails_to_start_and_the_first_keeps_serving()
    {
        int port = FreeLoopbackPort();
        await using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }, NullLogger());

        Assert.Throws<SocketException>(() => EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }, NullLogger()));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        Assert.Equal(12, PartitionCount(admin, "transactions"));
    }

    [Fact]
    public async Task the_broker_says_at_start_that_it_is_an_in_memory_mock_for_local_use_only()
    {
        var logger = new RecordingLogger();

        await using var broker = EmbeddedKafkaBroker.Start(RandomPort, logger);

        string banner = Assert.Single(logger.Messages, message => message.Contains(broker.BootstrapServers, StringComparison.Ordinal));
        Assert.Contains("in-memory mock cluster", banner, StringComparison.Ordinal);
        Assert.Contains("5 MiB", banner, StringComparison.Ordinal);
        Assert.Contains("read_committed is not enforced", banner, StringComparison.Ordinal);
        Assert.Contains("local use and tests only", banner, StringComparison.Ordinal);
    }

    private static ProducerConfig IdempotentLz4Producer(EmbeddedKafkaBroker broker) => new()
    {
        BootstrapServers = broker.BootstrapServers,
        CompressionType = CompressionType.Lz4,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
    };

    private static ConsumerConfig GroupConsumer(EmbeddedKafkaBroker broker, string groupId) => new()
    {
        BootstrapServers = broker.BootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = 6000,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
    };

    private static bool AreSplit(List<TopicPartition> first, List<TopicPartition> second) =>
        first.Count > 0 && second.Count > 0 && first.Count + second.Count == 12 && !first.Intersect(second).Any();

    private static int PartitionCount(IAdminClient admin, string topic) =>
        admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;

    private static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static bool RuntimeInformationIsGlibcX64() =>
        System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64";

    private static ILogger NullLogger() => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<string> messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (messages)
                {
                    return [.. messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (messages)
            {
                messages.Add(formatter(state, exception));
            }
        }
    }
}
