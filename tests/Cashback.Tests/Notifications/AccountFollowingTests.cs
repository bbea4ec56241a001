using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Notifications;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cashback.Tests.Notifications;

[Collection(PostgresCollection.Name)]
public sealed class AccountFollowingTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task an_account_publishes_live_notifications_only_while_its_follow_lease_runs()
    {
        var published = new RecordingNotifier();
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(
            database, configureServices: services => services.AddSingleton<ICashbackNotifier>(published));
        var account = cluster.Grains.GetGrain<IAccountGrain>("followed");

        await account.ApplyAsync(TestTransactions.Purchase("before", "followed", 20m), null);
        await account.FollowAsync(TimeSpan.FromSeconds(10));
        await account.ApplyAsync(TestTransactions.Purchase("during", "followed", 20m), null);
        cluster.Time.Advance(TimeSpan.FromSeconds(11));
        await account.ApplyAsync(TestTransactions.Purchase("after", "followed", 20m), null);
        await account.FollowAsync(TimeSpan.FromSeconds(10));
        await account.ApplyAsync(TestTransactions.Purchase("renewed", "followed", 20m), null);

        Assert.Equal(["during", "renewed"], published.TransactionIds);
        Assert.Equal(8.00m, (await account.GetBalanceAsync())!.Balance);
    }

    private sealed class RecordingNotifier : ICashbackNotifier
    {
        private readonly List<string> _transactionIds = [];

        public IReadOnlyList<string> TransactionIds
        {
            get
            {
                lock (_transactionIds)
                {
                    return [.. _transactionIds];
                }
            }
        }

        public Task NotifyAsync(IReadOnlyList<CashbackNotification> notifications)
        {
            lock (_transactionIds)
            {
                _transactionIds.AddRange(notifications.Select(n => n.Transaction.TransactionId));
            }

            return Task.CompletedTask;
        }
    }
}
