using System.ComponentModel.DataAnnotations;

namespace Cashback.Grains.Rules;

/// <summary>Where the silo's starting rule set comes from and how silos pick up new versions. Bound from the <c>Rules</c> section.</summary>
public sealed class RuleSetOptions
{
    public const string SectionName = "Rules";

    /// <summary>How often each silo asks PostgreSQL for a newer version; SPEC §3 wants one applied within seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A rule-set JSON document to seed version history with instead of the embedded seed rule set; absolute, or
    /// relative to the working directory. Read and validated at start: a missing or invalid file stops the silo.
    /// </summary>
    public string? DefaultRuleSetPath { get; set; }

    public RuleSet LoadDefaultRuleSet() =>
        string.IsNullOrWhiteSpace(DefaultRuleSetPath) ? DefaultRuleSet.Load() : DefaultRuleSet.LoadFrom(DefaultRuleSetPath);
}
