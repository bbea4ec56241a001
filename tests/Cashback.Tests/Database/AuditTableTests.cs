using Cashback.Tests.Infrastructure;
using Npgsql;

namespace Cashback.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class AuditTableTests(PostgresServerFixture postgres)
{
    private const string InsertFridayPurchase = """
        INSERT INTO cashback_transactions
            (customer_id, transaction_id, type, amount, currency, merchant_id, transaction_timestamp,
             transaction_utc_offset_minutes, eligible, cashback, reason, rule_id, rule_set_version, balance_after,
             kafka_topic, kafka_partition, kafka_offset, processed_at)
        VALUES
            ('123', '1', 'purchase', 27.5, 'USD', 'MerchantX', '2023-04-21T23:30:00-05:00',
             -300, true, 2.75, 'earned', 'seed', 1, 2.75, 'transactions', 3, 42, now())
        """;

    [Fact]
    public async Task the_audit_table_is_keyed_by_customer_and_transaction_and_indexed_by_customer_and_time_and_by_refunded_purchase()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();

        var indexes = await Sql.QueryAsync(database,
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cashback_transactions' ORDER BY indexname",
            r => (Name: r.GetString(0), Definition: r.GetString(1)));

        Assert.Collection(indexes,
            index =>
            {
                Assert.Equal("ix_cashback_transactions_customer_timestamp", index.Name);
                Assert.EndsWith("(customer_id, transaction_timestamp, transaction_id)", index.Definition, StringComparison.Ordinal);
            },
            index =>
            {
                Assert.Equal("ix_cashback_transactions_refunds", index.Name);
                Assert.EndsWith("(customer_id, original_transaction_id) WHERE (type = 'refund'::text)", index.Definition, StringComparison.Ordinal);
            },
            index =>
            {
                Assert.Equal("pk_cashback_transactions", index.Name);
                Assert.Contains("UNIQUE", index.Definition, StringComparison.Ordinal);
                Assert.EndsWith("(customer_id, transaction_id)", index.Definition, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task a_transaction_recorded_twice_for_the_same_customer_is_rejected()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await Sql.ExecuteAsync(database, InsertFridayPurchase);

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(database, InsertFridayPurchase));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    [Fact]
    public async Task an_auditor_sees_the_point_of_sale_local_time_and_exact_amounts()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await Sql.ExecuteAsync(database, InsertFridayPurchase);

        var row = Assert.Single(await Sql.QueryAsync(database,
            """
            SELECT to_char(transaction_local_time, 'YYYY-MM-DD HH24:MI Dy'), amount::text, cashback::text,
                   transaction_timestamp AT TIME ZONE 'UTC'
              FROM cashback_transactions
            """,
            r => (Local: r.GetString(0), Amount: r.GetString(1), Cashback: r.GetString(2), Utc: r.GetDateTime(3))));

        Assert.Equal("2023-04-21 23:30 Fri", row.Local);
        Assert.Equal(new DateTime(2023, 4, 22, 4, 30, 0), row.Utc);
        Assert.Equal("27.5000", row.Amount);
        Assert.Equal("2.75", row.Cashback);
    }

    [Fact]
    public async Task a_purchase_cannot_be_recorded_with_negative_cashback()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();

        var refusal = await Assert.ThrowsAsync<PostgresException>(
            () => Sql.ExecuteAsync(database, InsertFridayPurchase.Replace("true, 2.75", "true, -2.75", StringComparison.Ordinal)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, refusal.SqlState);
    }
}
