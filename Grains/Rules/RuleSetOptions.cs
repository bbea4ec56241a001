using System.ComponentModel.DataAnnotations;

namespace Cashback.Grains.Rules;

/// <summary>How silos pick up rule sets put through the admin API. Bound from the <c>Rules</c> section.</summary>
public sealed class RuleSetOptions
{
    public const string SectionName = "Rules";

    /// <summary>How often each silo asks PostgreSQL for a newer version; SPEC §3 wants one applied within seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
