using System.Globalization;
using System.Net;
using Cashback.Ingestor.Kafka;
using Confluent.Kafka;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// A Kafka-protocol broker inside this process, for local mode and tests: librdkafka's in-memory mock cluster
/// with one broker, optionally reachable on a fixed loopback port through a <see cref="TcpRelay"/>.
/// </summary>
/// <remarks>
/// One broker, because clients connect to each partition leader's advertised address: several brokers would
/// need one relay port each, and replication is simulated by the mock anyway.
/// </remarks>
public sealed partial class EmbeddedKafkaBroker : IAsyncDisposable
{
    private const int BrokerId = 1; // the mock numbers its brokers from 1
    private const int ReplicationFactor = 1;

    private readonly nint kafkaHandle;
    private readonly nint cluster;
    private readonly TcpRelay? relay;
    private readonly ILogger logger;
    private int disposed;

    private EmbeddedKafkaBroker(nint kafkaHandle, nint cluster, TcpRelay? relay, string bootstrapServers, ILogger logger)
    {
        this.kafkaHandle = kafkaHandle;
        this.cluster = cluster;
        this.relay = relay;
        this.logger = logger;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Where clients connect, e.g. <c>127.0.0.1:9092</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts the mock cluster, creates the configured topics and, for a fixed port, the relay.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The fixed port is already taken.</exception>
    public static EmbeddedKafkaBroker Start(EmbeddedKafkaOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);

        string librdkafkaVersion = LibrdkafkaLoader.EnsureLoaded(logger);
        LibrdkafkaLoader.RouteNativeImportsOf(typeof(MockClusterNative).Assembly, logger);

        nint kafkaHandle = MockClusterNative.NewHandle(clientId: "embedded-kafka-broker");
        nint cluster = 0;
        TcpRelay? relay = null;
        try
        {
            cluster = MockClusterNative.NewCluster(kafkaHandle, brokerCount: 1);
            if (cluster == 0)
            {
                throw new InvalidOperationException("rd_kafka_mock_cluster_new failed; see librdkafka's log on stderr.");
            }

            // The mock otherwise waits before the first rebalance of every new group.
            MockClusterNative.SetInitialRebalanceDelay(cluster, TimeSpan.Zero);

            IPEndPoint mockEndpoint = ParseSingleEndpoint(MockClusterNative.Bootstraps(cluster));
            string bootstrapServers = $"127.0.0.1:{mockEndpoint.Port}";
            if (options.Port != 0)
            {
                relay = TcpRelay.Start(options.Port, mockEndpoint, logger);
                ThrowOnError(
                    MockClusterNative.AdvertiseBrokerAddress(cluster, BrokerId, "127.0.0.1", relay.Port),
                    "advertising the relay address");
                bootstrapServers = $"127.0.0.1:{relay.Port}";
            }

            var broker = new EmbeddedKafkaBroker(kafkaHandle, cluster, relay, bootstrapServers, logger);
            foreach (var (topic, partitions) in options.Topics)
            {
                broker.CreateTopic(topic, partitions);
            }

            LogStarted(logger, bootstrapServers, librdkafkaVersion, string.Join(", ", options.Topics.Select(t => $"{t.Key} ({t.Value})")));
            return broker;
        }
        catch
        {
            relay?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (cluster != 0)
            {
                MockClusterNative.DestroyCluster(cluster);
            }

            MockClusterNative.DestroyHandle(kafkaHandle);
            throw;
        }
    }

    /// <summary>Creates a topic; auto-creation would give 4 partitions, and CreateTopics of the admin client is not supported by the mock.</summary>
    /// <exception cref="KafkaException">The mock refused, e.g. the topic exists.</exception>
    public void CreateTopic(string name, int partitions)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);

        ThrowOnError(MockClusterNative.CreateTopic(cluster, name, partitions, ReplicationFactor), $"creating topic {name}");
        LogTopicCreated(logger, name, partitions);
    }

    /// <summary>
    /// Deletes a partition's records before <paramref name="offset"/>, as Kafka's DeleteRecords does. The mock finds a
    /// fetch's first record by walking the partition's log from its start (librdkafka has no offset index there), so
    /// a long log makes every fetch slower; whoever knows what all readers consumed can keep it short.
    /// </summary>
    public void DeleteRecordsBefore(string topic, int partition, long offset)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ThrowOnError(MockClusterNative.DeleteRecordsBefore(cluster, topic, partition, offset), $"deleting records of {topic} [{partition}] before {offset}");
    }

    /// <summary>Takes the broker down (its connections close, new ones are refused) or brings it back: an outage, for tests.</summary>
    public void SetAvailable(bool available)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ThrowOnError(MockClusterNative.SetBrokerAvailable(cluster, BrokerId, available), available ? "bringing the broker up" : "taking the broker down");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (relay is not null)
        {
            await relay.DisposeAsync();
        }

        MockClusterNative.DestroyCluster(cluster);
        MockClusterNative.DestroyHandle(kafkaHandle);
        LogStopped(logger, BootstrapServers);
    }

    private static IPEndPoint ParseSingleEndpoint(string bootstraps)
    {
        // The mock reports "127.0.0.1:<port>" (comma-separated when there are several brokers).
        string first = bootstraps.Split(',')[0];
        int colon = first.LastIndexOf(':');
        string host = first[..colon];
        int port = int.Parse(first[(colon + 1)..], CultureInfo.InvariantCulture);
        return new IPEndPoint(IPAddress.TryParse(host, out var address) ? address : IPAddress.Loopback, port);
    }

    private static void ThrowOnError(int errorCode, string action)
    {
        if (errorCode != 0)
        {
            var code = (Confluent.Kafka.ErrorCode)errorCode;
            throw new KafkaException(new Error(code, $"Embedded Kafka broker failed {action}: {code}"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Embedded Kafka broker listening on {BootstrapServers}. It is librdkafka {LibrdkafkaVersion}'s in-memory mock cluster, " +
        "for local use and tests only: data lives in memory and is lost when the process exits; each partition keeps only " +
        "its newest 5 MiB and silently drops older records; transactions are not real and read_committed is not enforced. " +
        "Topics: {Topics}. Point Kafka:BootstrapServers at a real Kafka for anything else.")]
    private static partial void LogStarted(ILogger logger, string bootstrapServers, string librdkafkaVersion, string topics);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedded Kafka broker created topic {Topic} with {Partitions} partitions")]
    private static partial void LogTopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka broker on {BootstrapServers} stopped; its data is gone")]
    private static partial void LogStopped(ILogger logger, string bootstrapServers);
}
