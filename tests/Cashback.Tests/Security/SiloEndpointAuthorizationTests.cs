using System.Net;

namespace Cashback.Tests.Security;

/// <summary>The auth matrix against the endpoints of a real silo.</summary>
[Collection(SecuredSiloCollection.Name)]
public sealed class SiloEndpointAuthorizationTests(SecuredSiloFixture silo)
{
    public static TheoryData<string, string, Caller, HttpStatusCode> Cells => AuthMatrix.For(
    [
        ("GET", "/accounts/123/balance", false),
        ("GET", "/accounts/123/transactions", false),
        ("GET", "/dashboard/", true),
        ("GET", "/dashboard/DashboardCounters", true),
    ]);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task every_endpoint_answers_every_kind_of_caller_as_the_auth_matrix_says(
        string method, string path, Caller caller, HttpStatusCode expected)
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await AuthMatrix.SendAsync(client, method, path, caller);

        await AuthMatrix.AssertAnswerAsync(response, expected);
    }

    /// <summary>
    /// The live-notification stream and the rule administration, as routed by the silo. An authorised notification
    /// request is a never-ending stream, so only its status is read; an admin's PUT of an empty document gets past
    /// authorisation to validation (400).
    /// </summary>
    public static TheoryData<string, string, Caller, HttpStatusCode> StreamingAndAdminCells
    {
        get
        {
            var data = new TheoryData<string, string, Caller, HttpStatusCode>();
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add("GET", "/accounts/123/notifications", caller, AuthMatrix.Expected(caller, adminOnly: false));
                data.Add("GET", "/rules", caller, AuthMatrix.Expected(caller, adminOnly: true));
                var put = AuthMatrix.Expected(caller, adminOnly: true);
                data.Add("PUT", "/rules", caller, put == HttpStatusCode.OK ? HttpStatusCode.BadRequest : put);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(StreamingAndAdminCells))]
    public async Task notifications_and_rule_administration_answer_every_kind_of_caller_as_the_auth_matrix_says(
        string method, string path, Caller caller, HttpStatusCode expected)
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await AuthMatrix.SendAsync(client, method, path, caller, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            await AuthMatrix.AssertAnswerAsync(response, expected);
        }
    }

    [Fact]
    public async Task a_customer_token_reads_its_own_balance_and_history_with_their_content()
    {
        using var client = silo.CreateAnonymousClient();

        using var balance = await AuthMatrix.SendAsync(client, "GET", "/accounts/123/balance", Caller.OwnCustomer);
        using var history = await AuthMatrix.SendAsync(client, "GET", "/accounts/123/transactions", Caller.OwnCustomer);

        Assert.Contains("\"balance\":\"2.75\"", await balance.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"transactionId\":\"t-1\"", await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_invalid_token_is_told_why_in_the_challenge_and_the_problem()
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await AuthMatrix.SendAsync(client, "GET", "/accounts/123/balance", Caller.ExpiredToken);

        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("expired", challenge.Parameter, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"title\":\"Invalid token\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_forbidden_customer_is_told_which_account_it_may_not_read()
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await AuthMatrix.SendAsync(client, "GET", "/accounts/123/balance", Caller.OtherCustomer);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not read account '123'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_path_needs_a_token_too()
    {
        using var client = silo.CreateAnonymousClient();

        using var response = await AuthMatrix.SendAsync(client, "GET", "/no-such-endpoint", Caller.Anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
