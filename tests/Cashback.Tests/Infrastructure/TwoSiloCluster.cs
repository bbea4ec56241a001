using Cashback.Silo.LocalMode;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cashback.Tests.Infrastructure;

/// <summary>Two real silo hosts forming one Orleans cluster over one database and one embedded broker.</summary>
public sealed class TwoSiloCluster : IAsyncDisposable
{
    private TwoSiloCluster(string database, EmbeddedKafkaBroker broker, SiloApplicationFactory first, SiloApplicationFactory second)
    {
        Database = database;
        Broker = broker;
        First = first;
        Second = second;
    }

    public string Database { get; }

    public EmbeddedKafkaBroker Broker { get; }

    public SiloApplicationFactory First { get; }

    public SiloApplicationFactory Second { get; }

    public static async Task<TwoSiloCluster> StartAsync(PostgresServerFixture postgres)
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = 0 }, NullLogger.Instance);
        var clusterId = $"test-{Guid.NewGuid():N}";
        var first = new SiloApplicationFactory(database, broker.BootstrapServers, clusterId);
        _ = first.Server;
        var second = new SiloApplicationFactory(database, broker.BootstrapServers, clusterId);
        _ = second.Server;

        var cluster = new TwoSiloCluster(database, broker, first, second);
        var management = cluster.First.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        await Eventually.ReachesAsync(
            async () => (await management.GetHosts(onlyActive: true)).Count, count => count == 2, TimeSpan.FromSeconds(60), "both silos active");
        return cluster;
    }

    public static IGrainFactory GrainsOf(SiloApplicationFactory silo) => silo.Services.GetRequiredService<IGrainFactory>();

    public static SiloAddress AddressOf(SiloApplicationFactory silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(First.DisposeAsync().AsTask(), Second.DisposeAsync().AsTask());
        await Broker.DisposeAsync();
        PostgresPools.Release(Database);
    }
}
