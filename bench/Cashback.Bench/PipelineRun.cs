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

        var producing = Task.Run(async () =>
        {
            var pending = new List<Task>(transactions);
            for (var i = 0; i < transactions; i++)
            {
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
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (clock.Elapsed < due)
                {
                    Thread.SpinWait(50);
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

    /// <summary>Every account's balance (read over HTTP from the silos) equals what the workload says it must be.</summary>
    public async Task VerifyBalancesAsync(Ledger ledger)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using (var sum = new NpgsqlCommand("SELECT coalesce(sum(cashback), 0) FROM cashback_transactions WHERE customer_id LIKE 'bench-%'", connection))
        {
            var audited = (decimal)(await sum.ExecuteScalarAsync())!;
            if (audited != ledger.Total)
            {
                throw new InvalidOperationException($"Audit total {audited} differs from the expected {ledger.Total}.");
            }
        }

        using var http = new HttpClient();
        var wrong = 0;
        await Parallel.ForEachAsync(ledger.Balances, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
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
            throw new InvalidOperationException($"{wrong} of {ledger.Balances.Count} balances differ from what was expected.");
        }
    }

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
