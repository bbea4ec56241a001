using Cashback.Ingestor.Kafka;
using Cashback.Silo.Hosting;

namespace Cashback.Silo.LocalMode;

public static class LocalModeExtensions
{
    /// <summary>
    /// Local mode: for each dependency that is not configured, start a throw-away one in this process and point the
    /// configuration at it: PostgreSQL from the machine's binaries, Kafka as librdkafka's in-memory mock broker. They
    /// belong to the host's service provider, which stops them (and deletes the database) on shutdown.
    /// </summary>
    public static async Task AddLocalModeDependenciesAsync(this WebApplicationBuilder builder)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddConsole());
        var logger = loggerFactory.CreateLogger("Cashback.LocalMode");
        var configuration = builder.Configuration;

        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(PostgresConnection.Name)))
        {
            var postgres = await ThrowawayPostgres.StartAsync(logger, CancellationToken.None);
            configuration[PostgresConnection.ConfigurationKey] = postgres.ConnectionString;
            builder.Services.AddSingleton(_ => postgres);
            LocalModeLog.ThrowawayPostgresStarted(logger, postgres.ConnectionString);
        }

        var bootstrapKey = $"{KafkaOptions.SectionName}:{nameof(KafkaOptions.BootstrapServers)}";
        if (string.IsNullOrWhiteSpace(configuration[bootstrapKey]))
        {
            var port = configuration.GetValue("LocalMode:KafkaPort", EmbeddedKafkaOptions.DefaultPort);
            var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }, logger);
            configuration[bootstrapKey] = broker.BootstrapServers;
            configuration[$"{KafkaOptions.SectionName}:{nameof(KafkaOptions.FetchWaitMax)}"] ??= EmbeddedKafkaOptions.ConsumerFetchWaitMax;
            builder.Services.AddSingleton(_ => broker);
        }

        if (configuration.GetValue<int?>(ParentProcessWatch.ConfigurationKey) is { } parent)
        {
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ParentProcessWatch>(sp, parent));
        }

        if (configuration.GetValue($"{DemoOptions.SectionName}:{nameof(DemoOptions.Rate)}", 0) > 0)
        {
            builder.Services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.SectionName));
            builder.Services.AddHostedService<DemoTraffic>();
        }
    }
}
