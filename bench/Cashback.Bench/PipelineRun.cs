using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;

namespace Cashback.Bench;

/// <summary>Runs traffic through the real silos and checks that nothing was lost or doubled.</summary>
public sealed class PipelineRun(string bootstrapServers, string postgres, IReadOnlyList<SiloProcess> silos, LogTrimmer? trimmer)
{
    private const int Partitions = 12;
    private const int MaxProducedAhead = 200_000;
    private long _sequence;

    public sealed record Throughput(string Distribution, int Transactions, double Seconds, double PerSecond, double SiloCpuSeconds);

    /// <summary>First produce → last event consumed with all audit rows durable.</summary>
    public async Task<Throughput> MeasureThroughputAsync(Workload workload, string distribution, int transactions)
    {
        using var reader = Clients.TailReader(bootstrapServers, "cashback_events", Partitions);
        using var followed = trimmer?.FollowEventReader(reader);
        using var producer = Clients.Producer(bootstrapServers);
        var auditBefore = await AuditRowsAsync();
        var cpuBefore = SiloCpu();
        var stopwatch = Stopwatch.StartNew();

        long consumed = 0;
        var producing = Task.Run(async () =>
        {
            var pending = new List<Task>(transactions);
            for (var i = 0; i < transactions; i++)
            {
                // The mock broker keeps only 5 MiB per partition: never run further ahead of the pipeline than it holds.
                while (i - Interlocked.Read(ref consumed) >= MaxProducedAhead)
                {
                    await Task.Delay(5);
                }

                var (key, value) = workload.Next(NextTransactionId());
                pending.Add(producer.ProduceAsync("transactions", new Message<byte[], byte[]> { Key = key, Value = value }));
            }

            await Task.WhenAll(pending);
        });

        var eventIds = new HashSet<string>();
        var deadline = Stopwatch.StartNew();
        while (eventIds.Count < transactions)
        {
            var result = reader.Consume(TimeSpan.FromSeconds(1));
            if (result is not null)
            {
                eventIds.Add(EventId(result.Message));
                Interlocked.Exchange(ref consumed, eventIds.Count);
                deadline.Restart();
            }
            else if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new InvalidOperationException($"Stalled: {eventIds.Count} of {transactions} events after 120 s without progress.");
            }
        }

        await producing;
        while (await AuditRowsAsync() - auditBefore < transactions)
        {
            await Task.Delay(20);
        }

        stopwatch.Stop();
        return new Throughput(distribution, transactions, stopwatch.Elapsed.TotalSeconds, transactions / stopwatch.Elapsed.TotalSeconds, (SiloCpu() - cpuBefore).TotalSeconds);
    }

    /// <summary>Produce → event latency at a fixed offered rate.</summary>
    public Task<LatencyProbe.Result> MeasureLatencyAsync(Workload workload, int rate, int seconds) =>
        LatencyProbe.MeasureAsync(bootstrapServers, "transactions", "cashback_events", Partitions, rate, seconds, workload.Next, EventId, trimmer, AppliedAt);

    /// <summary>
    /// Every account's audit rows sum to what the workload says it must be, and so does its balance read over HTTP from
    /// the silos: for every account up to <see cref="BalancesReadOverHttp"/> accounts, for a random sample of that
    /// many beyond.
    /// </summary>
    public async Task VerifyBalancesAsync(Ledger ledger)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        var audited = new Dictionary<string, decimal>(ledger.Balances.Count);
        await using (var sums = new NpgsqlCommand(
            "SELECT customer_id, sum(cashback) FROM cashback_transactions WHERE customer_id LIKE 'bench-%' GROUP BY customer_id", connection))
        await using (var reader = await sums.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                audited[reader.GetString(0)] = reader.GetDecimal(1);
            }
        }

        var wrongInAudit = ledger.Balances.Count(entry => audited.GetValueOrDefault(entry.Key) != entry.Value) + audited.Keys.Count(k => !ledger.Balances.ContainsKey(k));
        if (wrongInAudit > 0)
        {
            throw new InvalidOperationException($"{wrongInAudit} accounts' audit sums differ from what was expected.");
        }

        using var http = new HttpClient();
        var wrong = 0;
        var checkedOverHttp = ledger.Balances.Count <= BalancesReadOverHttp
            ? ledger.Balances.ToList()
            : [.. ledger.Balances.OrderBy(_ => Random.Shared.Next()).Take(BalancesReadOverHttp)];
        await Parallel.ForEachAsync(checkedOverHttp, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
        {
            var silo = silos[Math.Abs(entry.Key.GetHashCode()) % silos.Count];
            var body = await http.GetFromJsonAsync<JsonElement>($"{silo.HttpAddress}/accounts/{entry.Key}/balance", ct);
            if (decimal.Parse(body.GetProperty("balance").GetString()!, System.Globalization.CultureInfo.InvariantCulture) != entry.Value)
            {
                Interlocked.Increment(ref wrong);
            }
        });
        if (wrong > 0)
        {
            throw new InvalidOperationException($"{wrong} of {checkedOverHttp.Count} balances read over HTTP differ from what was expected.");
        }
    }

    private const int BalancesReadOverHttp = 100_000;

    public long PeakRssBytes => silos.Max(s => s.PeakRssBytes);

    public long? PeakCgroupBytes => silos.Max(s => s.CgroupPeakBytes);

    private TimeSpan SiloCpu() => silos.Aggregate(TimeSpan.Zero, (sum, silo) => sum + silo.CpuTime);

    private string NextTransactionId() => $"b{Interlocked.Increment(ref _sequence)}";

    private async Task<long> AuditRowsAsync()
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM cashback_transactions", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The event's <c>processed_at</c>: when the account grain applied the transaction, before its commit.</summary>
    private static DateTime AppliedAt(Message<byte[], byte[]> message)
    {
        using var document = JsonDocument.Parse(message.Value);
        return document.RootElement.GetProperty("processed_at").GetDateTime().ToUniversalTime();
    }

    // The publisher puts the event id in a header too: reading it there spares the bench a JSON parse per event.
    private static string EventId(Message<byte[], byte[]> message) => Encoding.UTF8.GetString(message.Headers.GetLastBytes("event_id"));
}
