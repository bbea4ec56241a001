using Microsoft.AspNetCore.Http.HttpResults;

namespace Cashback.Silo.Api;

/// <summary>The RFC 7807 problems (application/problem+json) this API answers with.</summary>
internal static class Problems
{
    public static ProblemHttpResult InvalidCustomerId(string customerId) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid customer id",
        detail: $"'{customerId}' is not a customer id: expected 1–128 characters of [A-Za-z0-9._:@-].",
        type: "urn:cashback:problem:invalid-customer-id");

    public static ProblemHttpResult UnknownAccount(string customerId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Unknown account",
        detail: $"Account '{customerId}' has never had a transaction.",
        type: "urn:cashback:problem:unknown-account");

    public static ProblemHttpResult InvalidParameter(string name, string rule) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid parameter '{name}'",
        detail: $"'{name}' {rule}.",
        type: "urn:cashback:problem:invalid-parameter");
}
