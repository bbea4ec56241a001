using System.Runtime.InteropServices;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// librdkafka's mock cluster API (rdkafka_mock.h) and the few handle calls it needs.
/// Returned strings stay <c>nint</c>: librdkafka owns that memory, so the marshaller must not free it.
/// Resolved to the pinned packaged library through <c>LibrdkafkaLoader.RouteNativeImportsOf</c>.
/// </summary>
internal static partial class MockClusterNative
{
    private const string Library = "librdkafka";
    private const int ProducerType = 0; // RD_KAFKA_PRODUCER
    private const int ErrorBufferSize = 512;
    private const int ConfigurationOk = 0; // RD_KAFKA_CONF_OK

    /// <summary>Creates a producer handle to own a mock cluster; the handle never connects anywhere.</summary>
    public static nint NewHandle(string clientId)
    {
        nint conf = rd_kafka_conf_new();
        nint errorBuffer = Marshal.AllocHGlobal(ErrorBufferSize);
        try
        {
            // Warnings and errors only: the handle has no bootstrap.servers on purpose, which librdkafka notes at level 5.
            SetOrThrow(conf, "log_level", "4", errorBuffer);
            SetOrThrow(conf, "client.id", clientId, errorBuffer);
            nint kafka = rd_kafka_new(ProducerType, conf, errorBuffer, ErrorBufferSize);
            if (kafka == 0)
            {
                rd_kafka_conf_destroy(conf); // ownership passes to the handle only on success
                throw new InvalidOperationException($"rd_kafka_new failed: {Marshal.PtrToStringUTF8(errorBuffer)}");
            }

            return kafka;
        }
        finally
        {
            Marshal.FreeHGlobal(errorBuffer);
        }
    }

    public static void DestroyHandle(nint kafka) => rd_kafka_destroy(kafka);

    public static nint NewCluster(nint kafka, int brokerCount) => rd_kafka_mock_cluster_new(kafka, brokerCount);

    public static void DestroyCluster(nint cluster) => rd_kafka_mock_cluster_destroy(cluster);

    public static string Bootstraps(nint cluster) =>
        Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster))
        ?? throw new InvalidOperationException("rd_kafka_mock_cluster_bootstraps returned null");

    /// <returns>librdkafka's error code; 0 when the topic was created.</returns>
    public static int CreateTopic(nint cluster, string topic, int partitions, int replicationFactor) =>
        rd_kafka_mock_topic_create(cluster, topic, partitions, replicationFactor);

    /// <returns>librdkafka's error code; 0 when the broker now advertises the new address.</returns>
    public static int AdvertiseBrokerAddress(nint cluster, int brokerId, string host, int port) =>
        rd_kafka_mock_broker_set_host_port(cluster, brokerId, host, port);

    /// <returns>librdkafka's error code; 0 when the broker is now down (connections closed, new ones refused) or up again.</returns>
    public static int SetBrokerAvailable(nint cluster, int brokerId, bool available) =>
        available ? rd_kafka_mock_broker_set_up(cluster, brokerId) : rd_kafka_mock_broker_set_down(cluster, brokerId);

    /// <returns>librdkafka's error code; 0 when the partition's log now starts at <paramref name="offset"/>.</returns>
    public static int DeleteRecordsBefore(nint cluster, string topic, int partition, long offset) =>
        rd_kafka_mock_partition_delete_records(cluster, topic, partition, offset);

    public static void SetInitialRebalanceDelay(nint cluster, TimeSpan delay) =>
        rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, (int)delay.TotalMilliseconds);

    private static void SetOrThrow(nint conf, string name, string value, nint errorBuffer)
    {
        if (rd_kafka_conf_set(conf, name, value, errorBuffer, ErrorBufferSize) != ConfigurationOk)
        {
            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_conf_set {name}={value} failed: {Marshal.PtrToStringUTF8(errorBuffer)}");
        }
    }

    [LibraryImport(Library)]
    private static partial nint rd_kafka_conf_new();

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(nint cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(nint cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial void rd_kafka_conf_destroy(nint conf);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(nint conf, string name, string value, nint errorBuffer, nuint errorBufferSize);

    [LibraryImport(Library)]
    private static partial nint rd_kafka_new(int type, nint conf, nint errorBuffer, nuint errorBufferSize);

    [LibraryImport(Library)]
    private static partial void rd_kafka_destroy(nint kafka);

    [LibraryImport(Library)]
    private static partial nint rd_kafka_mock_cluster_new(nint kafka, int brokerCount);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_cluster_destroy(nint cluster);

    [LibraryImport(Library)]
    private static partial nint rd_kafka_mock_cluster_bootstraps(nint cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(nint cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_broker_set_host_port(nint cluster, int brokerId, string host, int port);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_partition_delete_records(nint cluster, string topic, int partition, long beforeOffset);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(nint cluster, int delayMs);
}
