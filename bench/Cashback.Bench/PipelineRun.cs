using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;

namespace Cashback.Bench;

/// <summary>Runs traffic through the real silos and checks that nothing was lost or doubled.</summary>
public sealed class PipelineRun(string bootstrapServers, string postgres, IReadOnlyList<SiloProcess> silos)
{
    private const int Partitions = 12;
    private const int MaxProducedAhead = 200_000;
    private long _sequence;

    public sealed record Throughput(string Distribution, int Transactions, double Seconds, double PerSecond, double SiloCpuSeconds);

    public sealed record Latency(int Rate, int Seconds, int Events, double P50, double P95, double P99, double Max);

    /// <summary>First produce → last event consumed with all audit rows durable.</summary>
    public async Task<Throughput> MeasureThroughputAsync(Workload workload, string distribution, int transactions)
    {
        using var reader = Clients.TailReader(bootstrapServers, "cashback_events", Partitions);
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
                eventIds.Add(EventId(result.Message.Value));
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
    public async Task<Latency> MeasureLatencyAsync(Workload workload, int rate, int seconds)
    {
        using var reader = Clients.TailReader(bootstrapServers, "cashback_events", Partitions);
        using var producer = Clients.Producer(bootstrapServers);
        var sentAt = new Dictionary<string, long>();
        var total = rate * seconds;
        var clock = Stopwatch.StartNew();

        var producing = Task.Run(() =>
        {
            for (var i = 0; i < total; i++)
            {
                // Sleep rather than spin until the message is due: a spinning load generator would take one of the
                // machine's two cores from the pipeline it measures. Messages due meanwhile go out together.
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (clock.Elapsed < due)
                {
                    Thread.Sleep(1);
                }

                var id = NextTransactionId();
                var (key, value) = workload.Next(id);
                lock (sentAt)
                {
                    sentAt[id] = Stopwatch.GetTimestamp();
                }

                producer.Produce("transactions", new Message<byte[], byte[]> { Key = key, Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        });

        var latencies = new List<double>(total);
        var seen = new HashSet<string>();
        var idle = Stopwatch.StartNew();
        while (seen.Count < total && idle.Elapsed < TimeSpan.FromSeconds(60))
        {
            var result = reader.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            var received = Stopwatch.GetTimestamp();
            var id = EventId(result.Message.Value);
            long sent;
            lock (sentAt)
            {
                if (!sentAt.TryGetValue(id, out sent) || !seen.Add(id))
                {
                    continue;
                }
            }

            latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
            idle.Restart();
        }

        await producing;
        if (seen.Count < total)
        {
            throw new InvalidOperationException($"Only {seen.Count} of {total} events arrived.");
        }

        latencies.Sort();
        return new Latency(rate, seconds, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), latencies[^1]);
    }

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

    private TimeSpan SiloCpu() => silos.Aggregate(TimeSpan.Zero, (sum, silo) => sum + silo.CpuTime);

    private string NextTransactionId() => $"b{Interlocked.Increment(ref _sequence)}";

    private async Task<long> AuditRowsAsync()
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM cashback_transactions", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string EventId(byte[] value) =>
        JsonDocument.Parse(value).RootElement.GetProperty("event_id").GetString()!;

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
