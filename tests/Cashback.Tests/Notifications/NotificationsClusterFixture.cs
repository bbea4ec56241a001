using Cashback.Grains.Interfaces.Accounts;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Notifications;

/// <summary>One two-silo cluster for all notification tests; each test uses its own account ids.</summary>
public sealed class NotificationsClusterFixture : IAsyncLifetime
{
    private readonly PostgresServerFixture _postgres = new();
    private TwoSiloCluster? _cluster;

    public TwoSiloCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _cluster = await TwoSiloCluster.StartAsync(_postgres);
        await WaitUntilBothSilosHearNotificationsAsync(_cluster);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    // Once the second silo joined, the memory stream queues move between the two silos' pulling agents; an event in
    // flight while its queue moves can be lost (live notifications are best effort; Last-Event-ID recovers it).
    // Wait until events reach subscribers on both silos, so that tests start on a settled cluster.
    private static async Task WaitUntilBothSilosHearNotificationsAsync(TwoSiloCluster cluster)
    {
        const string account = "warm-up";
        using var firstClient = cluster.First.CreateClient();
        using var secondClient = cluster.Second.CreateClient();
        await using var onFirst = await NotificationStream.OpenAsync(firstClient, account);
        await using var onSecond = await NotificationStream.OpenAsync(secondClient, account);
        var grain = TwoSiloCluster.GrainsOf(cluster.First).GetGrain<IAccountGrain>(account);
        var purchases = 0;
        await Eventually.ReachesAsync(
            async () =>
            {
                await grain.ApplyAsync(TestTransactions.Purchase($"warm-up-{++purchases}", account, 20m), null);
                return onFirst.Received.Count > 0 && onSecond.Received.Count > 0;
            },
            heard => heard,
            TimeSpan.FromSeconds(60),
            "a notification heard on both silos");
    }
}
