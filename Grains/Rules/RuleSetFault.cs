namespace Cashback.Grains.Rules;

/// <summary>One reason a rule-set document is invalid.</summary>
/// <param name="RuleId">The rule at fault; null for the document itself or a rule without a usable id
/// (then <paramref name="Field"/> starts with <c>rules[i].</c>).</param>
/// <param name="Field">The camelCase field of the document at fault, e.g. <c>percentage</c>; <c>$</c> for the whole document.</param>
public sealed record RuleSetFault(string? RuleId, string Field, string Message)
{
    public override string ToString() => RuleId is null ? $"{Field}: {Message}" : $"rule '{RuleId}', {Field}: {Message}";
}
