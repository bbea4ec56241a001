using Cashback.Silo.Api.Security;
using System.Security.Claims;
using System.Text;
using Cashback.Grains.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cashback.Silo.Api;

public static class RulesApi
{
    public const int MaxDocumentBytes = 256 * 1024;
    private const string JsonContentType = "application/json";

    /// <summary>
    /// <c>GET /rules</c> and <c>PUT /rules</c>: the rule set in force, in the format of <c>default-rule-set.json</c>
    /// (SPEC §3, §8). Returns its group, so that the admin policy can be put on it.
    /// </summary>
    public static RouteGroupBuilder MapRulesApi(this IEndpointRouteBuilder endpoints)
    {
        var rules = endpoints.MapGroup("/rules").RequireAdmin();
        rules.MapGet("", GetAsync).Produces(StatusCodes.Status200OK, contentType: JsonContentType);
        rules.MapPut("", PutAsync)
            .Accepts<object>(JsonContentType)
            .Produces(StatusCodes.Status200OK, contentType: JsonContentType);
        return rules;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(RuleSetStore store, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(cancellationToken: cancellationToken);
        if (stored is null)
        {
            return RuleSetProblems.NoneStored();
        }

        // Stored as jsonb, which reorders keys: give it back in the document's own order.
        var parsed = RuleSetDocument.Parse(stored.Document);
        return Document(parsed.IsValid ? RuleSetDocument.Serialize(parsed.RuleSet) : stored.Document);
    }

    /// <summary>
    /// Validates the whole document (every fault is reported with its rule and field), stores it as a new version if it
    /// is newer than the current one, and applies it on this silo at once; the other silos follow within their poll interval.
    /// </summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PutAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        RuleSetStore store,
        PostgresRuleSetProvider ruleSets,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return RuleSetProblems.NotJson();
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return RuleSetProblems.TooLarge(MaxDocumentBytes);
        }

        var parsed = RuleSetDocument.Parse(body);
        if (!parsed.IsValid)
        {
            return RuleSetProblems.Invalid(parsed.Faults);
        }

        var result = await store.SaveAsync(parsed.RuleSet, AuthorOf(user), cancellationToken);
        switch (result)
        {
            case RuleSetSaveResult.NotNewer notNewer:
                return RuleSetProblems.VersionNotNewer(parsed.RuleSet.Version, notNewer.CurrentVersion);
            case RuleSetSaveResult.Saved saved:
                await ruleSets.RefreshAsync(cancellationToken);
                return Document(saved.RuleSet.Document);
            default:
                throw new InvalidOperationException($"Unexpected result {result}.");
        }
    }

    private static ContentHttpResult Document(string json) => TypedResults.Text(json, JsonContentType, Encoding.UTF8);

    // The token's subject once authentication is on; who else could it have been when it is off.
    private static string AuthorOf(ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "anonymous";

    /// <summary>The body as text, or null when it is larger than <see cref="MaxDocumentBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxDocumentBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
