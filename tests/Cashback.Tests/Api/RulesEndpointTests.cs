using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Rules;
using Cashback.Tests.Infrastructure;
using Cashback.Tests.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace Cashback.Tests.Api;

// In the PostgreSQL collection, so that its silos never hold connections while other classes' silos run.
[Collection(PostgresCollection.Name)]
public sealed class RulesEndpointTests(RulesApiFixture fixture) : IClassFixture<RulesApiFixture>
{
    /// <summary>SPEC §3: every silo applies a new version within seconds; the brief says 5.</summary>
    private static readonly TimeSpan HotReloadDeadline = TimeSpan.FromSeconds(5);

    private PipelineHarness Pipeline => fixture.Pipeline;

    [Fact]
    public async Task get_rules_serves_the_seeded_default_rule_set_in_the_document_format()
    {
        Assert.Equal(RuleSetDocument.Serialize(DefaultRuleSet.Load()), fixture.InitialDocument);

        using var client = Pipeline.Silo.CreateClient();
        using var response = await client.GetAsync("/rules");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(RuleSetDocument.Parse(await response.Content.ReadAsStringAsync()).IsValid);
    }

    [Fact]
    public async Task a_valid_put_becomes_the_rule_set_get_returns_and_judges_the_next_transaction_on_this_silo()
    {
        using var client = Pipeline.Silo.CreateClient();
        var version = await CurrentVersionAsync(client) + 1;
        var merchant = $"Shop-{Guid.NewGuid():N}";

        using var put = await PutAsync(client, RuleDocuments.AnyDayAt(version, merchant, percentage: 5m));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await put.Content.ReadAsStringAsync();
        Assert.Equal(stored, await client.GetStringAsync("/rules"));
        Assert.Equal(version, JsonDocument.Parse(stored).RootElement.GetProperty("version").GetInt32());
        var account = $"acct-{Guid.NewGuid():N}";
        var outcome = await Pipeline.Grains.GetGrain<IAccountGrain>(account)
            .ApplyAsync(TestTransactions.Purchase("t1", account, 40m, TestTransactions.AFriday.AddDays(3), merchant), null);
        Assert.Equal((2.00m, "r1", version), (outcome.Cashback, outcome.RuleId, outcome.RuleSetVersion));
        var row = await Sql.QueryAsync(Pipeline.Database, $"SELECT created_by, document -> 'rules' -> 0 ->> 'id' FROM rule_sets WHERE version = {version}",
            r => (r.GetString(0), r.GetString(1)));
        Assert.Equal([("test-operator", "r1")], row); // the subject of the operator token SiloApplicationFactory sends
    }

    [Theory]
    [InlineData("percentage", "0", "r1", "percentage")]
    [InlineData("minimumAmount", "-1", "r1", "minimumAmount")]
    [InlineData("currency", "\"US\"", "r1", "currency")]
    [InlineData("daysOfWeek", "[\"Funday\"]", "r1", "daysOfWeek")]
    [InlineData("timeZone", "\"Mars/Olympus_Mons\"", "r1", "timeZone")]
    [InlineData("merchants", "[]", "r1", "merchants")]
    [InlineData("validFrom", "\"yesterday\"", "r1", "validFrom")]
    [InlineData("monthlyCapPerAccount", "0.001", "r1", "monthlyCapPerAccount")]
    [InlineData("bonus", "true", "r1", "bonus")]
    [InlineData("id", "\"Not An Id!\"", "Not An Id!", "id")]
    public async Task each_fault_of_a_rule_is_a_bad_request_naming_the_rule_and_field(string field, string json, string ruleId, string faultField)
    {
        using var client = Pipeline.Silo.CreateClient();

        using var response = await PutAsync(client, RuleDocuments.WithRuleField(field, json));

        var fault = Assert.Single(await FaultsOfAsync(response));
        Assert.Equal((ruleId, faultField), (fault.GetProperty("ruleId").GetString(), fault.GetProperty("field").GetString()));
        Assert.False(string.IsNullOrEmpty(fault.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("""{"version": 0, "rules": []}""", "version")]
    [InlineData("""{"version": 2}""", "rules")]
    [InlineData("""{"version": 2, "rules": [], }""", "$")]
    [InlineData("""[1, 2]""", "$")]
    public async Task a_fault_of_the_document_itself_is_a_bad_request_naming_the_field(string document, string faultField)
    {
        using var client = Pipeline.Silo.CreateClient();

        using var response = await PutAsync(client, document);

        var faults = await FaultsOfAsync(response);
        Assert.Contains(faults, f => f.GetProperty("field").GetString() == faultField && f.GetProperty("ruleId").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task a_version_not_greater_than_the_current_one_is_a_conflict_that_names_the_current_version()
    {
        using var client = Pipeline.Silo.CreateClient();
        var current = await CurrentVersionAsync(client);
        var before = await client.GetStringAsync("/rules");

        foreach (var stale in new[] { current, 1 })
        {
            using var response = await PutAsync(client, RuleDocuments.AnyDayAt(stale, "MerchantStale"));

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(current, problem.GetProperty("currentVersion").GetInt32());
            Assert.Contains($"not greater than the current version {current}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await client.GetStringAsync("/rules"));
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_an_unsupported_media_type()
    {
        using var client = Pipeline.Silo.CreateClient();

        using var response = await client.PutAsync("/rules", new StringContent(RuleDocuments.AnyDayAt(99, "MerchantX"), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_put_on_one_silo_changes_the_decisions_of_another_silo_within_five_seconds()
    {
        await using var other = new SiloApplicationFactory(Pipeline.Database, Pipeline.Broker.BootstrapServers);
        var otherGrains = other.Services.GetRequiredService<IGrainFactory>();
        var accountId = $"hot-{Guid.NewGuid():N}";
        var account = otherGrains.GetGrain<IAccountGrain>(accountId);
        using var client = Pipeline.Silo.CreateClient();
        var version = await CurrentVersionAsync(client) + 1;
        var merchant = $"Shop-{Guid.NewGuid():N}";
        var purchases = 0;
        var before = await account.ApplyAsync(Purchase(++purchases, accountId, merchant), null);

        using var put = await PutAsync(client, RuleDocuments.AnyDayAt(version, merchant, percentage: 20m));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await Eventually.ReachesAsync(
            () => account.ApplyAsync(Purchase(++purchases, accountId, merchant), null), outcome => outcome.RuleSetVersion == version,
            HotReloadDeadline, $"a decision of the other silo by version {version}");

        Assert.Equal((0m, version - 1), (before.Cashback, before.RuleSetVersion));
        Assert.Equal((10.00m, "r1"), (after.Cashback, after.RuleId));
    }

    private static Grains.Interfaces.Transactions.CardTransaction Purchase(int number, string customerId, string merchant) =>
        TestTransactions.Purchase($"p-{number}", customerId, 50m, TestTransactions.AFriday.AddDays(1), merchant);

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string document) =>
        client.PutAsync("/rules", new StringContent(document, Encoding.UTF8, "application/json"));

    private static async Task<int> CurrentVersionAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/rules")).RootElement.GetProperty("version").GetInt32();

    private static async Task<List<JsonElement>> FaultsOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid rule set", problem.GetProperty("title").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        return [.. problem.GetProperty("errors").EnumerateArray()];
    }
}
