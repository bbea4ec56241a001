using Cashback.Silo.Hosting;
using Cashback.Tests.Infrastructure;
using Npgsql;

namespace Cashback.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class JournalDataSourceTests(PostgresServerFixture postgres)
{
    private const string RepeatedStatement = "SELECT count(*) FROM cashback_transactions WHERE customer_id = $1";

    [Fact]
    public async Task a_statement_repeated_on_pooled_connections_is_prepared_once_and_stays_prepared()
    {
        await using var dataSource = AccountGrainsRegistration.CreateDataSource(await postgres.CreateMigratedDatabaseAsync());
        for (var i = 0; i < 10; i++)
        {
            // Each command rents the pool's one idle connection and returns it, as a journal writer does per batch.
            await using var command = dataSource.CreateCommand(RepeatedStatement);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"account-{i}" });
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        await using var check = dataSource.CreateCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1");
        check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RepeatedStatement });
        Assert.Equal(1L, await check.ExecuteScalarAsync());
    }

    [Fact]
    public void a_connection_string_that_sets_max_auto_prepare_keeps_its_value()
    {
        using var dataSource = AccountGrainsRegistration.CreateDataSource("Host=127.0.0.1;Max Auto Prepare=4");

        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal(4, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
    }
}
