using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Tests.Infrastructure;
using Npgsql;

namespace Cashback.Tests.Accounts;

[Collection(PostgresCollection.Name)]
public sealed class AccountGrainTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task a_friday_purchase_at_merchant_x_credits_ten_percent_and_is_audited()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("123");

        var outcome = await account.ApplyAsync(TestTransactions.Purchase("1", "123", 20m), new SourcePosition("transactions", 3, 42));

        Assert.Equal(2.00m, outcome.Cashback);
        Assert.Equal("earned", outcome.Reason);
        Assert.Equal("merchant-x-friday", outcome.RuleId);
        Assert.Equal(1, outcome.RuleSetVersion);
        Assert.Equal(2.00m, outcome.Balance);
        Assert.Equal(cluster.Time.GetUtcNow(), outcome.ProcessedAt);
        Assert.False(outcome.WasDuplicate);

        var balance = await account.GetBalanceAsync();
        Assert.NotNull(balance);
        Assert.Equal(2.00m, balance.Balance);
        Assert.Equal(2.00m, balance.LifetimeCashback);
        Assert.Equal(1, balance.TransactionsProcessed);

        var row = await AuditRowAsync(database, "123", "1");
        Assert.Equal((2.00m, "earned", 3, 42L), row);
    }

    [Fact]
    public async Task applying_the_same_transaction_again_changes_nothing_and_returns_the_first_outcome()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("dup");
        var purchase = TestTransactions.Purchase("t-1", "dup", 50m);

        var first = await account.ApplyAsync(purchase, null);
        cluster.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await account.ApplyAsync(purchase, null);

        Assert.True(second.WasDuplicate);
        Assert.Equal(first with { WasDuplicate = true }, second);
        var balance = await account.GetBalanceAsync();
        Assert.Equal(5.00m, balance!.Balance);
        Assert.Equal(1, balance.TransactionsProcessed);
    }

    [Fact]
    public async Task a_redelivered_message_owes_its_event_again_but_the_same_transaction_sent_again_does_not()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("events");
        var purchase = TestTransactions.Purchase("t-1", "events", 20m);
        var original = new SourcePosition("transactions", 1, 10);

        var first = await account.ApplyAsync(purchase, original);
        var redelivered = await account.ApplyAsync(purchase, original);
        var resent = await account.ApplyAsync(purchase, new SourcePosition("transactions", 1, 11));

        Assert.True(first.OwesEventFor(original));
        Assert.True(redelivered.WasDuplicate);
        Assert.True(redelivered.OwesEventFor(original));
        Assert.True(resent.WasDuplicate);
        Assert.False(resent.OwesEventFor(new SourcePosition("transactions", 1, 11)));
    }

    [Fact]
    public async Task a_transaction_that_earns_nothing_is_counted_and_audited_with_its_reason()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("thursday");
        var thursday = TestTransactions.AFriday.AddDays(-1);

        var outcome = await account.ApplyAsync(TestTransactions.Purchase("t-1", "thursday", 100m, thursday), null);

        Assert.Equal(0m, outcome.Cashback);
        Assert.Equal("day_not_eligible", outcome.Reason);
        var balance = await account.GetBalanceAsync();
        Assert.Equal(0m, balance!.Balance);
        Assert.Equal(1, balance.TransactionsProcessed);
        Assert.Equal((0m, "day_not_eligible", (int?)null, (long?)null), await AuditRowAsync(database, "thursday", "t-1"));
    }

    [Fact]
    public async Task a_fresh_cluster_reads_the_balance_back_from_postgresql()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using (var first = await AccountTestCluster.StartAsync(database))
        {
            var account = first.Grains.GetGrain<IAccountGrain>("durable");
            await account.ApplyAsync(TestTransactions.Purchase("a", "durable", 15.55m), null);
            await account.ApplyAsync(TestTransactions.Purchase("b", "durable", 27.50m), null);
        }

        await using var second = await AccountTestCluster.StartAsync(database);
        var balance = await second.Grains.GetGrain<IAccountGrain>("durable").GetBalanceAsync();

        Assert.NotNull(balance);
        Assert.Equal(1.56m + 2.75m, balance.Balance);
        Assert.Equal(2, balance.TransactionsProcessed);
    }

    [Fact]
    public async Task a_transaction_older_than_the_idempotency_window_is_still_recognised_from_the_audit_table()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Accounts:IdempotencyWindow"] = "2" };
        await using var cluster = await AccountTestCluster.StartAsync(database, settings);
        var account = cluster.Grains.GetGrain<IAccountGrain>("window");
        var oldest = TestTransactions.Purchase("t-1", "window", 20m);

        var first = await account.ApplyAsync(oldest, null);
        for (var i = 2; i <= 5; i++)
        {
            await account.ApplyAsync(TestTransactions.Purchase($"t-{i}", "window", 20m), null);
        }

        var replay = await account.ApplyAsync(oldest, null);

        Assert.True(replay.WasDuplicate);
        Assert.Equal(first.Cashback, replay.Cashback);
        Assert.Equal(first.Balance, replay.Balance);
        var balance = await account.GetBalanceAsync();
        Assert.Equal(10.00m, balance!.Balance);
        Assert.Equal(5, balance.TransactionsProcessed);
    }

    [Fact]
    public async Task an_account_that_never_had_a_transaction_has_no_balance()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);

        Assert.Null(await cluster.Grains.GetGrain<IAccountGrain>("nobody").GetBalanceAsync());
    }

    [Fact]
    public async Task the_audit_sum_equals_the_balance()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("sum");
        decimal[] amounts = [15m, 14.99m, 15.55m, 100.05m, 1_000_000_000m, 16.70m];
        for (var i = 0; i < amounts.Length; i++)
        {
            await account.ApplyAsync(TestTransactions.Purchase($"s-{i}", "sum", amounts[i]), null);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sum(cashback) FROM cashback_transactions WHERE customer_id = 'sum'", connection);
        var auditSum = (decimal)(await command.ExecuteScalarAsync())!;

        var balance = await account.GetBalanceAsync();
        Assert.Equal(1.50m + 1.56m + 10.01m + 100_000_000m + 1.67m, balance!.Balance);
        Assert.Equal(balance.Balance, auditSum);
    }

    private static async Task<(decimal Cashback, string Reason, int? Partition, long? Offset)> AuditRowAsync(
        string connectionString, string customerId, string transactionId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT cashback, reason, kafka_partition, kafka_offset FROM cashback_transactions WHERE customer_id = $1 AND transaction_id = $2",
            connection);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(transactionId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no audit row for {customerId}/{transactionId}");
        return (reader.GetDecimal(0), reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetInt32(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3));
    }
}
