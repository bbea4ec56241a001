using System.Net;
using System.Net.Http.Headers;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Security;

/// <summary>
/// The auth matrix: what each <see cref="Caller"/> gets from an account endpoint (the account is <c>123</c>) and from an
/// admin endpoint, and how to send and check one cell.
/// </summary>
public static class AuthMatrix
{
    public const string Account = "123";

    public static TheoryData<string, string, Caller, HttpStatusCode> For(IEnumerable<(string Method, string Path, bool AdminOnly)> endpoints)
    {
        var data = new TheoryData<string, string, Caller, HttpStatusCode>();
        foreach (var (method, path, adminOnly) in endpoints)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(method, path, caller, Expected(caller, adminOnly));
            }
        }

        return data;
    }

    public static HttpStatusCode Expected(Caller caller, bool adminOnly) => caller switch
    {
        Caller.Anonymous or Caller.ExpiredToken or Caller.BadSignature or Caller.WrongAudience => HttpStatusCode.Unauthorized,
        Caller.OtherCustomer => HttpStatusCode.Forbidden,
        Caller.OwnCustomer or Caller.ReadScope => adminOnly ? HttpStatusCode.Forbidden : HttpStatusCode.OK,
        Caller.AdminScope => HttpStatusCode.OK,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    public static string? TokenOf(Caller caller) => caller switch
    {
        Caller.Anonymous => null,
        Caller.ExpiredToken => TestTokens.Expired(),
        Caller.BadSignature => TestTokens.BadSignature(),
        Caller.WrongAudience => TestTokens.WrongAudience(),
        Caller.OtherCustomer => TestTokens.Customer("456"),
        Caller.OwnCustomer => TestTokens.Customer(Account),
        Caller.ReadScope => TestTokens.Reader(),
        Caller.AdminScope => TestTokens.Admin(),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, string method, string path, Caller caller, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = new StringContent("{}", new MediaTypeHeaderValue("application/json"));
        }

        var token = TokenOf(caller);
        if (token is not null)
        {
            request.Headers.Authorization = TestTokens.Bearer(token);
        }

        return await client.SendAsync(request, completion);
    }

    /// <summary>The status, and for a refusal the RFC 7807 body and (for 401) the bearer challenge.</summary>
    public static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"\"status\":{(int)expected}", body, StringComparison.Ordinal);
        }

        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
    }
}
