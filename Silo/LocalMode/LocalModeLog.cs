namespace Cashback.Silo.LocalMode;

internal static partial class LocalModeLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Local mode: using a throw-away PostgreSQL, deleted on exit. Connection string: {ConnectionString}")]
    public static partial void ThrowawayPostgresStarted(ILogger logger, string connectionString);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Local mode: Kafka is librdkafka's in-memory MOCK broker at {BootstrapServers} (topics transactions, " +
                  "cashback_events, transactions.dlq). Memory only, 5 MiB retention per partition, no real transactions: " +
                  "for trying things out, not for production. Set Kafka:BootstrapServers to use a real cluster.")]
    public static partial void EmbeddedKafkaStarted(ILogger logger, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Broker only. Start silos with --Kafka:BootstrapServers={BootstrapServers}. Ctrl+C stops it (and loses its data).")]
    public static partial void StandaloneBrokerRunning(ILogger logger, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: publishing {Rate} transactions/s over {Accounts} accounts to {Topic}")]
    public static partial void DemoStarted(ILogger logger, int rate, int accounts, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo event: {Event}")]
    public static partial void DemoEvent(ILogger logger, string @event);
}
