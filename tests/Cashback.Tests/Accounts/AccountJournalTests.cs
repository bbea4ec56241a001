using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Tests.Infrastructure;
using Npgsql;

namespace Cashback.Tests.Accounts;

/// <summary>
/// The audit table is the accounts' journal: a transaction is committed by its row, the Orleans state is a snapshot
/// saved every few transactions and on deactivation, and a reactivated grain replays the rows after its snapshot.
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
    public async Task the_state_is_saved_every_configured_number_of_transactions_and_on_deactivation()
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

        Assert.Equal(2, await StateVersionAsync(database, "snap")); // the silo stopped: the grain saved on deactivation
    }

    private static async Task InsertRowAsync(
        string database, string customerId, string transactionId, decimal amount, decimal cashback, decimal balanceAfter, long sequence)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO cashback_transactions (
                customer_id, transaction_id, type, amount, currency, merchant_id, transaction_timestamp,
                transaction_utc_offset_minutes, eligible, cashback, reason, rule_id, rule_set_version, balance_after,
                processed_at, account_sequence)
            VALUES ($1, $2, 'purchase', $3, 'USD', 'MerchantX', $4, 0, true, $5, 'earned', 'merchant-x-friday', 1, $6, now(), $7)
            """,
            connection);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(transactionId);
        command.Parameters.AddWithValue(amount);
        command.Parameters.AddWithValue(TestTransactions.AFriday);
        command.Parameters.AddWithValue(cashback);
        command.Parameters.AddWithValue(balanceAfter);
        command.Parameters.AddWithValue(sequence);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<long>> SequencesAsync(string database, string customerId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT account_sequence FROM cashback_transactions WHERE customer_id = $1 ORDER BY account_sequence", connection);
        command.Parameters.AddWithValue(customerId);
        await using var reader = await command.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }

    private static async Task<decimal> AuditSumAsync(string database, string customerId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sum(cashback) FROM cashback_transactions WHERE customer_id = $1", connection);
        command.Parameters.AddWithValue(customerId);
        return (decimal)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The version of the account's Orleans state row (one more per save), or null before the first save.</summary>
    private static async Task<int?> StateVersionAsync(string database, string customerId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM orleansstorage WHERE graintypestring = $1 AND grainidextensionstring = $2", connection);
        command.Parameters.AddWithValue("cashback-account-state");
        command.Parameters.AddWithValue(customerId);
        return (int?)await command.ExecuteScalarAsync();
    }
}
