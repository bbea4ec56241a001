using Microsoft.AspNetCore.Http.HttpResults;

namespace Cashback.Silo.Api;

/// <summary>The problems (RFC 7807) of the notifications endpoint.</summary>
internal static class NotificationProblems
{
    public static ProblemHttpResult Unavailable(string customerId) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Notifications unavailable",
        detail: $"Could not subscribe to the notifications of account '{customerId}' right now; retry shortly.",
        type: "urn:cashback:problem:notifications-unavailable");
}
