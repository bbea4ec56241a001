using System.Globalization;
using System.Security.Claims;

namespace Cashback.Silo.Api.Security;

/// <summary>
/// A browser cannot add an Authorization header to the dashboard's own requests, so the dashboard takes the admin token
/// as <c>/dashboard/?access_token=…</c> once (see <see cref="BrowserTokens"/>): the silo checks it, keeps it in an
/// HttpOnly cookie scoped to <c>/dashboard</c> and redirects to the same page without it, out of the address bar and history.
/// </summary>
public static class DashboardSignIn
{
    public const string PathPrefix = "/dashboard";
    public const string QueryParameter = BrowserTokens.QueryParameter;
    public const string CookieName = "cashback_dashboard_token";

    /// <summary>Endpoint filter of the dashboard, run once the token passed authorization: query token → cookie.</summary>
    public static async ValueTask<object?> KeepQueryTokenInCookie(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var token = http.Request.Query[QueryParameter].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            return await next(invocation);
        }

        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = PathPrefix,
            Expires = ExpiryOf(http.User),
        });
        var rest = QueryString.Create(http.Request.Query
            .Where(parameter => parameter.Key != QueryParameter)
            .SelectMany(parameter => parameter.Value.Select(value => KeyValuePair.Create(parameter.Key, value))));
        return Results.Redirect($"{http.Request.PathBase}{http.Request.Path}{rest}");
    }

    private static DateTimeOffset? ExpiryOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
