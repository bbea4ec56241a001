using System.Net;
using System.Text.Json;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Security;

/// <summary>A browser signs in to the dashboard once with <c>?access_token=</c>; the silo keeps the token in a cookie.</summary>
[Collection(SecuredSiloCollection.Name)]
public sealed class DashboardSignInTests(SecuredSiloFixture silo)
{
    [Fact]
    public async Task an_admin_token_in_the_dashboard_address_becomes_an_http_only_cookie_and_leaves_the_address()
    {
        using var client = silo.CreateAnonymousClient();

        using var signIn = await client.GetAsync($"/dashboard/?access_token={TestTokens.Admin()}&theme=dark");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/dashboard/?theme=dark", signIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("cashback_dashboard_token=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var counters = new HttpRequestMessage(HttpMethod.Get, "/dashboard/DashboardCounters");
        counters.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var answer = await client.SendAsync(counters);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, body.GetProperty("totalActiveHostCount").GetInt32());
    }

    [Fact]
    public async Task a_read_token_in_the_dashboard_address_is_forbidden_and_sets_no_cookie()
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await client.GetAsync($"/dashboard/?access_token={TestTokens.Reader()}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task neither_an_address_token_nor_the_dashboard_cookie_opens_an_account_endpoint()
    {
        using var client = silo.CreateAnonymousClient();

        using var byQuery = await client.GetAsync($"/accounts/123/balance?access_token={TestTokens.Admin()}");
        using var byCookie = new HttpRequestMessage(HttpMethod.Get, "/accounts/123/balance");
        byCookie.Headers.Add("Cookie", $"cashback_dashboard_token={TestTokens.Admin()}");
        using var answerToCookie = await client.SendAsync(byCookie);

        Assert.Equal(HttpStatusCode.Unauthorized, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, answerToCookie.StatusCode);
    }
}
