using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cashback.Tests.Infrastructure;

/// <summary>The real silo host (Program.cs) on a given database and broker, with its own free ports.</summary>
/// <param name="settings">Further configuration, e.g. <c>Rules:DefaultRuleSetPath</c>.</param>
public sealed class SiloApplicationFactory(
    string connectionString, string kafkaBootstrapServers, string? clusterId = null, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("Kafka:BootstrapServers", kafkaBootstrapServers);
        builder.UseSetting("Kafka:SessionTimeout", "00:00:06");
        builder.UseSetting("Kafka:MaxRetryDelay", "00:00:01");
        builder.UseSetting("Orleans:ClusterId", clusterId ?? $"test-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:SiloPort", FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
