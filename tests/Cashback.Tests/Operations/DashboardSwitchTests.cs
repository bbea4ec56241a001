using System.Net;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Operations;

[Collection(PostgresCollection.Name)]
public sealed class DashboardSwitchTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task a_silo_with_the_dashboard_switched_off_serves_no_dashboard_and_stays_ready()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Auth:Enabled"] = "false",
            ["Dashboard:Enabled"] = "false",
        });
        using var client = pipeline.Silo.CreateClient();

        var ready = await Eventually.ReachesAsync(
            async () => (await client.GetAsync("/health/ready")).StatusCode, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready");
        using var dashboard = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
    }

    [Fact]
    public async Task a_silo_serves_the_dashboard_by_default()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres, new Dictionary<string, string?> { ["Auth:Enabled"] = "false" });
        using var client = pipeline.Silo.CreateClient();

        using var dashboard = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }
}
