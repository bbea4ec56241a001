using System.Net;
using Cashback.Silo.Database;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Cashback.Silo.LocalMode;

namespace Cashback.Tests.Database;

/// <summary>Orleans' own ADO.NET providers, unchanged, against our migrated schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansAdoNetTests(PostgresServerFixture postgres)
{
    private const int ActiveStatus = 3;
    private const int DeadStatus = 6;

    [Fact]
    public async Task grain_state_written_through_ado_net_persistence_is_read_back_by_a_new_silo()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var serviceId = NewId();

        using (var first = await StartSiloAsync(database, serviceId, adoNetClustering: false))
        {
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IStorageProbeGrain>("customer-1").RememberAsync("27.50");
            await first.StopAsync();
        }

        using var second = await StartSiloAsync(database, serviceId, adoNetClustering: false);
        var recalled = await second.Services.GetRequiredService<IGrainFactory>().GetGrain<IStorageProbeGrain>("customer-1").RecallAsync();
        await second.StopAsync();

        Assert.Equal("27.50", recalled);
        var row = Assert.Single(await Sql.QueryAsync(database,
            "SELECT graintypestring, grainidextensionstring, version, payloadbinary IS NOT NULL FROM orleansstorage",
            r => (Type: r.GetString(0), Key: r.GetString(1), Version: r.GetInt32(2), HasPayload: r.GetBoolean(3))));
        Assert.Equal("customer-1", row.Key);
        Assert.Equal(1, row.Version);
        Assert.True(row.HasPayload);
    }

    [Fact]
    public async Task clearing_grain_state_empties_the_row_and_the_grain_starts_afresh()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        using var silo = await StartSiloAsync(database, NewId(), adoNetClustering: false);
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IStorageProbeGrain>("customer-2");
        await grain.RememberAsync("first");

        await grain.ForgetAsync();
        var afterClear = await grain.RecallAsync();
        await grain.RememberAsync("second");
        await silo.StopAsync();

        Assert.Null(afterClear);
        Assert.Equal(3, await Sql.ScalarAsync<int>(database, "SELECT version FROM orleansstorage"));
    }

    [Fact]
    public async Task a_write_based_on_a_stale_version_is_rejected_as_inconsistent_state()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        using var silo = await StartSiloAsync(database, NewId(), adoNetClustering: false);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageProbeGrain.StorageName);
        var grainId = GrainId.Create("probe", "customer-3");
        const string grainType = "Cashback.Tests.Database.StorageProbeGrain";

        var writer = new GrainState<StorageProbeState>(new StorageProbeState { Value = "a" });
        await storage.WriteStateAsync(grainType, grainId, writer);
        var secondFirstWriter = new GrainState<StorageProbeState>(new StorageProbeState { Value = "b" });
        var doubleInsert = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(grainType, grainId, secondFirstWriter));

        var stale = new GrainState<StorageProbeState>(new StorageProbeState { Value = "c" }) { ETag = writer.ETag };
        await storage.WriteStateAsync(grainType, grainId, writer);
        var staleUpdate = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(grainType, grainId, stale));

        var read = new GrainState<StorageProbeState>();
        await storage.ReadStateAsync(grainType, grainId, read);
        await silo.StopAsync();

        Assert.NotNull(doubleInsert);
        Assert.NotNull(staleUpdate);
        Assert.Equal("2", read.ETag);
        Assert.Equal("a", read.State?.Value);
    }

    [Fact]
    public async Task a_silo_using_ado_net_clustering_is_listed_active_in_the_membership_table_and_dead_after_stopping()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        // A session time zone far from UTC exposes any timestamp that loses its zone on the way in.
        var databaseName = new NpgsqlConnectionStringBuilder(database).Database;
        await Sql.ExecuteAsync(database, $"ALTER DATABASE {databaseName} SET timezone = 'Asia/Kathmandu'");
        var gatewayPort = LoopbackPorts.NextFree();

        using var silo = await StartSiloAsync(database, NewId(), adoNetClustering: true, gatewayPort);
        var whileRunning = await MembershipAsync(database);
        await silo.StopAsync();
        var afterStop = await MembershipAsync(database);

        var row = Assert.Single(whileRunning);
        Assert.Equal(ActiveStatus, row.Status);
        Assert.Equal(gatewayPort, row.ProxyPort);
        Assert.InRange(row.SecondsSinceStart, -60, 60);
        Assert.Equal(DeadStatus, Assert.Single(afterStop).Status);
        Assert.True(await Sql.ScalarAsync<int>(database, "SELECT version FROM orleansmembershipversiontable") >= 2);
    }

    private static Task<List<(int Status, int ProxyPort, double SecondsSinceStart)>> MembershipAsync(string database) =>
        Sql.QueryAsync(database,
            "SELECT status, proxyport, extract(epoch FROM now() - starttime)::float8 FROM orleansmembershiptable",
            r => (r.GetInt32(0), r.GetInt32(1), r.GetDouble(2)));

    private static async Task<IHost> StartSiloAsync(string database, string serviceId, bool adoNetClustering, int? gatewayPort = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            var siloPort = LoopbackPorts.NextFree();
            var proxyPort = gatewayPort ?? LoopbackPorts.NextFree();
            var clusterId = NewId();
            if (adoNetClustering)
            {
                silo.UseAdoNetClustering(options =>
                {
                    options.Invariant = NpgsqlRegistration.Invariant;
                    options.ConnectionString = database;
                });
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = serviceId;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, proxyPort);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, proxyPort, serviceId: serviceId, clusterId: clusterId);
            }

            silo.AddAdoNetGrainStorage(StorageProbeGrain.StorageName, options =>
            {
                options.Invariant = NpgsqlRegistration.Invariant;
                options.ConnectionString = database;
            });
        });

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
