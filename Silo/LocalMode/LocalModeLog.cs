namespace Cashback.Silo.LocalMode;

internal static partial class LocalModeLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Local mode: using a throw-away PostgreSQL, deleted on exit. Connection string: {ConnectionString}")]
    public static partial void ThrowawayPostgresStarted(ILogger logger, string connectionString);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Broker only. Start silos with --Kafka:BootstrapServers={BootstrapServers}. Ctrl+C stops it (and loses its data).")]
    public static partial void StandaloneBrokerRunning(ILogger logger, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: publishing {Rate} transactions/s over {Accounts} accounts to {Topic}")]
    public static partial void DemoStarted(ILogger logger, int rate, int accounts, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo event: {Event}")]
    public static partial void DemoEvent(ILogger logger, string @event);
}
