using System.Net;
using Cashback.Silo.Operations;
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
            [OperationsRegistration.DashboardEnabledKey] = "false",
        });
        using var client = pipeline.Silo.CreateClient();

        var ready = await Eventually.ReachesAsync(
            () => StatusOfAsync(client, OperationsRegistration.ReadyPath), status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready");
        var dashboard = await StatusOfAsync(client, OperationsRegistration.DashboardPath + "/");

        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(HttpStatusCode.NotFound, dashboard);
    }

    [Fact]
    public async Task a_silo_serves_the_dashboard_by_default()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres, new Dictionary<string, string?> { ["Auth:Enabled"] = "false" });
        using var client = pipeline.Silo.CreateClient();

        var dashboard = await StatusOfAsync(client, OperationsRegistration.DashboardPath + "/");

        Assert.Equal(HttpStatusCode.OK, dashboard);
    }

    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
