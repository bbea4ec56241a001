using System.Text.Json;
using Cashback.Silo.LocalMode;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cashback.Tests.Cluster;

/// <summary>
/// Several silo processes forming one Orleans cluster over one PostgreSQL database, sharing one embedded broker that
/// lives in the test process, plus what a test needs to watch them: partition owners, audit rows, events, balances.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private readonly List<SiloProcess> _silos = [];
    private readonly List<SiloProcess> _started = [];
    private int _lastNumber;
    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly HttpClient _http = new() { DefaultRequestHeaders = { Authorization = TestTokens.Bearer(TestTokens.Reader()) } };

    private SiloCluster(string database, EmbeddedKafkaBroker broker)
    {
        Database = database;
        Broker = broker;
        Kafka = new KafkaTestClient(broker.BootstrapServers);
    }

    public string Database { get; }

    public EmbeddedKafkaBroker Broker { get; }

    public KafkaTestClient Kafka { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IEnumerable<SiloProcess> Running => _silos.Where(s => !s.Process.HasExited);

    public static async Task<SiloCluster> StartAsync(PostgresServerFixture postgres)
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = 0 }, NullLogger.Instance);
        return new SiloCluster(database, broker);
    }

    /// <summary>Starts silo processes at once and waits until each serves HTTP.</summary>
    public async Task<SiloProcess[]> StartSilosAsync(int count)
    {
        var numbers = Enumerable.Range(_lastNumber + 1, count).ToArray();
        _lastNumber += count;
        var silos = await Task.WhenAll(numbers.Select(StartSiloAsync));
        _silos.AddRange(silos);
        return silos;
    }

    /// <summary>
    /// Free ports are picked before the silo binds them, and the machine's outgoing connections take ports from the same
    /// range: a silo that lost its port to another process is started again on new ones.
    /// </summary>
    private async Task<SiloProcess> StartSiloAsync(int number)
    {
        // Each silo keeps several pools (grain state, membership, audit): keep them small, the server is shared.
        var siloDatabase = new NpgsqlConnectionStringBuilder(Database) { MaxPoolSize = 20 }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            var silo = SiloProcess.Start($"silo-{number}", siloDatabase, Broker.BootstrapServers, _clusterId);
            lock (_started)
            {
                _started.Add(silo);
            }

            try
            {
                await silo.WaitUntilReadyAsync(StartDeadline);
                return silo;
            }
            catch (TimeoutException) when (attempt < 3 && silo.Process.HasExited && silo.Output.Any(l => l.Contains("already in use", StringComparison.OrdinalIgnoreCase)))
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until the partition owners that silos publish name exactly the running silos, covering every partition.</summary>
    public async Task<Dictionary<int, SiloProcess>> WaitForOwnersAsync(int partitions, TimeSpan within)
    {
        var owners = await Eventually.ReachesAsync(
            PartitionOwnersAsync,
            current => current.Count == partitions && current.Values.Select(s => s.Name).Distinct().Order().SequenceEqual(Running.Select(s => s.Name).Order()),
            within,
            $"{partitions} partitions owned by {string.Join(", ", Running.Select(s => s.Name))}");
        return owners;
    }

    public async Task<Dictionary<int, SiloProcess>> PartitionOwnersAsync()
    {
        var rows = await Sql.QueryAsync(Database, "SELECT partition, silo_address FROM cashback_partition_owners",
            reader => (Partition: reader.GetInt32(0), Silo: reader.GetString(1)));
        var owners = new Dictionary<int, SiloProcess>();
        foreach (var (partition, address) in rows)
        {
            // Orleans' parsable address: 127.0.0.1:11111@118237040
            var port = int.Parse(address.Split('@')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
            if (_silos.FirstOrDefault(s => s.SiloPort == port) is { } silo)
            {
                owners[partition] = silo;
            }
        }

        return owners;
    }

    public Task<long> AuditRowCountAsync() => Sql.ScalarAsync<long>(Database, "SELECT count(*) FROM cashback_transactions");

    public async Task<Dictionary<string, decimal>> AuditCashbackPerAccountAsync()
    {
        var rows = await Sql.QueryAsync(Database, "SELECT customer_id, sum(cashback) FROM cashback_transactions GROUP BY customer_id",
            reader => (Account: reader.GetString(0), Cashback: reader.GetDecimal(1)));
        return rows.ToDictionary(r => r.Account, r => r.Cashback);
    }

    /// <summary>When each of <paramref name="partitions"/> first had a transaction processed after <paramref name="since"/>.</summary>
    public async Task<Dictionary<int, DateTimeOffset>> FirstProcessedAfterAsync(IReadOnlyCollection<int> partitions, DateTimeOffset since)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT kafka_partition, min(processed_at) FROM cashback_transactions WHERE processed_at > $1 AND kafka_partition = ANY($2) GROUP BY kafka_partition",
            connection)
        {
            Parameters = { new() { Value = since }, new() { Value = partitions.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var first = new Dictionary<int, DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            first[reader.GetInt32(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return first;
    }

    /// <summary>The balance the HTTP API of <paramref name="silo"/> reports, or null for an unknown account.</summary>
    public async Task<decimal?> BalanceAsync(SiloProcess silo, string account)
    {
        using var response = await _http.GetAsync(new Uri(silo.Http, $"/accounts/{Uri.EscapeDataString(account)}/balance"));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return decimal.Parse(body.RootElement.GetProperty("balance").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _started)
        {
            await silo.DisposeAsync();
        }

        _http.Dispose();
        Kafka.Dispose();
        await Broker.DisposeAsync();
    }
}
