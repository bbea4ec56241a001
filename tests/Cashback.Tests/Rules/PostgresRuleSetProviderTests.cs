using Cashback.Grains.Rules;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cashback.Tests.Rules;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRuleSetProviderTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task an_empty_table_is_seeded_with_the_default_rule_set_as_version_1()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var provider = Provider(new RuleSetStore(dataSource));

        await provider.StartAsync(CancellationToken.None);
        await provider.StopAsync(CancellationToken.None);

        Assert.Equal(RuleSetDocument.Serialize(DefaultRuleSet.Load()), RuleSetDocument.Serialize(provider.Current));
        var rows = await Sql.QueryAsync(database, "SELECT version, created_by, document ->> 'version' FROM rule_sets",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2)));
        Assert.Equal([(1, "seed", "1")], rows);
    }

    [Fact]
    public async Task a_table_that_holds_rule_sets_is_not_seeded_again_and_its_latest_version_is_in_force()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new RuleSetStore(dataSource);
        await store.SaveAsync(Parse(RuleDocuments.AnyDayAt(3, "MerchantY")), "operator");
        var provider = Provider(store);

        await provider.StartAsync(CancellationToken.None);
        await provider.StopAsync(CancellationToken.None);

        Assert.Equal(3, provider.Current.Version);
        Assert.Equal([3], await Sql.QueryAsync(database, "SELECT version FROM rule_sets", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task a_version_stored_elsewhere_is_picked_up_by_polling()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new RuleSetStore(dataSource);
        var provider = Provider(store, TimeSpan.FromMilliseconds(100));
        await provider.StartAsync(CancellationToken.None);

        await store.SaveAsync(Parse(RuleDocuments.AnyDayAt(2, "MerchantY")), "operator");

        await Eventually.ReachesAsync(() => Task.FromResult(provider.Current.Version), v => v == 2, TimeSpan.FromSeconds(10), "version 2 in force");
        await provider.StopAsync(CancellationToken.None);
        Assert.Equal("MerchantY", Assert.Single(provider.Current.Rules.Single().Merchants));
    }

    [Fact]
    public async Task an_invalid_document_written_by_hand_is_ignored_and_the_last_good_version_stays_in_force()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new RuleSetStore(dataSource);
        var provider = Provider(store);
        await provider.StartAsync(CancellationToken.None);
        await Sql.ExecuteAsync(database,
            """INSERT INTO rule_sets (version, document, created_by) VALUES (2, '{"version": 2, "rules": []}', 'psql')""");

        await provider.RefreshAsync();
        var afterInvalid = provider.Current.Version;
        await store.SaveAsync(Parse(RuleDocuments.AnyDayAt(3, "MerchantY")), "operator");
        await provider.RefreshAsync();
        await provider.StopAsync(CancellationToken.None);

        Assert.Equal(1, afterInvalid);
        Assert.Equal(3, provider.Current.Version);
    }

    [Fact]
    public async Task the_store_refuses_a_version_that_is_not_greater_than_the_latest()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new RuleSetStore(dataSource);
        await store.SaveAsync(Parse(RuleDocuments.AnyDayAt(4, "MerchantY")), "operator");

        var same = await store.SaveAsync(Parse(RuleDocuments.AnyDayAt(4, "MerchantZ")), "operator");
        var older = await store.SaveAsync(Parse(RuleDocuments.AnyDayAt(2, "MerchantZ")), "operator");

        Assert.Equal(new RuleSetSaveResult.NotNewer(4), same);
        Assert.Equal(new RuleSetSaveResult.NotNewer(4), older);
        var latest = await store.ReadAsync();
        Assert.Equal((4, "operator"), (latest!.Version, latest.CreatedBy));
        Assert.Equal("MerchantY", Assert.Single(Parse(latest.Document).Rules.Single().Merchants));
    }

    private static PostgresRuleSetProvider Provider(RuleSetStore store, TimeSpan? pollInterval = null) => new(
        store,
        DefaultRuleSet.Load(),
        Options.Create(new RuleSetOptions { PollInterval = pollInterval ?? TimeSpan.FromSeconds(5) }),
        TimeProvider.System,
        NullLogger<PostgresRuleSetProvider>.Instance);

    private static RuleSet Parse(string document)
    {
        var result = RuleSetDocument.Parse(document);
        Assert.True(result.IsValid, string.Join("; ", result.Faults));
        return result.RuleSet;
    }
}
