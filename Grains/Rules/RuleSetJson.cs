using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fields = Cashback.Grains.Rules.RuleSetJsonFields;

namespace Cashback.Grains.Rules;

// The written shape of the rule-set document; reading goes through RuleSetReader, which reports every fault.
internal sealed record RuleSetJson(
    [property: JsonPropertyName(Fields.Version)] int Version,
    [property: JsonPropertyName(Fields.Description)] string? Description,
    [property: JsonPropertyName(Fields.Rules)] IReadOnlyList<CashbackRuleJson> Rules);

internal sealed record CashbackRuleJson(
    [property: JsonPropertyName(Fields.Id)] string Id,
    [property: JsonPropertyName(Fields.Description)] string? Description,
    [property: JsonPropertyName(Fields.Merchants)] IReadOnlyList<string> Merchants,
    [property: JsonPropertyName(Fields.MinimumAmount)] decimal MinimumAmount,
    [property: JsonPropertyName(Fields.Currency)] string Currency,
    [property: JsonPropertyName(Fields.DaysOfWeek)] IReadOnlyList<string> DaysOfWeek,
    [property: JsonPropertyName(Fields.TimeZone)] string? TimeZone,
    [property: JsonPropertyName(Fields.Percentage)] decimal Percentage,
    [property: JsonPropertyName(Fields.ValidFrom)] DateTimeOffset? ValidFrom,
    [property: JsonPropertyName(Fields.ValidUntil)] DateTimeOffset? ValidUntil,
    [property: JsonPropertyName(Fields.MonthlyCapPerAccount)] decimal? MonthlyCapPerAccount);

[JsonSerializable(typeof(RuleSetJson))]
internal sealed partial class RuleSetJsonContext : JsonSerializerContext
{
    // The document is served as application/json, never embedded in HTML, so descriptions keep their "é" and "'".
    public static RuleSetJsonContext Writer { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
