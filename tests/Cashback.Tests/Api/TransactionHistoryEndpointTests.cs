using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class TransactionHistoryEndpointTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task the_history_lists_processed_transactions_newest_first_with_their_decisions_and_pages_through_them()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();
        var account = pipeline.Grains.GetGrain<IAccountGrain>("hist");
        var friday = TestTransactions.AFriday;
        await account.ApplyAsync(TestTransactions.Purchase("a", "hist", 20m, friday), new SourcePosition("transactions", 2, 7));
        await account.ApplyAsync(TestTransactions.Purchase("b", "hist", 10m, friday.AddHours(1)), null);
        await account.ApplyAsync(TestTransactions.Purchase("c", "hist", 30m, friday.AddHours(2), merchantId: "MerchantY"), null);

        var firstPage = await client.GetFromJsonAsync<JsonElement>("/accounts/hist/transactions?limit=2");
        var items = firstPage.GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(["c", "b"], items.Select(i => i.GetProperty("transactionId").GetString()));
        Assert.Equal("merchant_not_eligible", items[0].GetProperty("reason").GetString());
        Assert.Equal("amount_below_minimum", items[1].GetProperty("reason").GetString());

        var next = firstPage.GetProperty("nextBefore").GetString();
        var secondPage = await client.GetFromJsonAsync<JsonElement>($"/accounts/hist/transactions?limit=2&before={Uri.EscapeDataString(next!)}");
        var last = Assert.Single(secondPage.GetProperty("transactions").EnumerateArray());
        Assert.Equal("a", last.GetProperty("transactionId").GetString());
        Assert.Equal("earned", last.GetProperty("reason").GetString());
        Assert.Equal("2.00", last.GetProperty("cashback").GetString());
        Assert.Equal("merchant-x-friday", last.GetProperty("ruleId").GetString());
        Assert.Equal(7, last.GetProperty("source").GetProperty("offset").GetInt64());
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("nextBefore").ValueKind);
    }

    [Fact]
    public async Task before_also_takes_a_timestamp()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();
        var account = pipeline.Grains.GetGrain<IAccountGrain>("ts");
        await account.ApplyAsync(TestTransactions.Purchase("early", "ts", 20m, TestTransactions.AFriday), null);
        await account.ApplyAsync(TestTransactions.Purchase("late", "ts", 20m, TestTransactions.AFriday.AddDays(7)), null);

        var page = await client.GetFromJsonAsync<JsonElement>($"/accounts/ts/transactions?before={Uri.EscapeDataString("2023-04-25T00:00:00Z")}");

        Assert.Equal("early", Assert.Single(page.GetProperty("transactions").EnumerateArray()).GetProperty("transactionId").GetString());
    }

    [Theory]
    [InlineData("/accounts/nobody/transactions", HttpStatusCode.NotFound)]
    [InlineData("/accounts/bad%20id/transactions", HttpStatusCode.BadRequest)]
    [InlineData("/accounts/x/transactions?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/accounts/x/transactions?limit=501", HttpStatusCode.BadRequest)]
    [InlineData("/accounts/x/transactions?before=yesterday", HttpStatusCode.BadRequest)]
    public async Task bad_requests_and_unknown_accounts_are_problems(string path, HttpStatusCode expected)
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
