using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Silo.Hosting;
using Cashback.Tests.Infrastructure;
using Npgsql;
using static Cashback.Tests.Infrastructure.TestTransactions;

namespace Cashback.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class JournalDataSourceTests(PostgresServerFixture postgres)
{
    private const int JournalWriters = PostgresAuditLog.Writers;

    private long _accountSequence;

    [Fact]
    public async Task journal_writers_whose_connections_the_server_dropped_write_the_next_batches_on_new_ones()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = AccountGrainsRegistration.CreateDataSource(database);
        await using var log = new PostgresAuditLog(dataSource);
        IAuditLog audit = log;
        for (var i = 0; i < JournalWriters * 2; i++)
        {
            await audit.RecordAsync([Row($"before-{i}")]);
        }

        var dropped = await Sql.ScalarAsync<long>(database,
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        Assert.True(dropped > 0);

        // Each writer whose connection died fails its next batch once (the account grain retries it) and then reconnects.
        var failures = 0;
        for (var i = 0; i < JournalWriters * 4; i++)
        {
            var row = Row($"after-{i}");
            while (true)
            {
                try
                {
                    await audit.RecordAsync([row]);
                    break;
                }
                catch (NpgsqlException) when (failures < JournalWriters * 2)
                {
                    failures++;
                }
            }
        }

        Assert.Equal(JournalWriters * 6L, await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM cashback_transactions"));
    }

    [Fact]
    public void connections_go_back_to_the_pool_without_a_reset()
    {
        using var dataSource = AccountGrainsRegistration.CreateDataSource("Host=127.0.0.1");

        Assert.True(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).NoResetOnClose);
    }

    private AuditRecord Row(string transactionId) => new(
        Purchase(transactionId, "journal-writer", 20m),
        new TransactionOutcome(transactionId, 2m, "earned", "merchant-x-friday", 1, 2m, AFriday, WasDuplicate: false, Source: null),
        null,
        null,
        ++_accountSequence);
}
