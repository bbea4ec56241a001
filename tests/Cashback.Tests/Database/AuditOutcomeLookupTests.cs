using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Tests.Infrastructure;
using Npgsql;
using static Cashback.Tests.Infrastructure.TestTransactions;

namespace Cashback.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class AuditOutcomeLookupTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task look_ups_of_many_accounts_at_once_each_find_only_their_own_recorded_outcomes()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var log = new PostgresAuditLog(dataSource);
        IAuditLog audit = log;
        var accounts = Enumerable.Range(0, 40).Select(i => $"lookup-{i}").ToArray();
        // Every account has a t-1 and a t-2 of its own, with a cashback that tells the accounts apart.
        await audit.RecordAsync([
            .. accounts.SelectMany((account, i) => new[]
            {
                new AuditRecord(Purchase("t-1", account, 20m + i), Outcome("t-1", 2m + i), null, null, 1),
                new AuditRecord(Purchase("t-2", account, 30m + i), Outcome("t-2", 3m + i), null, null, 2),
            }),
        ]);

        var lookups = await Task.WhenAll(accounts.Select((account, i) =>
            audit.FindOutcomesAsync(account, i % 2 == 0 ? ["t-1", "t-2", "never-seen"] : ["t-2"])));

        for (var i = 0; i < accounts.Length; i++)
        {
            var expected = i % 2 == 0
                ? new Dictionary<string, decimal> { ["t-1"] = 2m + i, ["t-2"] = 3m + i }
                : new Dictionary<string, decimal> { ["t-2"] = 3m + i };
            Assert.Equal(expected, lookups[i].ToDictionary(found => found.Key, found => found.Value.Cashback));
            Assert.All(lookups[i].Values, outcome => Assert.True(outcome.WasDuplicate));
        }
    }

    private static TransactionOutcome Outcome(string transactionId, decimal cashback) =>
        new(transactionId, cashback, "earned", "merchant-x-friday", 1, cashback, AFriday, WasDuplicate: false, Source: null);
}
