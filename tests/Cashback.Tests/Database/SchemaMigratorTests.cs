using Cashback.Silo.Database;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cashback.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class SchemaMigratorTests(PostgresServerFixture postgres)
{
    private static readonly IReadOnlyList<Migration> Embedded = EmbeddedMigrations.Load();

    [Fact]
    public void the_embedded_migrations_are_numbered_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, Embedded.Count), Embedded.Select(m => m.Version));
        Assert.Contains(Embedded, m => m.Name == "cashback_transactions");
    }

    [Fact]
    public async Task migrations_apply_on_an_empty_database()
    {
        var database = await postgres.CreateDatabaseAsync();

        await Migrator().ApplyAsync(database, CancellationToken.None);

        var applied = await Sql.QueryAsync(database, "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2)));
        Assert.Equal(Embedded.Select(m => (m.Version, m.Name, m.Checksum)), applied);
        var tables = await Sql.QueryAsync(database,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
            r => r.GetString(0));
        Assert.Equal(
            ["cashback_handover_offsets", "cashback_partition_owners", "cashback_transactions", "orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansstorage", "rule_sets", "schema_migrations"],
            tables);
    }

    [Fact]
    public async Task the_orleans_query_table_holds_every_query_the_providers_ask_for()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();

        var keys = await Sql.QueryAsync(database, "SELECT QueryKey FROM OrleansQuery ORDER BY 1", r => r.GetString(0));

        string[] expected =
        [
            "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteStorageKey",
            "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
            "MembershipReadRowKey", "ReadFromStorageKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task applying_the_migrations_a_second_time_changes_nothing()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var before = await Sql.QueryAsync(database, "SELECT version, applied_at FROM schema_migrations ORDER BY version",
            r => (r.GetInt32(0), r.GetDateTime(1)));

        await Migrator().ApplyAsync(database, CancellationToken.None);

        var after = await Sql.QueryAsync(database, "SELECT version, applied_at FROM schema_migrations ORDER BY version",
            r => (r.GetInt32(0), r.GetDateTime(1)));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task four_silos_migrating_one_fresh_database_at_once_apply_each_migration_exactly_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var silos = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(async () =>
            {
                await start.Task;
                await Migrator().ApplyAsync(database, CancellationToken.None);
            }))
            .ToArray();
        start.SetResult();
        await Task.WhenAll(silos);

        var applied = await Sql.QueryAsync(database, "SELECT version FROM schema_migrations ORDER BY version", r => r.GetInt32(0));
        Assert.Equal(Embedded.Select(m => m.Version), applied);
        Assert.Equal(13, await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task a_migration_edited_after_it_was_applied_is_refused()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var edited = Embedded
            .Select(m => m.Version == 4 ? m with { Sql = m.Sql + "\nCREATE INDEX sneaky ON cashback_transactions (merchant_id);" } : m)
            .ToList();

        var refusal = await Assert.ThrowsAsync<MigrationChecksumMismatchException>(
            () => new SchemaMigrator(NullLogger<SchemaMigrator>.Instance, edited).ApplyAsync(database, CancellationToken.None));

        Assert.Equal(4, refusal.Version);
        Assert.Contains("0004_cashback_transactions", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM pg_indexes WHERE indexname = 'sneaky'"));
    }

    [Fact]
    public async Task a_new_migration_is_applied_on_top_of_the_existing_ones()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        var next = Embedded.Count + 1;
        var extended = Embedded.Append(new Migration(next, "merchant_index", "CREATE INDEX ix_merchant ON cashback_transactions (merchant_id);")).ToList();

        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance, extended).ApplyAsync(database, CancellationToken.None);

        var applied = await Sql.QueryAsync(database, "SELECT version FROM schema_migrations ORDER BY version", r => r.GetInt32(0));
        Assert.Equal(Enumerable.Range(1, next), applied);
    }

    [Fact]
    public async Task a_failing_migration_is_rolled_back_whole_and_not_recorded()
    {
        var database = await postgres.CreateDatabaseAsync();
        Migration[] migrations =
        [
            new(1, "first", "CREATE TABLE first_table (id int);"),
            new(2, "broken", "CREATE TABLE second_table (id int); SELECT 1 / 0;"),
        ];

        await Assert.ThrowsAsync<PostgresException>(
            () => new SchemaMigrator(NullLogger<SchemaMigrator>.Instance, migrations).ApplyAsync(database, CancellationToken.None));

        var applied = await Sql.QueryAsync(database, "SELECT version FROM schema_migrations", r => r.GetInt32(0));
        Assert.Equal([1], applied);
        var tables = await Sql.QueryAsync(database,
            "SELECT table_name FROM information_schema.tables WHERE table_name IN ('first_table', 'second_table')",
            r => r.GetString(0));
        Assert.Equal(["first_table"], tables);
    }

    private static SchemaMigrator Migrator() => new(NullLogger<SchemaMigrator>.Instance);
}
