using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Cashback.Silo.Api.Security;

/// <summary>
/// A browser cannot put an Authorization header on a page it navigates to, nor on an <c>EventSource</c>. For those two
/// cases only, the bearer token may arrive another way: the dashboard takes <c>?access_token=</c> once and then its
/// cookie (<see cref="DashboardSignIn"/>); a notification stream (<c>/accounts/{id}/notifications</c>) takes
/// <c>?access_token=</c>. Every other endpoint reads the Authorization header only.
/// </summary>
public static class BrowserTokens
{
    public const string QueryParameter = "access_token";

    private const string NotificationsSuffix = "/notifications";

    /// <summary>The bearer handler's <c>OnMessageReceived</c> hook.</summary>
    public static Task ReadFromQueryOrCookie(MessageReceivedContext context)
    {
        var request = context.Request;
        if (request.Headers.Authorization.Count > 0)
        {
            return Task.CompletedTask;
        }

        if (request.Path.StartsWithSegments(DashboardSignIn.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Token = request.Query[QueryParameter].FirstOrDefault() ?? request.Cookies[DashboardSignIn.CookieName];
        }
        else if (IsNotificationStream(request.Path))
        {
            context.Token = request.Query[QueryParameter].FirstOrDefault();
        }

        return Task.CompletedTask;
    }

    private static bool IsNotificationStream(PathString path) =>
        path.StartsWithSegments("/accounts", StringComparison.OrdinalIgnoreCase)
        && path.Value!.EndsWith(NotificationsSuffix, StringComparison.OrdinalIgnoreCase)
        && path.Value.Count(c => c == '/') == 3;
}
