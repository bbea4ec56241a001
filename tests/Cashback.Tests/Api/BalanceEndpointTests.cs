using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class BalanceEndpointTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task the_balance_of_an_account_with_cashback_is_returned_with_every_field()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();
        await pipeline.Grains.GetGrain<IAccountGrain>("123").ApplyAsync(TestTransactions.Purchase("1", "123", 27.50m), null);

        using var response = await client.GetAsync("/accounts/123/balance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("123", body.GetProperty("customerId").GetString());
        Assert.Equal("2.75", body.GetProperty("balance").GetString());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Equal("2.75", body.GetProperty("lifetimeCashback").GetString());
        Assert.Equal(1, body.GetProperty("transactionsProcessed").GetInt64());
        Assert.True(body.TryGetProperty("updatedAt", out var updatedAt) && updatedAt.TryGetDateTimeOffset(out _));
    }

    [Fact]
    public async Task an_account_that_never_had_a_transaction_is_not_found_as_problem_json()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();

        using var response = await client.GetAsync("/accounts/never-seen/balance");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("semi;colon")]
    [InlineData("ümlaut")]
    public async Task an_invalid_customer_id_is_a_bad_request_as_problem_json(string customerId)
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();

        using var response = await client.GetAsync($"/accounts/{customerId}/balance");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_customer_id_longer_than_128_characters_is_a_bad_request()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        using var client = pipeline.Silo.CreateClient();

        using var response = await client.GetAsync($"/accounts/{new string('a', 129)}/balance");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
