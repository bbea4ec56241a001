using Cashback.Grains.Accounts;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Cashback.Tests.Accounts;

/// <summary>
/// The audit table is the accounts' journal: a transaction is committed by its row, the Orleans state is a snapshot
/// saved every few transactions (never on deactivation), and a reactivated grain replays the rows after its snapshot.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AccountJournalTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task an_account_replays_the_audit_rows_committed_after_its_last_snapshot()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using (var first = await AccountTestCluster.StartAsync(database))
        {
            var account = first.Grains.GetGrain<IAccountGrain>("crashed");
            await account.ApplyAsync(TestTransactions.Purchase("a", "crashed", 20m), null);
            await account.ApplyAsync(TestTransactions.Purchase("b", "crashed", 30m), null);
        }

        // As if a later activation had committed a row and then died before saving its snapshot.
        await InsertRowAsync(database, "crashed", "c", amount: 40m, cashback: 4.00m, balanceAfter: 9.00m, sequence: 3);

        await using var second = await AccountTestCluster.StartAsync(database);
        var resumed = second.Grains.GetGrain<IAccountGrain>("crashed");
        var balance = await resumed.GetBalanceAsync();
        var again = await resumed.ApplyAsync(TestTransactions.Purchase("c", "crashed", 40m), null);
        var next = await resumed.ApplyAsync(TestTransactions.Purchase("d", "crashed", 50m), null);

        Assert.Equal(9.00m, balance!.Balance);
        Assert.Equal(3, balance.TransactionsProcessed);
        Assert.True(again.WasDuplicate);
        Assert.Equal(4.00m, again.Cashback);
        Assert.Equal(14.00m, next.Balance);
        Assert.Equal([1L, 2L, 3L, 4L], await SequencesAsync(database, "crashed"));
        Assert.Equal(14.00m, await AuditSumAsync(database, "crashed"));
    }

    [Fact]
    public async Task a_batch_longer_than_the_window_finds_its_own_duplicates_and_refunded_purchases()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Accounts:IdempotencyWindow"] = "2" }; // p1 leaves it at once
        await using var cluster = await AccountTestCluster.StartAsync(database, settings);
        var account = cluster.Grains.GetGrain<IAccountGrain>("batch");
        SourcedTransaction[] batch =
        [
            new(TestTransactions.Purchase("p1", "batch", 20m), new SourcePosition("transactions", 0, 1)),
            new(TestTransactions.Purchase("p2", "batch", 14m), new SourcePosition("transactions", 0, 2)),
            new(TestTransactions.Purchase("p3", "batch", 30m), new SourcePosition("transactions", 0, 3)),
            new(TestTransactions.Purchase("p1", "batch", 20m), new SourcePosition("transactions", 0, 4)),
            new(TestTransactions.Refund("r1", "batch", 10m, "p1"), new SourcePosition("transactions", 0, 5)),
            new(TestTransactions.Refund("r2", "batch", 10m, "p1"), new SourcePosition("transactions", 0, 6)),
            new(TestTransactions.Refund("r3", "batch", 5m, "p1"), new SourcePosition("transactions", 0, 7)),
        ];

        var outcomes = await account.ApplyBatchAsync(batch);

        Assert.Equal(["p1", "p2", "p3", "p1", "r1", "r2", "r3"], outcomes.Select(o => o.TransactionId));
        Assert.Equal([2.00m, 0m, 3.00m, 2.00m, -1.00m, -1.00m, 0m], outcomes.Select(o => o.Cashback));
        Assert.Equal([false, false, false, true, false, false, false], outcomes.Select(o => o.WasDuplicate));
        Assert.Equal([2.00m, 2.00m, 5.00m, 2.00m, 4.00m, 3.00m, 3.00m], outcomes.Select(o => o.Balance));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], await SequencesAsync(database, "batch"));
        Assert.Equal(3.00m, await AuditSumAsync(database, "batch"));
        Assert.Equal(6, (await account.GetBalanceAsync())!.TransactionsProcessed);
    }

    [Fact]
    public async Task a_batch_recognises_earlier_transactions_in_the_window_it_pushes_on_and_in_the_audit_table()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Accounts:IdempotencyWindow"] = "2" };
        await using var cluster = await AccountTestCluster.StartAsync(database, settings);
        var account = cluster.Grains.GetGrain<IAccountGrain>("redelivered");
        await account.ApplyAsync(TestTransactions.Purchase("old", "redelivered", 20m), null);
        await account.ApplyAsync(TestTransactions.Purchase("recent", "redelivered", 30m), null);
        await account.ApplyAsync(TestTransactions.Purchase("latest", "redelivered", 40m), null); // "old" is only in the audit table now

        // "latest" is in the window when the call starts and leaves it after two new transactions.
        var outcomes = await account.ApplyBatchAsync(
        [
            new(TestTransactions.Purchase("new-1", "redelivered", 20m), null),
            new(TestTransactions.Purchase("new-2", "redelivered", 20m), null),
            new(TestTransactions.Purchase("latest", "redelivered", 40m), null),
            new(TestTransactions.Purchase("old", "redelivered", 20m), null),
            new(TestTransactions.Purchase("new-3", "redelivered", 20m), null),
        ]);

        Assert.Equal([false, false, true, true, false], outcomes.Select(o => o.WasDuplicate));
        Assert.Equal([2.00m, 2.00m, 4.00m, 2.00m, 2.00m], outcomes.Select(o => o.Cashback));
        Assert.Equal(15.00m, (await account.GetBalanceAsync())!.Balance);
        Assert.Equal(15.00m, await AuditSumAsync(database, "redelivered"));
    }

    [Fact]
    public async Task the_state_is_saved_every_configured_number_of_transactions_and_not_on_deactivation()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Accounts:SnapshotEvery"] = "3" };
        await using (var cluster = await AccountTestCluster.StartAsync(database, settings))
        {
            var account = cluster.Grains.GetGrain<IAccountGrain>("snap");
            await account.ApplyAsync(TestTransactions.Purchase("1", "snap", 20m), null);
            await account.ApplyAsync(TestTransactions.Purchase("2", "snap", 20m), null);
            Assert.Null(await StateVersionAsync(database, "snap"));

            await account.ApplyAsync(TestTransactions.Purchase("3", "snap", 20m), null);
            Assert.Equal(1, await StateVersionAsync(database, "snap"));

            await account.ApplyAsync(TestTransactions.Purchase("4", "snap", 20m), null);
            Assert.Equal(1, await StateVersionAsync(database, "snap"));
        }

        Assert.Equal(1, await StateVersionAsync(database, "snap")); // the silo stopped and the grain deactivated without a write

        await using var restarted = await AccountTestCluster.StartAsync(database, settings);
        var balance = await restarted.Grains.GetGrain<IAccountGrain>("snap").GetBalanceAsync();
        Assert.Equal(4, balance!.TransactionsProcessed);
        Assert.Equal(8.00m, balance.Balance);
    }

    [Fact]
    public async Task an_account_shed_under_memory_pressure_comes_back_whole_from_its_journal()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database, configureServices: services =>
            services.Configure<GrainCollectionOptions>(options =>
            {
                // Any memory in use is "pressure": every idle activation is shed at the first check after a full GC.
                options.EnableActivationSheddingOnMemoryPressure = true;
                options.MemoryUsageLimitPercentage = 0.001;
                options.MemoryUsageTargetPercentage = 0;
                options.MemoryUsagePollingPeriod = TimeSpan.FromMilliseconds(100);
            }));
        var account = cluster.Grains.GetGrain<IAccountGrain>("shed");
        await account.ApplyAsync(TestTransactions.Purchase("1", "shed", 20m), null);
        await account.ApplyAsync(TestTransactions.Purchase("2", "shed", 30m), null);

        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.ReachesAsync(
            async () =>
            {
                GC.Collect(); // shedding waits for a gen2 collection between checks
                var statistics = await management.GetSimpleGrainStatistics();
                return statistics.Where(s => s.GrainType.Contains(nameof(AccountGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
            },
            activations => activations == 0,
            TimeSpan.FromSeconds(20),
            "the account's activation to be shed");

        Assert.Null(await StateVersionAsync(database, "shed"));
        var balance = await account.GetBalanceAsync();
        Assert.Equal(2, balance!.TransactionsProcessed);
        Assert.Equal(5.00m, balance.Balance);
    }

    // Test-controlled literals only, so plain SQL text through the shared helper.
    private static Task InsertRowAsync(
        string database, string customerId, string transactionId, decimal amount, decimal cashback, decimal balanceAfter, long sequence) =>
        Sql.ExecuteAsync(database, FormattableString.Invariant($"""
            INSERT INTO cashback_transactions (
                customer_id, transaction_id, type, amount, currency, merchant_id, transaction_timestamp,
                transaction_utc_offset_minutes, eligible, cashback, reason, rule_id, rule_set_version, balance_after,
                processed_at, account_sequence)
            VALUES ('{customerId}', '{transactionId}', 'purchase', {amount}, 'USD', 'MerchantX', '{TestTransactions.AFriday:O}',
                    0, true, {cashback}, 'earned', 'merchant-x-friday', 1, {balanceAfter}, now(), {sequence})
            """));

    private static Task<List<long>> SequencesAsync(string database, string customerId) =>
        Sql.QueryAsync(
            database,
            $"SELECT account_sequence FROM cashback_transactions WHERE customer_id = '{customerId}' ORDER BY account_sequence",
            reader => reader.GetInt64(0));

    private static Task<decimal> AuditSumAsync(string database, string customerId) =>
        Sql.ScalarAsync<decimal>(database, $"SELECT sum(cashback) FROM cashback_transactions WHERE customer_id = '{customerId}'");

    /// <summary>The version of the account's Orleans state row (one more per save), or null before the first save.</summary>
    private static async Task<int?> StateVersionAsync(string database, string customerId)
    {
        var versions = await Sql.QueryAsync(
            database,
            $"SELECT version FROM orleansstorage WHERE graintypestring = 'cashback-account-state' AND grainidextensionstring = '{customerId}'",
            reader => reader.GetInt32(0));
        return versions.Count == 0 ? null : Assert.Single(versions);
    }
}
