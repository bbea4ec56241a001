using Microsoft.AspNetCore.Authorization;

namespace Cashback.Silo.Api.Security;

/// <summary>Operating the service (rules, dashboard): scope <c>cashback.admin</c>.</summary>
public sealed class AdminScopeRequirement : AuthorizationHandler<AdminScopeRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminScopeRequirement requirement)
    {
        if (CashbackScopes.Has(context.User, CashbackScopes.Admin))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"This needs a token with scope {CashbackScopes.Admin}."));
        }

        return Task.CompletedTask;
    }
}
