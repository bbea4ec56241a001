using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Cashback.Silo.Api.Security;

/// <summary>
/// Lets the bearer handler answer 401 (with its <c>WWW-Authenticate</c>) or 403 as usual, then explains why in an
/// RFC 7807 problem+json body.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _standard.HandleAsync(next, context, policy, authorizeResult);
        if (context.Response.HasStarted)
        {
            return;
        }

        var problem = authorizeResult switch
        {
            { Challenged: true } => Unauthenticated(context.Response.Headers[HeaderNames.WWWAuthenticate].ToString()),
            { Forbidden: true } => Forbidden(authorizeResult.AuthorizationFailure),
            _ => null,
        };
        if (problem is not null)
        {
            problem.Status = context.Response.StatusCode;
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        }
    }

    private static ProblemDetails Unauthenticated(string challenge)
    {
        var description = ChallengeParameter(challenge, "error_description");
        return description is null && ChallengeParameter(challenge, "error") is null
            ? new ProblemDetails
            {
                Title = "Authentication required",
                Detail = "Send a bearer token: Authorization: Bearer <jwt>.",
                Type = "urn:cashback:problem:authentication-required",
            }
            : new ProblemDetails
            {
                Title = "Invalid token",
                Detail = description ?? "The bearer token was rejected.",
                Type = "urn:cashback:problem:invalid-token",
            };
    }

    private static ProblemDetails Forbidden(AuthorizationFailure? failure) => new()
    {
        Title = "Forbidden",
        Detail = failure?.FailureReasons.FirstOrDefault()?.Message ?? "This token does not grant access to this resource.",
        Type = "urn:cashback:problem:forbidden",
    };

    /// <summary>Reads <c>name="value"</c> from a <c>WWW-Authenticate: Bearer …</c> challenge.</summary>
    private static string? ChallengeParameter(string challenge, string name)
    {
        var marker = $"{name}=\"";
        var start = challenge.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = challenge.IndexOf('"', start);
        return end < 0 ? null : challenge[start..end];
    }
}
