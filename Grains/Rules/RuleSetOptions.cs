namespace Cashback.Grains.Rules;

/// <summary>Where the silo's starting rule set comes from. Bound from the <c>Rules</c> configuration section.</summary>
public sealed class RuleSetOptions
{
    public const string SectionName = "Rules";

    /// <summary>
    /// A rule-set JSON document to start with instead of the embedded seed rule set; absolute, or relative to the
    /// working directory. Read and validated at start: a missing or invalid file stops the silo.
    /// </summary>
    public string? DefaultRuleSetPath { get; set; }

    public RuleSet LoadDefaultRuleSet() =>
        string.IsNullOrWhiteSpace(DefaultRuleSetPath) ? DefaultRuleSet.Load() : DefaultRuleSet.LoadFrom(DefaultRuleSetPath);
}
