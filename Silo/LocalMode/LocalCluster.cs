using System.Diagnostics;
using System.Globalization;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// <c>dotnet run --project Silo -- cluster N</c>: a local cluster of N silo processes on this machine sharing one
/// embedded broker and one throw-away PostgreSQL, both owned by this process. Silo i (from 1) serves HTTP on
/// 8079+i, talks to other silos on 11110+i and to clients on 29999+i. Ctrl+C (or SIGTERM) stops the silos gracefully,
/// then the broker and the database. Further arguments go to every silo, <c>--Demo:*</c> only to the first.
/// </summary>
public static partial class LocalCluster
{
    public const string Command = "cluster";
    public const int MaxSilos = 12; // one per partition of transactions; more would sit idle

    private const int FirstHttpPort = 8080;
    private const int FirstSiloPort = 11111;
    private const int FirstGatewayPort = 30000;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var countText, .. var siloArguments]
            || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxSilos)
        {
            await Console.Error.WriteLineAsync($"Usage: dotnet run --project Silo -- {Command} N [--Key=Value ...]   (1 <= N <= {MaxSilos})");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(siloArguments);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cashback.LocalCluster");
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync();

        await using var postgres = await ThrowawayPostgres.StartAsync(logger, lifetime.ApplicationStopping);
        var kafkaPort = builder.Configuration.GetValue("LocalMode:KafkaPort", EmbeddedKafkaOptions.DefaultPort);
        await using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = kafkaPort }, logger);

        var silos = Enumerable.Range(1, count)
            .Select(number => StartSilo(number, postgres.ConnectionString, broker.BootstrapServers, siloArguments))
            .ToList();
        foreach (var silo in silos)
        {
            SiloStarting(logger, silo.Name, silo.HttpUrl, silo.SiloPort, silo.GatewayPort, silo.Process.Id);
        }

        var allExited = Task.WhenAll(silos.Select(s => s.Process.WaitForExitAsync()));
        var stopping = Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
        var allReady = Task.WhenAll(silos.Select(s => s.Ready));
        if (await Task.WhenAny(allReady, allExited, stopping) == allReady)
        {
            ClusterReady(logger, count, string.Join(", ", silos.Select(s => s.HttpUrl)), broker.BootstrapServers, postgres.ConnectionString);
        }

        await Task.WhenAny(allExited, stopping);
        await StopAsync(silos, logger);
        await host.StopAsync();
        return 0;
    }

    private static ClusterSilo StartSilo(int number, string postgres, string bootstrapServers, string[] siloArguments)
    {
        var silo = new ClusterSilo(
            $"silo-{number}",
            $"http://127.0.0.1:{FirstHttpPort + number - 1}",
            FirstSiloPort + number - 1,
            FirstGatewayPort + number - 1);

        var entryAssembly = typeof(LocalCluster).Assembly.Location;
        var host = Environment.ProcessPath ?? "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory, // where appsettings.json is
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            startInfo.ArgumentList.Add(entryAssembly);
        }

        foreach (var argument in siloArguments.Where(a => number == 1 || !a.StartsWith("--Demo:", StringComparison.OrdinalIgnoreCase)))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["ConnectionStrings__Postgres"] = postgres;
        startInfo.Environment["Kafka__BootstrapServers"] = bootstrapServers;
        startInfo.Environment["Kafka__FetchWaitMax"] = EmbeddedKafkaOptions.ConsumerFetchWaitMax;
        startInfo.Environment["Orleans__SiloPort"] = silo.SiloPort.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["Orleans__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["Urls"] = silo.HttpUrl;
        startInfo.Environment["LocalMode__ParentProcessId"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        silo.Process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {silo.Name}.");
        silo.Process.OutputDataReceived += (_, line) => silo.Echo(line.Data);
        silo.Process.ErrorDataReceived += (_, line) => silo.Echo(line.Data);
        silo.Process.BeginOutputReadLine();
        silo.Process.BeginErrorReadLine();
        return silo;
    }

    private static async Task StopAsync(List<ClusterSilo> silos, ILogger logger)
    {
        foreach (var silo in silos.Where(s => !s.Process.HasExited))
        {
            PosixSignal.Send(silo.Process.Id, PosixSignal.Terminate);
        }

        using var deadline = new CancellationTokenSource(StopTimeout);
        foreach (var silo in silos)
        {
            try
            {
                await silo.Process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                silo.Process.Kill();
            }

            SiloStopped(logger, silo.Name, silo.Process.ExitCode);
            silo.Process.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Starting {Silo}: HTTP {HttpUrl}, silo port {SiloPort}, gateway port {GatewayPort} (pid {ProcessId})")]
    private static partial void SiloStarting(ILogger logger, string silo, string httpUrl, int siloPort, int gatewayPort, int processId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Local cluster of {Count} silos ready. HTTP APIs: {HttpUrls}. Kafka: {BootstrapServers}. PostgreSQL: {Postgres}. Ctrl+C stops it.")]
    private static partial void ClusterReady(ILogger logger, int count, string httpUrls, string bootstrapServers, string postgres);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Silo} exited with code {ExitCode}")]
    private static partial void SiloStopped(ILogger logger, string silo, int exitCode);

    private sealed class ClusterSilo(string name, string httpUrl, int siloPort, int gatewayPort)
    {
        private const string ReadyMarker = "Cashback silo ready";
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name { get; } = name;

        public string HttpUrl { get; } = httpUrl;

        public int SiloPort { get; } = siloPort;

        public int GatewayPort { get; } = gatewayPort;

        public Process Process { get; set; } = null!;

        public Task Ready => _ready.Task;

        public void Echo(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains(ReadyMarker, StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }

            Console.WriteLine($"[{Name}] {line}");
        }
    }
}
