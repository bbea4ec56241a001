using System.Net;
using System.Text.RegularExpressions;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cashback.Tests.Security;

public sealed class AuthConfigurationTests
{
    [Theory]
    [InlineData("this is not base64!")]
    [InlineData("c2hvcnQ=")] // "short": 5 bytes
    public async Task a_signing_key_that_is_not_base64_of_at_least_256_bits_stops_the_silo_at_start(string signingKey)
    {
        var settings = new Dictionary<string, string?>(TestTokens.Settings) { ["Auth:SigningKey"] = signingKey };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => SecuredStubApp.StartAsync(settings));

        Assert.Contains("Auth:SigningKey", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_a_signing_key_the_silo_says_so_and_prints_customer_reader_and_admin_tokens_that_work()
    {
        var settings = new Dictionary<string, string?>(TestTokens.Settings) { ["Auth:SigningKey"] = "" };
        await using var app = await SecuredStubApp.StartAsync(settings);
        using var client = app.CreateClient();

        var report = Assert.Single(app.Log.Messages, message => message.Contains("Auth: local mode", StringComparison.Ordinal));
        var customer = LocalToken(report, @"customer 123 \(reads only its own account\)");
        var reader = LocalToken(report, @"reader \(scope cashback\.read\)");
        var admin = LocalToken(report, @"admin \(scope cashback\.admin\)");

        Assert.StartsWith("Warning", report, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/accounts/123/notifications", customer));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, "/accounts/456/notifications", customer));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/accounts/456/notifications", reader));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, "/rules", reader));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/rules", admin));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "/rules", TestTokens.Admin()));
    }

    [Fact]
    public async Task with_a_configured_signing_key_the_silo_names_issuer_and_audience_and_prints_no_token()
    {
        await using var app = await SecuredStubApp.StartAsync(TestTokens.Settings);

        var report = Assert.Single(app.Log.Messages, message => message.Contains("Auth:", StringComparison.Ordinal));
        Assert.Contains($"issued by '{TestTokens.Issuer}' for audience '{TestTokens.Audience}'", report, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task with_auth_disabled_the_silo_warns_that_everything_is_open_and_lets_anyone_in()
    {
        var settings = new Dictionary<string, string?>(TestTokens.Settings) { ["Auth:Enabled"] = "false" };
        await using var app = await SecuredStubApp.StartAsync(settings);
        using var client = app.CreateClient();

        Assert.Contains(app.Log.Messages, message => message.StartsWith("Warning: Auth is OFF", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/rules", token: null));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/accounts/456/notifications", token: null));
    }

    private static string LocalToken(string report, string label)
    {
        var match = Regex.Match(report, label + @": (\S+)");
        Assert.True(match.Success, $"no token labelled {label} in: {report}");
        return match.Groups[1].Value;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = TestTokens.Bearer(token);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
