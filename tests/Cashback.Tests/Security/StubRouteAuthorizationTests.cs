using System.Net;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Security;

/// <summary>
/// The auth matrix for endpoints another part of the silo builds (<c>/rules</c>, <c>/accounts/{id}/notifications</c>),
/// tested on stub routes carrying the same conventions (<c>RequireAdmin()</c>, <c>RequireAccountAccess()</c>).
/// </summary>
public sealed class StubRouteAuthorizationTests(SecuredStubAppFixture stub) : IClassFixture<SecuredStubAppFixture>
{
    public static TheoryData<string, string, Caller, HttpStatusCode> Cells => AuthMatrix.For(
    [
        ("GET", "/accounts/123/notifications", false),
        ("GET", "/rules", true),
        ("PUT", "/rules", true),
    ]);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task routes_with_the_account_and_admin_conventions_answer_every_kind_of_caller_as_the_auth_matrix_says(
        string method, string path, Caller caller, HttpStatusCode expected)
    {
        using var client = stub.App.CreateClient();

        using var response = await AuthMatrix.SendAsync(client, method, path, caller);

        await AuthMatrix.AssertAnswerAsync(response, expected);
    }

    [Theory]
    [InlineData("123", HttpStatusCode.OK)]
    [InlineData("456", HttpStatusCode.Forbidden)]
    public async Task a_notification_stream_takes_the_token_from_the_address_as_an_event_source_must_send_it(
        string tokenCustomer, HttpStatusCode expected)
    {
        using var client = stub.App.CreateClient();

        using var response = await client.GetAsync($"/accounts/123/notifications?access_token={TestTokens.Customer(tokenCustomer)}");

        await AuthMatrix.AssertAnswerAsync(response, expected);
    }

    [Fact]
    public async Task an_address_token_opens_no_admin_route()
    {
        using var client = stub.App.CreateClient();

        using var response = await client.GetAsync($"/rules?access_token={TestTokens.Admin()}");

        await AuthMatrix.AssertAnswerAsync(response, HttpStatusCode.Unauthorized);
    }
}
