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
    private PipelineHarness(string database, EmbeddedKafkaBroker broker)
    {
        Database = database;
        Broker = broker;
        Kafka = new KafkaTestClient(broker.BootstrapServers);
        Silo = StartSilo();
    }

    public string Database { get; }

    public EmbeddedKafkaBroker Broker { get; }

    public KafkaTestClient Kafka { get; }

    public SiloApplicationFactory Silo { get; private set; }

    public IGrainFactory Grains => Silo.Services.GetRequiredService<IGrainFactory>();

    public static async Task<PipelineHarness> StartAsync(PostgresServerFixture postgres) =>
        StartOn(await postgres.CreateMigratedDatabaseAsync());

    public static PipelineHarness StartOn(string database)
    {
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = 0 }, NullLogger.Instance);
        return new PipelineHarness(database, broker);
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
        // Orleans' ADO.NET providers pool by connection string; idle connections would outlive the test by minutes and
        // exhaust the shared server's max_connections.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Database));
    }

    private SiloApplicationFactory StartSilo()
    {
        var silo = new SiloApplicationFactory(Database, Broker.BootstrapServers);
        _ = silo.Server; // builds and starts the host
        return silo;
    }
}
