using System.Diagnostics;
using System.Globalization;
using Cashback.Silo.LocalMode;

namespace Cashback.Bench;

/// <summary>A silo started as its own process from the built Cashback.Silo.dll, so its CPU and memory can be measured.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly MemoryCgroup? _cgroup;

    private SiloProcess(Process process, string httpAddress, MemoryCgroup? cgroup)
    {
        _process = process;
        HttpAddress = httpAddress;
        _cgroup = cgroup;
    }

    public string HttpAddress { get; }

    public int Id => _process.Id;

    public static SiloProcess Start(
        string siloDll, int index, string postgres, string kafka, int httpPort, int siloPort, int gatewayPort, BenchOptions options)
    {
        var cgroup = options.SiloMemoryLimitMiB > 0
            ? MemoryCgroup.Create($"cashback-bench-silo-{index}-{Environment.ProcessId}", options.SiloMemoryLimitMiB * 1024L * 1024L)
            : null;
        var start = new ProcessStartInfo(cgroup is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(siloDll)!, // the content root: where appsettings.json is
        };
        string[] arguments =
        [
            siloDll,
            $"--ConnectionStrings:Postgres={postgres}",
            $"--Kafka:BootstrapServers={kafka}",
            "--Kafka:SessionTimeout=00:00:06",
            $"--Kafka:FetchWaitMax={EmbeddedKafkaOptions.ConsumerFetchWaitMax}",
            $"--Urls=http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Orleans:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Orleans:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
            "--Orleans:ClusterId=bench",
            "--Auth:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ];
        if (cgroup is not null)
        {
            // Join the group before the runtime starts: .NET reads its memory limit once, at start-up.
            foreach (var argument in new[] { "-c", "echo $$ > \"$0\" && exec dotnet \"$@\"", cgroup.ProcsFile })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments.Concat(options.SiloSettingList.Select(setting => $"--{setting}")))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "1";
        foreach (var variable in options.SiloEnvironmentList)
        {
            var (name, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        var log = File.CreateText(Path.Combine(Path.GetTempPath(), $"cashback-bench-silo-{index}.log"));
        log.AutoFlush = true;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}", cgroup);
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Peak resident set size (VmHWM), in bytes.</summary>
    public long PeakRssBytes
    {
        get
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }

            return 0;
        }
    }

    /// <summary>The most memory the silo's cgroup used at once (page cache included), when it runs in one.</summary>
    public long? CgroupPeakBytes => _cgroup?.PeakBytes;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _cgroup?.Dispose();
    }
}
