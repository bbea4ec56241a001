using Cashback.Grains.Interfaces.Accounts;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Accounts;

[Collection(PostgresCollection.Name)]
public sealed class AccountGrainReferencesTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task a_reference_it_makes_reaches_the_same_account_as_get_grain()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var references = new AccountGrainReferences(cluster.Grains);

        var first = references.For("ref-0");
        var made = references.For("ref-1");
        var fromFactory = cluster.Grains.GetGrain<IAccountGrain>("ref-1");
        await made.ApplyAsync(TestTransactions.Purchase("t-1", "ref-1", 20m), null);

        Assert.Equal(cluster.Grains.GetGrain<IAccountGrain>("ref-0").GetGrainId(), first.GetGrainId());
        Assert.Equal(fromFactory.GetGrainId(), made.GetGrainId());
        Assert.NotEqual(fromFactory.GetGrainId(), references.For("ref-2").GetGrainId());
        var balance = await fromFactory.GetBalanceAsync();
        Assert.Equal(2.00m, balance!.Balance);
    }
}
