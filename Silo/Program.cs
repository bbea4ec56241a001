using Cashback.Silo.Api;
using Cashback.Silo.Hosting;
using Cashback.Silo.LocalMode;
using Cashback.Silo.Operations;

if (args is [StandaloneBroker.Command, ..])
{
    await StandaloneBroker.RunAsync(args[1..]);
    return 0;
}

if (args is [LocalCluster.Command, ..])
{
    return await LocalCluster.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

// Local mode: throw-away PostgreSQL and an embedded Kafka-protocol broker unless real ones are configured.
await builder.AddLocalModeDependenciesAsync();

// The silo: Orleans cluster membership, account grains on PostgreSQL, the Kafka ingestor.
builder.AddCashbackSilo();

// The HTTP API of SPEC §8, behind JWT bearer auth.
builder.AddCashbackApi();

// What operators watch: the Orleans dashboard, health probes, Prometheus metrics.
builder.AddCashbackOperations();

var app = builder.Build();
app.MapCashbackApi();
app.MapCashbackOperations();
app.LogWhereEverythingIs();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
