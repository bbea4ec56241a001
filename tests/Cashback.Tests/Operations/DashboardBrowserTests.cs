using System.Net;
using System.Text.RegularExpressions;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Operations;

/// <summary>The silo started as a user starts it, its dashboard opened in a real (headless) browser.</summary>
[Collection(LocalSiloCollection.Name)]
public sealed class DashboardBrowserTests(LocalSiloFixture silo)
{
    [Fact]
    public async Task the_dashboard_opened_with_the_printed_admin_token_shows_the_cluster_overview_with_one_active_silo()
    {
        var dom = await HeadlessChromium.DumpDomAsync($"{silo.Process.BaseAddress}/dashboard/?access_token={silo.AdminToken}");

        Assert.Contains("<title>Orleans Dashboard</title>", dom, StringComparison.Ordinal);
        var activeSilos = Regex.Match(dom, """Active Silos</span><span class="info-box-number">(\d+)</span>""");
        Assert.True(activeSilos.Success, $"no 'Active Silos' counter in the page:\n{dom}");
        Assert.Equal("1", activeSilos.Groups[1].Value);
        Assert.Contains("Total Activations", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("Status code: 40", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_dashboard_opened_without_a_token_shows_only_the_authentication_problem()
    {
        var dom = await HeadlessChromium.DumpDomAsync($"{silo.Process.BaseAddress}/dashboard/");

        Assert.Contains("Authentication required", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("Active Silos", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_notifications_page_opened_with_the_printed_customer_token_shows_a_cashback_event_as_it_happens()
    {
        var page = $"{silo.Process.BaseAddress}/accounts/123/notifications/live?access_token={silo.CustomerToken}";
        await using var browser = await BrowserScript.StartAsync("notifications-page.mjs", page);
        await browser.WaitForLineAsync("CONNECTED", TimeSpan.FromSeconds(90));

        using var kafka = new KafkaTestClient(silo.Process.KafkaBootstrapServers);
        await kafka.ProduceAsync("transactions", "123",
            """{"transaction_id": "browser-1", "customer_id": "123", "amount": 20, "transaction_timestamp": "2023-04-21T09:30:00Z", "merchant_id": "MerchantX"}""");

        var shown = await browser.WaitForLineAsync("EVENT", TimeSpan.FromSeconds(90));
        Assert.Contains("\"id\":\"browser-1\"", shown, StringComparison.Ordinal);
        Assert.Contains("cashback_credited browser-1: cashback 2.00 USD, balance", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_printed_customer_token_reads_account_123_and_no_other()
    {
        using var client = new HttpClient { BaseAddress = new Uri(silo.Process.BaseAddress) };
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(silo.CustomerToken);

        using var own = await client.GetAsync("/accounts/123/balance");
        using var other = await client.GetAsync("/accounts/456/balance");

        // Allowed in: 404 until account 123 has had a transaction (another test of this class gives it one), then 200.
        Assert.True(own.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"own account: {own.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }
}
