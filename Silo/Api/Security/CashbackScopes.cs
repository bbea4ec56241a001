using System.Security.Claims;

namespace Cashback.Silo.Api.Security;

/// <summary>The OAuth scopes this API knows, and how to read them from a token.</summary>
public static class CashbackScopes
{
    /// <summary>Reads any account.</summary>
    public const string Read = "cashback.read";

    /// <summary>Administers the service: rules, dashboard; reads any account too.</summary>
    public const string Admin = "cashback.admin";

    /// <summary>
    /// Scopes arrive as one space-separated <c>scope</c> claim (RFC 8693) or as a <c>scp</c> claim, a string or an array
    /// (Microsoft Entra ID); all forms count.
    /// </summary>
    public static bool Has(ClaimsPrincipal user, string scope) =>
        user.Claims
            .Where(claim => claim.Type is "scope" or "scp")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
