using Cashback.Silo.LocalMode;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// The whole pipeline as a user runs it: a real silo host on its own PostgreSQL database and its own embedded
/// broker, plus a Kafka client to feed it and read what it wrote.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    private PipelineHarness(string database, EmbeddedKafkaBroker broker, IReadOnlyDictionary<string, string?>? settings)
    {
        _settings = settings;
        Database = database;
        Broker = broker;
        _settings = settings;
        Kafka = new KafkaTestClient(broker.BootstrapServers);
        Silo = StartSilo();
    }

    public string Database { get; }

    public EmbeddedKafkaBroker Broker { get; }

    public KafkaTestClient Kafka { get; }

    public SiloApplicationFactory Silo { get; private set; }

    public IGrainFactory Grains => Silo.Services.GetRequiredService<IGrainFactory>();

    /// <param name="settings">Configuration for the silo on top of the test defaults, e.g. <c>Auth:Enabled=false</c>.</param>
    public static async Task<PipelineHarness> StartAsync(PostgresServerFixture postgres, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartOn(await postgres.CreateMigratedDatabaseAsync(), settings);

    public static PipelineHarness StartOn(string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = 0 }, NullLogger.Instance);
        return new PipelineHarness(database, broker, settings);
    }

    /// <summary>Stops the silo gracefully and starts a new one over the same database and broker.</summary>
    public async Task RestartSiloAsync()
    {
        await Silo.DisposeAsync();
        Silo = StartSilo();
    }

    public async Task<long> AuditRowCountAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM cashback_transactions", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<Dictionary<string, decimal>> AuditCashbackPerAccountAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT customer_id, sum(cashback) FROM cashback_transactions GROUP BY customer_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var sums = new Dictionary<string, decimal>();
        while (await reader.ReadAsync())
        {
            sums[reader.GetString(0)] = reader.GetDecimal(1);
        }

        return sums;
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        Kafka.Dispose();
        await Broker.DisposeAsync();
        PostgresPools.Release(Database);
    }

    private SiloApplicationFactory StartSilo()
    {
        var silo = new SiloApplicationFactory(Database, Broker.BootstrapServers, settings: _settings);
        _ = silo.Server; // builds and starts the host
        return silo;
    }
}
