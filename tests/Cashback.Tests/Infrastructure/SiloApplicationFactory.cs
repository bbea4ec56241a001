using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Cashback.Silo.LocalMode;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// The real silo host (Program.cs) on a given database and broker, with its own free ports. It accepts
/// <see cref="TestTokens"/>; <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> clients send an operator
/// token (<c>cashback.read cashback.admin</c>) unless a test replaces or removes their Authorization header.
/// </summary>
public sealed class SiloApplicationFactory(
    string connectionString,
    string kafkaBootstrapServers,
    string? clusterId = null,
    IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("Kafka:BootstrapServers", kafkaBootstrapServers);
        builder.UseSetting("Kafka:SessionTimeout", "00:00:06");
        builder.UseSetting("Kafka:MaxRetryDelay", "00:00:01");
        builder.UseSetting("Orleans:ClusterId", clusterId ?? $"test-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:SiloPort", LoopbackPorts.NextFree().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", LoopbackPorts.NextFree().ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in TestTokens.Settings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.Operator());
    }
}
