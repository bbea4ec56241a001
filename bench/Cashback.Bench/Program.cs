using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cashback.Bench;
using Cashback.Ingestor.Kafka;
using Cashback.Silo.Database;
using Cashback.Silo.LocalMode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run -c Release --project bench/Cashback.Bench -- --transactions 200000 --accounts 100000 --silos 1
var options = BenchOptions.Parse(args);
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
var siloDll = Path.Combine(AppContext.BaseDirectory, "Cashback.Silo.dll");
Console.WriteLine($"Bench: {options}");

// The real dependencies: PostgreSQL with fsync and synchronous_commit on, the embedded Kafka-protocol broker.
await using var postgres = await ThrowawayPostgres.StartAsync(new ThrowawayPostgresOptions { Fsync = true }, null, CancellationToken.None);
NpgsqlRegistration.Register();
await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).ApplyAsync(postgres.ConnectionString, CancellationToken.None);
await using var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions { Port = 0 }, loggerFactory.CreateLogger("broker"));

// Floors: what Kafka alone and PostgreSQL alone do on this machine.
var floorDatabase = await postgres.CreateDatabaseAsync("floor");
var kafkaFloor = await Floors.KafkaRelayPerSecondAsync(broker, options.FloorRows);
var singleRowFloor = await Floors.PostgresSingleRowUpsertsPerSecondAsync(floorDatabase, options.FloorRows);
var batchedFloor = await Floors.PostgresBatchedUpsertsPerSecondAsync(floorDatabase, options.FloorRows * 4);
LatencyProbe.Result? kafkaLatencyFloor = options.LatencySeconds > 0 ? await Floors.KafkaRelayLatencyAsync(broker, options.LatencyRate, options.LatencySeconds) : null;
Console.WriteLine($"Floors: Kafka relay {kafkaFloor:F0}/s (p99 {kafkaLatencyFloor?.P99:F1} ms at {options.LatencyRate}/s), PostgreSQL single-row {singleRowFloor:F0}/s, batched {batchedFloor:F0}/s");

// The silos, each its own process.
var silos = new List<SiloProcess>();
for (var i = 0; i < options.Silos; i++)
{
    silos.Add(SiloProcess.Start(siloDll, i, postgres.ConnectionString, broker.BootstrapServers, LoopbackPorts.NextFree(), LoopbackPorts.NextFree(), LoopbackPorts.NextFree(), options));
}

try
{
    await using var trimmer = options.TrimLogs ? new LogTrimmer(broker, new KafkaOptions()) : null;
    var run = new PipelineRun(broker.BootstrapServers, postgres.ConnectionString, silos, trimmer);
    await WaitUntilReadyAsync(silos);
    var ledger = new Ledger();
    var warmup = new Workload(ledger, 1_000, "uniform", seed: 1);
    await run.MeasureThroughputAsync(warmup, "warm-up", 2_000);

    // Every account's first transaction activates its grain (a state read and a journal read); the passes after it
    // run on active accounts.
    var throughputs = new List<PipelineRun.Throughput>();
    var cold = await run.MeasureThroughputAsync(new Workload(ledger, options.Accounts, "each-once", seed: 3), "each-once (cold: every account's first transaction)", options.Accounts);
    await run.VerifyBalancesAsync(ledger);
    Console.WriteLine($"Throughput (cold, each account once): {cold.PerSecond:F0} transactions/s, verified");
    throughputs.Add(cold);
    foreach (var distribution in options.DistributionList)
    {
        var workload = new Workload(ledger, options.Accounts, distribution, seed: 42);
        var result = await run.MeasureThroughputAsync(workload, distribution, options.Transactions);
        await run.VerifyBalancesAsync(ledger);
        Console.WriteLine($"Throughput ({distribution}): {result.PerSecond:F0} transactions/s, verified");
        throughputs.Add(result);
    }

    LatencyProbe.Result? latency = null;
    SiloGc? latencyGc = null;
    if (options.LatencySeconds > 0)
    {
        using var http = new HttpClient();
        var gcBefore = await SiloGc.ReadAsync(http, silos);
        latency = await run.MeasureLatencyAsync(new Workload(ledger, options.Accounts, "uniform", seed: 7), options.LatencyRate, options.LatencySeconds);
        latencyGc = await SiloGc.ReadAsync(http, silos) - gcBefore;
        await run.VerifyBalancesAsync(ledger);
    }

    var peakRss = run.PeakRssBytes;
    Report(options, kafkaFloor, kafkaLatencyFloor, singleRowFloor, batchedFloor, throughputs, latency, latencyGc, peakRss, run.PeakCgroupBytes);
}
finally
{
    foreach (var silo in silos)
    {
        await silo.DisposeAsync();
    }
}

static void Report(BenchOptions options, double kafkaFloor, LatencyProbe.Result? kafkaLatencyFloor, double singleRowFloor, double batchedFloor,
    List<PipelineRun.Throughput> throughputs, LatencyProbe.Result? latency, SiloGc? latencyGc, long peakRss, long? peakCgroup)
{
    var table = new StringBuilder();
    table.AppendLine(CultureInfo.InvariantCulture, $"Cashback.Orleans bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.Silos} silo(s), {options.Accounts:N0} accounts");
    table.AppendLine();
    table.AppendLine("| measure | value | ratio |");
    table.AppendLine("|---|---|---|");
    table.AppendLine(CultureInfo.InvariantCulture, $"| floor: Kafka relay (consume → produce, no grain, no DB) | {kafkaFloor:N0}/s | |");
    if (kafkaLatencyFloor is not null)
    {
        table.AppendLine(CultureInfo.InvariantCulture, $"| floor: Kafka relay latency at {kafkaLatencyFloor.Rate:N0}/s (the silo's client settings) | {Percentiles(kafkaLatencyFloor)}; {MachineShares(kafkaLatencyFloor.Machine)} | |");
    }

    table.AppendLine(CultureInfo.InvariantCulture, $"| floor: PostgreSQL single-row upserts, 32 connections | {singleRowFloor:N0}/s | |");
    table.AppendLine(CultureInfo.InvariantCulture, $"| floor: PostgreSQL batched upserts (1,000/statement) | {batchedFloor:N0}/s | |");
    foreach (var t in throughputs)
    {
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| end to end, {t.Distribution} keys, {t.Transactions:N0} transactions | {t.PerSecond:N0}/s (silo CPU {t.SiloCpuSeconds:F1} s in {t.Seconds:F1} s) | {t.PerSecond / kafkaFloor:P0} of Kafka floor, {t.PerSecond / singleRowFloor:P0} of single-row PG floor |");
    }

    if (latency is not null)
    {
        table.AppendLine(CultureInfo.InvariantCulture, $"| latency produce → event at {latency.Rate:N0}/s for {latency.Seconds} s | {Percentiles(latency)} | {(kafkaLatencyFloor is null ? "" : $"p99 {latency.P99 / kafkaLatencyFloor.P99:F1}× the Kafka relay's")} |");
        if (latency is { ToStage: { } toGrain, FromStage: { } fromGrain })
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| … of which produce → applied by the account grain | {Percentiles(toGrain)} | |");
            table.AppendLine(CultureInfo.InvariantCulture, $"| … of which applied → event read (journal commit, publish, Kafka) | {Percentiles(fromGrain)} | |");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"| … meanwhile, the machine's CPU | {MachineShares(latency.Machine)} | |");
        if (latencyGc is { Collections: > 0 } gc)
        {
            // Read around the whole pass, its untimed warm-up second (rate messages) included.
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| … meanwhile, the silo's GC | {gc.Collections} collections (gen0 {gc.Gen0}, gen1 {gc.Gen1}, gen2 {gc.Gen2}), paused {gc.PausedSeconds * 1000:N0} ms in all, {gc.PausedSeconds * 1000 / gc.Collections:F1} ms each on average; allocated {gc.AllocatedBytes / 1024.0 / (latency.Rate * (latency.Seconds + 1)):N1} KB per transaction | |");
        }
    }

    IEnumerable<string> limit = options.SiloMemoryLimitMiB > 0 ? [$"memory cgroup of {options.SiloMemoryLimitMiB:N0} MiB"] : [];
    var settings = string.Join(", ", limit.Concat(options.SiloEnvironmentList).Concat(options.SiloSettingList).DefaultIfEmpty("default settings"));
    var cgroupPeak = peakCgroup is { } bytes ? $"; the cgroup's peak (page cache included) {bytes / 1024.0 / 1024.0:N0} MiB" : "";
    table.AppendLine(CultureInfo.InvariantCulture, $"| silo peak RSS ({settings}) | {peakRss / 1024.0 / 1024.0:N0} MiB{cgroupPeak} | |");

    Console.WriteLine();
    Console.WriteLine(table);
    Directory.CreateDirectory(options.Output);
    var stem = Path.Combine(options.Output, $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
    File.WriteAllText(stem + ".md", table.ToString());
    File.WriteAllText(stem + ".json", JsonSerializer.Serialize(new
    {
        options,
        floors = new { kafkaRelayPerSecond = kafkaFloor, kafkaRelayLatency = kafkaLatencyFloor, postgresSingleRowPerSecond = singleRowFloor, postgresBatchedPerSecond = batchedFloor },
        throughputs,
        latency,
        latencySiloGc = latencyGc,
        siloPeakRssBytes = peakRss,
        siloCgroupPeakBytes = peakCgroup,
    }, new JsonSerializerOptions { WriteIndented = true }));
    var written = $"{stem}.md and {stem}.json";
    if (latency is { Samples.Count: > 0 })
    {
        WriteSamples(stem + "-latency.csv", latency.Samples);
        written = $"{stem}.md, {stem}.json and {stem}-latency.csv";
    }

    Console.WriteLine($"Written {written}");
}

static void WriteSamples(string path, IReadOnlyList<LatencyProbe.Sample> samples)
{
    using var csv = new StreamWriter(path);
    csv.WriteLine("sent_at,produce_to_event_ms,produce_to_applied_ms,applied_to_event_ms");
    foreach (var sample in samples.OrderBy(s => s.SentAt))
    {
        csv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sample.SentAt:O},{sample.Milliseconds:F2},{sample.ToStage:F2},{sample.FromStage:F2}"));
    }
}

static string MachineShares(MachineCpu machine) =>
    string.Create(CultureInfo.InvariantCulture, $"machine CPU busy {machine.BusyShare:P0}, stolen by the hypervisor {machine.StolenShare:P0}");

static string Percentiles(LatencyProbe.Result latency) =>
    string.Create(CultureInfo.InvariantCulture, $"p50 {latency.P50:F1} ms, p95 {latency.P95:F1} ms, p99 {latency.P99:F1} ms, max {latency.Max:F1} ms");

static async Task WaitUntilReadyAsync(IEnumerable<SiloProcess> silos)
{
    using var http = new HttpClient();
    foreach (var silo in silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"{silo.HttpAddress}/accounts/bench-ready/balance");
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Silo {silo.HttpAddress} did not become ready.");
            }

            await Task.Delay(200);
        }
    }
}
