namespace Cashback.Silo.Api.Security;

/// <summary>
/// Who may call an endpoint, as endpoint conventions: <c>MapGet(…).RequireAccountAccess()</c>,
/// <c>MapGroup(…).RequireAdmin()</c>. With <c>Auth:Enabled=false</c> both let everyone in.
/// </summary>
public static class CashbackAuthorization
{
    public const string AccountAccessPolicy = "cashback.account-access";
    public const string AdminPolicy = "cashback.admin";

    /// <summary>
    /// For <c>/accounts/{customerId}/…</c> endpoints: the account's own customer token, or scope <c>cashback.read</c>
    /// or <c>cashback.admin</c>. The route must name the account <c>{customerId}</c>.
    /// </summary>
    public static TBuilder RequireAccountAccess<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(AccountAccessPolicy);

    /// <summary>For operator endpoints (<c>/rules</c>, <c>/dashboard</c>): scope <c>cashback.admin</c>.</summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(AdminPolicy);
}
