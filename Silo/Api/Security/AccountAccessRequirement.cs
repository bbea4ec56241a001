using Microsoft.AspNetCore.Authorization;

namespace Cashback.Silo.Api.Security;

/// <summary>
/// Reading one account (<c>/accounts/{customerId}/…</c>): its own customer (token <c>sub</c> = the route's
/// <c>customerId</c>), or anyone with scope <c>cashback.read</c> or <c>cashback.admin</c>.
/// </summary>
public sealed class AccountAccessRequirement : AuthorizationHandler<AccountAccessRequirement>, IAuthorizationRequirement
{
    /// <summary>The route parameter naming the account; every account endpoint must use it.</summary>
    public const string RouteParameter = "customerId";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountAccessRequirement requirement)
    {
        var user = context.User;
        var account = (context.Resource as HttpContext)?.GetRouteValue(RouteParameter) as string;
        if (CashbackScopes.Has(user, CashbackScopes.Read) || CashbackScopes.Has(user, CashbackScopes.Admin))
        {
            context.Succeed(requirement);
        }
        else if (account is not null && string.Equals(user.FindFirst("sub")?.Value, account, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this,
                $"This token may not read account '{account}': it needs sub '{account}' or scope {CashbackScopes.Read}."));
        }

        return Task.CompletedTask;
    }
}
