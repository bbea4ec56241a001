using System.Collections.Immutable;
using Cashback.Grains.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cashback.Silo.Api;

/// <summary>One fault of a rejected rule set, as the <c>errors</c> member of the problem lists it.</summary>
/// <param name="RuleId">The rule at fault; null for the document itself or a rule without a usable id.</param>
/// <param name="Field">The field at fault, e.g. <c>percentage</c>, <c>rules[2].id</c>, or <c>$</c> for the whole document.</param>
public sealed record RuleSetFaultResponse(string? RuleId, string Field, string Message);

/// <summary>The problems (RFC 7807) of the rule administration endpoints.</summary>
internal static class RuleSetProblems
{
    public static ProblemHttpResult Invalid(ImmutableArray<RuleSetFault> faults) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid rule set",
        detail: $"The rule set has {faults.Length} fault(s): {string.Join("; ", faults)}.",
        type: "urn:cashback:problem:invalid-rule-set",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = faults.Select(f => new RuleSetFaultResponse(f.RuleId, f.Field, f.Message)).ToArray(),
        });

    public static ProblemHttpResult VersionNotNewer(int version, int currentVersion) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Rule-set version not newer",
        detail: $"Version {version} is not greater than the current version {currentVersion}: send version {currentVersion + 1} or higher.",
        type: "urn:cashback:problem:rule-set-version-not-newer",
        extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static ProblemHttpResult NotJson() => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        detail: "Send the rule set as application/json.",
        type: "urn:cashback:problem:unsupported-media-type");

    public static ProblemHttpResult TooLarge(int maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Rule set too large",
        detail: $"A rule-set document may have at most {maxBytes} bytes.",
        type: "urn:cashback:problem:rule-set-too-large");

    public static ProblemHttpResult NoneStored() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No rule set",
        detail: "No rule set is stored yet.",
        type: "urn:cashback:problem:no-rule-set");
}
