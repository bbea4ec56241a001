using System.Text.Json;

namespace Cashback.Grains.Rules;

/// <summary>
/// The public rule-set document (camelCase JSON, see <c>default-rule-set.json</c>): what the admin API accepts
/// and returns, and what is stored.
/// </summary>
public static class RuleSetDocument
{
    /// <summary>Reads and validates a document; never throws for bad input, reports every fault found instead.</summary>
    public static RuleSetParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new RuleSetReader().Read(json);
    }

    public static string Serialize(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var document = new RuleSetJson(
            ruleSet.Version,
            ruleSet.Description,
            [.. ruleSet.Rules.Select(rule => new CashbackRuleJson(
                rule.Id,
                rule.Description,
                rule.Merchants,
                rule.MinimumAmount,
                rule.Currency,
                [.. rule.DaysOfWeek.Select(day => day.ToString())],
                rule.TimeZone?.Id,
                rule.Percentage,
                rule.ValidFrom,
                rule.ValidUntil,
                rule.MonthlyCapPerAccount))]);
        return JsonSerializer.Serialize(document, RuleSetJsonContext.Writer.RuleSetJson);
    }
}
