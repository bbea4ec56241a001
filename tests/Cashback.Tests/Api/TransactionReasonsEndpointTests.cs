using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Tests.Infrastructure;
using static Cashback.Tests.Infrastructure.TestTransactions;

namespace Cashback.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class TransactionReasonsEndpointTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task the_history_says_why_each_purchase_and_refund_earned_or_reversed_what_it_did()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();
        var account = pipeline.Grains.GetGrain<IAccountGrain>("why");
        await account.ApplyAsync(Purchase("p-1", "why", 40m), null);
        await account.ApplyAsync(Purchase("p-2", "why", 40m, AFriday.AddDays(-1)), null);
        await account.ApplyAsync(Refund("r-1", "why", 10m, "p-1"), null);
        await account.ApplyAsync(Refund("r-2", "why", 10m, "p-3"), null);

        using var response = await client.GetAsync("/accounts/why/transactions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transactions").EnumerateArray()
            .Select(item => string.Join(" ",
                item.GetProperty("transactionId").GetString(),
                item.GetProperty("type").GetString(),
                item.GetProperty("originalTransactionId").GetString() ?? "-",
                item.GetProperty("eligible").GetBoolean() ? "eligible" : "not-eligible",
                item.GetProperty("cashback").GetString(),
                item.GetProperty("reason").GetString(),
                item.GetProperty("ruleId").GetString() ?? "-",
                item.GetProperty("balanceAfter").GetString()))
            .ToList();
        Assert.Equal(
            [
                "r-2 refund p-3 not-eligible 0.00 refund_of_unknown_purchase - 3.00",
                "r-1 refund p-1 not-eligible -1.00 reversed merchant-x-friday 3.00",
                "p-1 purchase - eligible 4.00 earned merchant-x-friday 4.00",
                "p-2 purchase - not-eligible 0.00 day_not_eligible - 4.00",
            ],
            items);
    }
}
