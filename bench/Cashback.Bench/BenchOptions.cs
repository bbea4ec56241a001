using System.Globalization;

namespace Cashback.Bench;

/// <summary>What one bench run does; every value can be given as <c>--name value</c>.</summary>
public sealed record BenchOptions
{
    public int Transactions { get; init; } = 200_000;
    public int Accounts { get; init; } = 100_000;
    public int Silos { get; init; } = 1;
    public int LatencyRate { get; init; } = 2_000;
    public int LatencySeconds { get; init; } = 20;
    public int FloorRows { get; init; } = 50_000;
    public string Distributions { get; init; } = "uniform,zipf";
    /// <summary>Delete what every reader consumed from the mock broker's logs each second (see <see cref="LogTrimmer"/>).</summary>
    public bool TrimLogs { get; init; } = true;

    public string Output { get; init; } = "bench/results";

    /// <summary>Extra silo configuration, <c>Key=Value</c> pairs separated by <c>;</c>.</summary>
    public string SiloSettings { get; init; } = "";

    /// <summary>Extra environment variables of the silo processes (e.g. <c>DOTNET_gcServer=0</c>), <c>K=V</c> pairs separated by <c>;</c>.</summary>
    public string SiloEnvironment { get; init; } = "";

    /// <summary>Runs each silo in a memory cgroup of this many MiB, as a container limit would (0: no limit).</summary>
    public int SiloMemoryLimitMiB { get; init; }

    public IReadOnlyList<string> DistributionList =>
        [.. Distributions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(d => d != "none")];

    public IReadOnlyList<string> SiloSettingList => SiloSettings.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> SiloEnvironmentList => SiloEnvironment.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i].TrimStart('-').ToLowerInvariant() switch
            {
                "transactions" => options with { Transactions = Int(value) },
                "accounts" => options with { Accounts = Int(value) },
                "silos" => options with { Silos = Int(value) },
                "latency-rate" => options with { LatencyRate = Int(value) },
                "latency-seconds" => options with { LatencySeconds = Int(value) },
                "floor-rows" => options with { FloorRows = Int(value) },
                "distributions" => options with { Distributions = value },
                "trim-logs" => options with { TrimLogs = bool.Parse(value) },
                "output" => options with { Output = value },
                "silo-settings" => options with { SiloSettings = value },
                "silo-environment" => options with { SiloEnvironment = value },
                "silo-memory-limit-mib" => options with { SiloMemoryLimitMiB = Int(value) },
                var unknown => throw new ArgumentException($"Unknown option --{unknown}"),
            };
        }

        return options;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
