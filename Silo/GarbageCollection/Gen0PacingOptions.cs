using System.ComponentModel.DataAnnotations;

namespace Cashback.Silo.GarbageCollection;

/// <summary>How long the silo lets its garbage collector go without a gen0 collection. Bound from <c>Gc</c>.</summary>
public sealed class Gen0PacingOptions
{
    public const string SectionName = "Gc";

    /// <summary>
    /// The longest gap between two gen0 collections while the silo allocates; zero turns pacing off. Each gen0 pause is
    /// mostly marking what the transactions since the previous one wrote into long-lived account state, so it grows with
    /// the gap; at low rates the GC's own budget (DATAS) may leave seconds between them and pause 30–60 ms at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxGen0Interval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>What must have been allocated since the last gen0 for a paced one to be worth its fixed cost.</summary>
    [Range(0, long.MaxValue)]
    public long MinAllocatedBytes { get; set; } = 1024 * 1024;
}
