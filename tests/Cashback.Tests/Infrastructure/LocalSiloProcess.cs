using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cashback.Silo.LocalMode;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// The silo as a user starts it: <c>dotnet Cashback.Silo.dll</c> in its own process, in local mode (embedded Kafka,
/// no signing key configured), on free ports. What it prints is kept in <see cref="Output"/>.
/// </summary>
public sealed class LocalSiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private LocalSiloProcess(Process process, string baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    /// <summary>The silo's embedded broker, on its fixed relay port.</summary>
    public string KafkaBootstrapServers { get; private init; } = "";

    public string Output => string.Join('\n', _output);

    /// <param name="postgres">A database to use instead of a throw-away server of its own (quicker in tests).</param>
    public static LocalSiloProcess Start(string postgres)
    {
        var httpPort = LoopbackPorts.NextFree();
        var kafkaPort = LoopbackPorts.NextFree();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Cashback.Silo.dll"),
                     $"--Urls=http://127.0.0.1:{Port(httpPort)}",
                     $"--ConnectionStrings:Postgres={postgres}",
                     $"--LocalMode:KafkaPort={Port(kafkaPort)}",
                     $"--Orleans:ClusterId=browser-{Guid.NewGuid():N}",
                     $"--Orleans:SiloPort={Port(LoopbackPorts.NextFree())}",
                     $"--Orleans:GatewayPort={Port(LoopbackPorts.NextFree())}",
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = startInfo };
        var silo = new LocalSiloProcess(process, $"http://127.0.0.1:{Port(httpPort)}") { KafkaBootstrapServers = $"127.0.0.1:{Port(kafkaPort)}" };
        process.OutputDataReceived += (_, line) => silo.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until the silo has printed something matching <paramref name="pattern"/>; returns its first group.</summary>
    public async Task<string> WaitForOutputAsync(string pattern, TimeSpan within)
    {
        var regex = new Regex(pattern);
        var match = await Eventually.ReachesAsync(
            () => Task.FromResult(regex.Match(Output)),
            found => found.Success || _process.HasExited,
            within,
            $"the silo to print /{pattern}/");
        Assert.True(match.Success, $"The silo exited before printing /{pattern}/:\n{Output}");
        return match.Groups[1].Value;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
