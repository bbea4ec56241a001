using System.Globalization;

namespace Cashback.Bench;

/// <summary>
/// The silos' garbage collections so far, summed over the silos, as their <c>/metrics</c> endpoints export .NET's
/// <c>System.Runtime</c> meter: read before and after a pass, the difference says how often and how long the GC paused
/// the silos meanwhile. Every pause holds up the messages in flight, so this is the first thing to read a tail against.
/// </summary>
public sealed record SiloGc(long Gen0, long Gen1, long Gen2, double PausedSeconds, long AllocatedBytes)
{
    public static async Task<SiloGc> ReadAsync(HttpClient http, IEnumerable<SiloProcess> silos)
    {
        var total = new SiloGc(0, 0, 0, 0, 0);
        foreach (var silo in silos)
        {
            total += Parse(await http.GetStringAsync($"{silo.HttpAddress}/metrics"));
        }

        return total;
    }

    /// <summary>Reads the three series from Prometheus' text format; a silo without them counts as none.</summary>
    public static SiloGc Parse(string exposition)
    {
        long gen0 = 0, gen1 = 0, gen2 = 0, allocated = 0;
        double paused = 0;
        foreach (var line in exposition.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.StartsWith('#') || space < 0)
            {
                continue;
            }

            // Only these series are read: others may hold values like +Inf.
            double Value() => double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            if (line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal))
            {
                // Labelled with the oldest generation each collection collected.
                switch (Label(line, "gc_heap_generation"))
                {
                    case "gen0": gen0 = (long)Value(); break;
                    case "gen1": gen1 = (long)Value(); break;
                    case "gen2": gen2 = (long)Value(); break;
                }
            }
            else if (line.StartsWith("dotnet_gc_pause_time_seconds_total", StringComparison.Ordinal))
            {
                paused = Value();
            }
            else if (line.StartsWith("dotnet_gc_heap_total_allocated_bytes_total", StringComparison.Ordinal))
            {
                allocated = (long)Value();
            }
        }

        return new SiloGc(gen0, gen1, gen2, paused, allocated);
    }

    private static string? Label(string line, string name)
    {
        var start = line.IndexOf($"{name}=\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += name.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }

    public static SiloGc operator +(SiloGc a, SiloGc b) =>
        new(a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.PausedSeconds + b.PausedSeconds, a.AllocatedBytes + b.AllocatedBytes);

    public static SiloGc operator -(SiloGc after, SiloGc before) =>
        new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.PausedSeconds - before.PausedSeconds, after.AllocatedBytes - before.AllocatedBytes);

    public long Collections => Gen0 + Gen1 + Gen2;
}
