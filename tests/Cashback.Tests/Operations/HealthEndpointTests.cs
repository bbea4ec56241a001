using System.Net;
using System.Text.Json;
using Cashback.Silo.Database;
using Cashback.Silo.LocalMode;
using Cashback.Tests.Infrastructure;
using Cashback.Tests.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cashback.Tests.Operations;

[Collection(SecuredSiloCollection.Name)]
public sealed class HealthEndpointTests(SecuredSiloFixture silo)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task liveness_answers_without_a_token_and_checks_no_dependency()
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Empty(report.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task readiness_answers_without_a_token_with_postgres_kafka_and_cluster_membership_healthy()
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal(["cluster-membership", "kafka", "postgres"], checks.EnumerateObject().Select(check => check.Name).Order());
        Assert.All(checks.EnumerateObject(), check => Assert.Equal("Healthy", check.Value.GetProperty("status").GetString()));
        Assert.Equal(1, checks.GetProperty("cluster-membership").GetProperty("data").GetProperty("activeSilos").GetInt32());
        Assert.Equal(1, checks.GetProperty("kafka").GetProperty("data").GetProperty("brokers").GetInt32());
    }

    [Fact]
    public async Task readiness_turns_unready_while_postgres_is_down_and_ready_again_once_it_is_back()
    {
        await using var server = await ThrowawayPostgres.StartAsync(new ThrowawayPostgresOptions { Fsync = false }, null, CancellationToken.None);
        var database = await server.CreateDatabaseAsync("health");
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).ApplyAsync(database, CancellationToken.None);
        await using var pipeline = PipelineHarness.StartOn(database);
        using var client = pipeline.Silo.CreateClient();
        await Eventually.ReachesAsync(() => ReadinessAsync(client), r => r.Status == HttpStatusCode.OK, Deadline, "ready before the outage");

        await server.SuspendAsync();
        var down = await Eventually.ReachesAsync(
            () => ReadinessAsync(client), r => r.Status == HttpStatusCode.ServiceUnavailable, Deadline, "unready during the outage");
        await server.ResumeAsync();
        await Eventually.ReachesAsync(() => ReadinessAsync(client), r => r.Status == HttpStatusCode.OK, Deadline, "ready after the outage");

        var checks = down.Report.GetProperty("checks");
        Assert.Equal("Unhealthy", down.Report.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("kafka").GetProperty("status").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Report)> ReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
