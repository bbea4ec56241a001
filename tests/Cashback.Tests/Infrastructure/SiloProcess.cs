using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cashback.Silo.LocalMode;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// A silo in a process of its own (<c>dotnet Cashback.Silo.dll</c>) with its own silo, gateway and HTTP ports, on a
/// given database, broker and cluster. It stops by itself when the test process is gone.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private const string ReadyMarker = "Cashback silo ready";
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private SiloProcess(string name, Process process, int siloPort, Uri http)
    {
        Name = name;
        Process = process;
        SiloPort = siloPort;
        Http = http;
    }

    public string Name { get; }

    public Process Process { get; }

    public int SiloPort { get; }

    public Uri Http { get; }

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public static SiloProcess Start(string name, string connectionString, string bootstrapServers, string clusterId)
    {
        var siloPort = LoopbackPorts.NextFree();
        var http = new Uri($"http://127.0.0.1:{LoopbackPorts.NextFree()}");
        var siloAssembly = typeof(Program).Assembly.Location;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { siloAssembly },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(siloAssembly)!,
            Environment =
            {
                ["ConnectionStrings__Postgres"] = connectionString,
                ["Kafka__BootstrapServers"] = bootstrapServers,
                ["Kafka__SessionTimeout"] = "00:00:06",
                ["Kafka__MaxRetryDelay"] = "00:00:01",
                // Little in flight, so a revoked partition drains well within the embedded broker's rebalance timeout on a busy machine.
                ["Kafka__MaxInFlight"] = "200",
                ["Orleans__ClusterId"] = clusterId,
                ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = LoopbackPorts.NextFree().ToString(CultureInfo.InvariantCulture),
                ["Urls"] = http.ToString(),
                ["LocalMode__ParentProcessId"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            },
        };
        foreach (var (key, value) in TestTokens.Settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value; // accepts the tests' tokens
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {name}.");
        var silo = new SiloProcess(name, process, siloPort, http);
        process.OutputDataReceived += (_, line) => silo.Record(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    public async Task WaitUntilReadyAsync(TimeSpan within)
    {
        var exited = Process.WaitForExitAsync();
        var finished = await Task.WhenAny(_ready.Task, exited, Task.Delay(within));
        if (finished != _ready.Task)
        {
            throw new TimeoutException($"{Name} did not become ready within {within}{(finished == exited ? $" (exit code {Process.ExitCode})" : "")}:\n{Tail()}");
        }
    }

    /// <summary>SIGTERM: the silo stops consuming, drains, commits, leaves the group and the cluster.</summary>
    public void Terminate() => PosixSignal.Send(Process.Id, PosixSignal.Terminate);

    /// <summary>SIGKILL: the silo vanishes with whatever it had in flight.</summary>
    public void Kill() => PosixSignal.Send(Process.Id, PosixSignal.Kill);

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        await Process.WaitForExitAsync(deadline.Token);
        return Process.ExitCode;
    }

    /// <summary>The silo's last report of ingestor calls to account grains it served: local and remote.</summary>
    public (long Local, long Remote) LastCallLocality()
    {
        var report = Output.LastOrDefault(line => line.Contains("Ingestor calls to account grains served here", StringComparison.Ordinal));
        if (report is null || CallLocalityPattern().Match(report) is not { Success: true } match)
        {
            return (0, 0);
        }

        return (long.Parse(match.Groups["local"].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups["remote"].Value, CultureInfo.InvariantCulture));
    }

    public string Tail(int lines = 40) => string.Join('\n', Output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!Process.HasExited)
        {
            Process.Kill();
            await Process.WaitForExitAsync();
        }

        // CASHBACK_SILO_LOGS=<directory> keeps each silo's output for a post-mortem.
        if (Environment.GetEnvironmentVariable("CASHBACK_SILO_LOGS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllLinesAsync(Path.Combine(directory, $"{Name}.log"), Output);
        }

        Process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line.Contains(ReadyMarker, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"served here: (?<local>\d+) local, (?<remote>\d+) remote")]
    private static partial Regex CallLocalityPattern();
}
