using Cashback.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Cashback.Tests.Infrastructure;

/// <summary>An in-process Orleans cluster wired exactly like the silo host, on a given PostgreSQL database.</summary>
public sealed class AccountTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly string _connectionString;

    private AccountTestCluster(InProcessTestCluster cluster, string connectionString, FakeTimeProvider time)
    {
        _cluster = cluster;
        _connectionString = connectionString;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public IGrainFactory Grains => _cluster.Client;

    public static async Task<AccountTestCluster> StartAsync(
        string connectionString,
        IReadOnlyDictionary<string, string?>? settings = null,
        FakeTimeProvider? time = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var clock = time ?? new FakeTimeProvider(new DateTimeOffset(2023, 4, 21, 12, 0, 0, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = "cashback"; // grain state is keyed by service id: every cluster of a test reads the same

        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAccountGrains(connectionString, configuration);
            silo.Services.AddSingleton<TimeProvider>(clock);
            configureServices?.Invoke(silo.Services);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new AccountTestCluster(cluster, connectionString, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        PostgresPools.Release(_connectionString);
    }
}
