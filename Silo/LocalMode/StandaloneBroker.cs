namespace Cashback.Silo.LocalMode;

/// <summary>
/// <c>dotnet run --project Silo -- broker</c>: only the embedded broker, on 127.0.0.1:9092 (or
/// <c>--LocalMode:KafkaPort=N</c>), so several silo processes and outside tools such as kcat share one.
/// </summary>
public static class StandaloneBroker
{
    public const string Command = "broker";

    public static async Task RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cashback.LocalMode");
        var port = builder.Configuration.GetValue("LocalMode:KafkaPort", EmbeddedKafkaOptions.DefaultPort);

        await using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = port }, logger);
        LocalModeLog.StandaloneBrokerRunning(logger, broker.BootstrapServers);
        await host.RunAsync();
    }
}
