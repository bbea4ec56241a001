using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fields = Cashback.Grains.Rules.RuleSetJsonFields;

namespace Cashback.Grains.Rules;

// Walks the document by hand rather than deserialising it, so that every fault (wrong type, missing field, bad value)
// is reported with the rule and field it belongs to instead of stopping at the first JsonException.
internal sealed partial class RuleSetReader
{
    private const int MaxMerchantIdLength = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };
    private static readonly string[] DocumentFields = [Fields.Version, Fields.Description, Fields.Rules];
    private static readonly string[] RuleFields =
    [
        Fields.Id, Fields.Description, Fields.Merchants, Fields.MinimumAmount, Fields.Currency, Fields.DaysOfWeek,
        Fields.TimeZone, Fields.Percentage, Fields.ValidFrom, Fields.ValidUntil, Fields.MonthlyCapPerAccount,
    ];

    private readonly List<RuleSetFault> _faults = [];

    public RuleSetParseResult Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            return RuleSetParseResult.Invalid([new RuleSetFault(null, Fields.Document, $"is not valid JSON: {exception.Message}")]);
        }

        using (document)
        {
            var ruleSet = ReadRuleSet(document.RootElement);
            return ruleSet is not null && _faults.Count == 0 ? RuleSetParseResult.Valid(ruleSet) : RuleSetParseResult.Invalid(_faults);
        }
    }

    private RuleSet? ReadRuleSet(JsonElement root)
    {
        var scope = Scope.Document;
        if (root.ValueKind != JsonValueKind.Object)
        {
            Report(scope, Fields.Document, "must be a JSON object");
            return null;
        }

        var fields = ReadFields(root, DocumentFields, scope);
        var version = ReadVersion(fields, scope);
        var description = ReadOptionalString(fields, Fields.Description, scope);
        var rules = ReadRules(fields);
        return version is { } v && rules is { } r ? new RuleSet(v, description, r) : null;
    }

    private int? ReadVersion(Dictionary<string, JsonElement> fields, Scope scope)
    {
        if (ReadRequired(fields, Fields.Version, scope) is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var version))
        {
            Report(scope, Fields.Version, "must be a whole number");
            return null;
        }

        if (version < 1)
        {
            Report(scope, Fields.Version, "must be at least 1");
            return null;
        }

        return version;
    }

    private ImmutableArray<CashbackRule>? ReadRules(Dictionary<string, JsonElement> fields)
    {
        var scope = Scope.Document;
        if (ReadRequired(fields, Fields.Rules, scope) is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            Report(scope, Fields.Rules, "must be an array of rules");
            return null;
        }

        if (element.GetArrayLength() == 0)
        {
            Report(scope, Fields.Rules, "must contain at least one rule");
            return null;
        }

        var rules = ImmutableArray.CreateBuilder<CashbackRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var ruleElement in element.EnumerateArray())
        {
            if (ReadRule(ruleElement, index, ids) is { } rule)
            {
                rules.Add(rule);
            }

            index++;
        }

        return rules.Count == index ? rules.ToImmutable() : null;
    }

    private CashbackRule? ReadRule(JsonElement element, int index, HashSet<string> ids)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Report(Scope.Document, $"{Fields.Rules}[{index}]", "must be an object");
            return null;
        }

        var scope = Scope.OfRule(element, index);
        var faultsBefore = _faults.Count;
        var fields = ReadFields(element, RuleFields, scope);

        var id = ReadId(fields, scope, ids);
        var description = ReadOptionalString(fields, Fields.Description, scope);
        var merchants = ReadMerchants(fields, scope);
        var minimumAmount = ReadNumber(fields, Fields.MinimumAmount, scope, required: true);
        if (minimumAmount < 0m)
        {
            Report(scope, Fields.MinimumAmount, "must be at least 0");
        }
        else if (minimumAmount is { } minimum && minimum != Math.Round(minimum, 4))
        {
            Report(scope, Fields.MinimumAmount, "must have at most 4 decimal places, like transaction amounts");
        }

        var currency = ReadCurrency(fields, scope);
        var daysOfWeek = ReadDaysOfWeek(fields, scope);
        var timeZone = ReadTimeZone(fields, scope);
        var percentage = ReadNumber(fields, Fields.Percentage, scope, required: true);
        if (percentage is <= 0m or > 100m)
        {
            Report(scope, Fields.Percentage, "must be greater than 0 and at most 100");
        }

        var validFrom = ReadMoment(fields, Fields.ValidFrom, scope);
        var validUntil = ReadMoment(fields, Fields.ValidUntil, scope);
        if (validFrom > validUntil)
        {
            Report(scope, Fields.ValidUntil, $"must not be before {Fields.ValidFrom}");
        }

        var monthlyCap = ReadNumber(fields, Fields.MonthlyCapPerAccount, scope, required: false);
        if (monthlyCap <= 0m)
        {
            Report(scope, Fields.MonthlyCapPerAccount, "must be greater than 0");
        }
        else if (monthlyCap is { } cap && cap != Math.Round(cap, 2))
        {
            Report(scope, Fields.MonthlyCapPerAccount, "must be a whole number of cents");
        }

        if (_faults.Count != faultsBefore
            || id is null || merchants is null || minimumAmount is null || currency is null || daysOfWeek is null || percentage is null)
        {
            return null;
        }

        return new CashbackRule(
            id, description, merchants.Value, minimumAmount.Value, currency, daysOfWeek.Value, timeZone,
            percentage.Value, validFrom, validUntil, monthlyCap);
    }

    private string? ReadId(Dictionary<string, JsonElement> fields, Scope scope, HashSet<string> ids)
    {
        var id = ReadRequiredString(fields, Fields.Id, scope);
        if (id is null)
        {
            return null;
        }

        if (!RuleIdPattern().IsMatch(id))
        {
            Report(scope, Fields.Id, "must be 1 to 64 characters of a-z, 0-9, '-', '_' or '.'");
            return null;
        }

        if (!ids.Add(id))
        {
            Report(scope, Fields.Id, "is used by more than one rule");
            return null;
        }

        return id;
    }

    private ImmutableArray<string>? ReadMerchants(Dictionary<string, JsonElement> fields, Scope scope)
    {
        if (ReadNonEmptyArray(fields, Fields.Merchants, scope, "merchant") is not { } elements)
        {
            return null;
        }

        var merchants = ImmutableArray.CreateBuilder<string>(elements.Count);
        foreach (var element in elements)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                Report(scope, Fields.Merchants, "must contain only strings");
                return null;
            }

            var merchant = element.GetString()!.Trim();
            if (merchant.Length is 0 or > MaxMerchantIdLength)
            {
                Report(scope, Fields.Merchants, $"must contain only merchant ids of 1 to {MaxMerchantIdLength} characters, not '{element.GetString()}'");
                return null;
            }

            merchants.Add(merchant);
        }

        return merchants.MoveToImmutable();
    }

    private string? ReadCurrency(Dictionary<string, JsonElement> fields, Scope scope)
    {
        var currency = ReadRequiredString(fields, Fields.Currency, scope);
        if (currency is null)
        {
            return null;
        }

        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            Report(scope, Fields.Currency, $"must be a three-letter ISO 4217 code, not '{currency}'");
            return null;
        }

        return currency.ToUpperInvariant();
    }

    private ImmutableArray<DayOfWeek>? ReadDaysOfWeek(Dictionary<string, JsonElement> fields, Scope scope)
    {
        if (ReadNonEmptyArray(fields, Fields.DaysOfWeek, scope, "day") is not { } elements)
        {
            return null;
        }

        var days = ImmutableArray.CreateBuilder<DayOfWeek>(elements.Count);
        foreach (var element in elements)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                Report(scope, Fields.DaysOfWeek, "must contain only day names such as \"Friday\"");
                return null;
            }

            var name = element.GetString()!;
            if (DayNamed(name) is not { } day)
            {
                Report(scope, Fields.DaysOfWeek, $"'{name}' is not a day of the week (Monday to Sunday)");
                return null;
            }

            days.Add(day);
        }

        return days.MoveToImmutable();
    }

    // Enum.TryParse would also accept "5" or "Monday, Tuesday"; only plain day names are meant here.
    private static DayOfWeek? DayNamed(string name)
    {
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (day.ToString().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        return null;
    }

    private TimeZoneInfo? ReadTimeZone(Dictionary<string, JsonElement> fields, Scope scope)
    {
        var id = ReadOptionalString(fields, Fields.TimeZone, scope);
        if (id is null)
        {
            return null;
        }

        // The pattern keeps anything path-like (such as "../x") away from the system's time-zone lookup. The lookup
        // ignores case only for zones it has already cached, so an id must be spelled exactly as in the database
        // or it would be accepted by some silos and refused by others.
        if (!IanaTimeZoneIdPattern().IsMatch(id)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            || !zone.HasIanaId
            || !string.Equals(zone.Id, id, StringComparison.Ordinal))
        {
            Report(scope, Fields.TimeZone, $"'{id}' is not a known IANA time zone id such as \"America/New_York\"");
            return null;
        }

        return zone;
    }

    private DateTimeOffset? ReadMoment(Dictionary<string, JsonElement> fields, string field, Scope scope)
    {
        if (!fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String
            || !Rfc3339Pattern().IsMatch(element.GetString()!)
            || !element.TryGetDateTimeOffset(out var moment))
        {
            Report(scope, field, "must be null or an RFC 3339 date and time with 'Z' or an offset, e.g. \"2023-04-21T00:00:00Z\"");
            return null;
        }

        return moment;
    }

    private decimal? ReadNumber(Dictionary<string, JsonElement> fields, string field, Scope scope, bool required)
    {
        JsonElement element;
        if (required)
        {
            if (ReadRequired(fields, field, scope) is not { } present)
            {
                return null;
            }

            element = present;
        }
        else if (!fields.TryGetValue(field, out element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            Report(scope, field, required ? "must be a number" : "must be null or a number");
            return null;
        }

        if (!element.TryGetDecimal(out var value))
        {
            Report(scope, field, "is out of range");
            return null;
        }

        return value;
    }

    private List<JsonElement>? ReadNonEmptyArray(Dictionary<string, JsonElement> fields, string field, Scope scope, string itemName)
    {
        if (ReadRequired(fields, field, scope) is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            Report(scope, field, $"must be an array of {itemName} names");
            return null;
        }

        if (element.GetArrayLength() == 0)
        {
            Report(scope, field, $"must name at least one {itemName}");
            return null;
        }

        return [.. element.EnumerateArray()];
    }

    private string? ReadRequiredString(Dictionary<string, JsonElement> fields, string field, Scope scope)
    {
        if (ReadRequired(fields, field, scope) is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            Report(scope, field, "must be a string");
            return null;
        }

        return element.GetString();
    }

    private string? ReadOptionalString(Dictionary<string, JsonElement> fields, string field, Scope scope)
    {
        if (!fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            Report(scope, field, "must be null or a string");
            return null;
        }

        return element.GetString();
    }

    private JsonElement? ReadRequired(Dictionary<string, JsonElement> fields, string field, Scope scope)
    {
        if (!fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            Report(scope, field, "is required");
            return null;
        }

        return element;
    }

    private Dictionary<string, JsonElement> ReadFields(JsonElement element, string[] knownFields, Scope scope)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name, StringComparer.Ordinal))
            {
                Report(scope, property.Name, $"is not a field of a {(scope == Scope.Document ? "rule set" : "rule")}");
            }
            else if (!fields.TryAdd(property.Name, property.Value))
            {
                Report(scope, property.Name, "appears more than once");
            }
        }

        return fields;
    }

    private void Report(Scope scope, string field, string message) =>
        _faults.Add(new RuleSetFault(scope.RuleId, scope.FieldPrefix + field, message));

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex RuleIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")]
    private static partial Regex IanaTimeZoneIdPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339Pattern();

    /// <summary>Which rule a fault belongs to; a rule without a usable id is named by its position instead.</summary>
    private readonly record struct Scope(string? RuleId, string FieldPrefix)
    {
        public static Scope Document => new(null, "");

        public static Scope OfRule(JsonElement rule, int index) =>
            rule.TryGetProperty(Fields.Id, out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } name
                ? new Scope(name, "")
                : new Scope(null, $"{Fields.Rules}[{index}].");
    }
}
