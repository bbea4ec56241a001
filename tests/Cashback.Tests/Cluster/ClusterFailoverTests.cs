using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cashback.Tests.Infrastructure;
using Cashback.Tests.Pipeline;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace Cashback.Tests.Cluster;

/// <summary>
/// Three silo processes share the stream; mid-stream a fourth joins, one is stopped with SIGTERM and one is killed
/// with SIGKILL. One run covers the three so that the machine starts and forms the cluster only once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterFailoverTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    private const int Partitions = 12;
    private static readonly TimeSpan RebalanceDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ProcessingDeadline = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan GracefulStopDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FirstThirdArrivesOver = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task silos_joining_stopping_and_being_killed_mid_stream_lose_nothing_and_only_the_kill_repeats_events()
    {
        var stream = GeneratedStream.Create(transactions: 21_000, accounts: 2_100, seed: 2024);
        var phases = Phase.Split(stream, 3);
        await using var cluster = await SiloCluster.StartAsync(postgres);
        var clock = Stopwatch.StartNew();

        var (s1, s2, s3) = await StartThreeAsync(cluster);
        await cluster.WaitForOwnersAsync(Partitions, RebalanceDeadline);
        Log(clock, "3 silos up, 12 partitions assigned");

        // A fourth silo starts while the first third streams in, and joins the group mid-stream.
        var joined = new TaskCompletionSource();
        var streaming = ProduceSteadilyAsync(cluster.Kafka, phases[0].Messages, FirstThirdArrivesOver, until: joined.Task);
        var s4 = (await cluster.StartSilosAsync(1))[0];
        var ownersWithFour = await cluster.WaitForOwnersAsync(Partitions, RebalanceDeadline);
        joined.SetResult();
        Log(clock, $"silo-4 joined, owns {Describe(ownersWithFour, s4)}; {phases[0].RowsAfter - await cluster.AuditRowCountAsync()} of {phases[0].NewRows} rows of the first third were left");
        await streaming;
        await WaitForRowsAsync(cluster, phases[0].RowsAfter);

        // SIGTERM a silo while the second third is being processed: it drains, commits and leaves.
        await cluster.Kafka.ProduceAllAsync("transactions", phases[1].Messages);
        await Eventually.ReachesAsync(
            () => Task.FromResult(s4.LastCallLocality().Local), local => local > 0, ProcessingDeadline, "silo-4 to serve its grains");
        await WaitForRowsAsync(cluster, phases[1].RowsBefore + (phases[1].NewRows / 4));
        var terminatedAt = DateTimeOffset.UtcNow;
        s2.Terminate();
        var exitCode = await s2.WaitForExitAsync(GracefulStopDeadline);
        Log(clock, $"silo-2 stopped by SIGTERM with exit code {exitCode} after {DateTimeOffset.UtcNow - terminatedAt:g}");
        await cluster.WaitForOwnersAsync(Partitions, RebalanceDeadline);
        await WaitForRowsAsync(cluster, phases[1].RowsAfter);

        // SIGKILL a silo while the last third is being processed: the others take over its partitions. The third's
        // second half arrives after the kill, so every partition of the killed silo has work for its new owner.
        var ownersBeforeKill = await cluster.WaitForOwnersAsync(Partitions, RebalanceDeadline);
        int[] killedPartitions = [.. ownersBeforeKill.Where(o => o.Value == s3).Select(o => o.Key)];
        var halfOfLastThird = phases[2].Messages.Count / 2;
        await cluster.Kafka.ProduceAllAsync("transactions", phases[2].Messages[..halfOfLastThird]);
        await WaitForRowsAsync(cluster, phases[2].RowsBefore + (phases[2].NewRows / 4));
        var killedAt = DateTimeOffset.UtcNow;
        var localityOfKilled = s3.LastCallLocality();
        s3.Kill();
        await s3.WaitForExitAsync(GracefulStopDeadline);
        await cluster.Kafka.ProduceAllAsync("transactions", phases[2].Messages[halfOfLastThird..]);
        await cluster.WaitForOwnersAsync(Partitions, RebalanceDeadline);
        await WaitForRowsAsync(cluster, phases[2].RowsAfter);
        var resumed = await cluster.FirstProcessedAfterAsync(killedPartitions, killedAt);
        Log(clock, $"silo-3 killed; its partitions {string.Join(",", killedPartitions)} resumed after " +
            $"{resumed.Values.Min() - killedAt:g} (first) to {resumed.Values.Max() - killedAt:g} (last)");

        await WaitForEventsAndDeadLettersAsync(cluster, stream);
        var events = ReadEvents(cluster);
        var repeats = new
        {
            Join = RepeatsPublishedBetween(events, DateTimeOffset.MinValue, terminatedAt),
            Sigterm = RepeatsPublishedBetween(events, terminatedAt, killedAt),
            Sigkill = RepeatsPublishedBetween(events, killedAt, DateTimeOffset.MaxValue),
        };
        var deadLetters = ReadDeadLetters(cluster);
        Log(clock, $"repeated events: {repeats.Join} up to the SIGTERM (start, join), {repeats.Sigterm} around the SIGTERM, {repeats.Sigkill} around the SIGKILL; " +
            $"repeated dead letters: {RepeatsPublishedBetween(deadLetters, DateTimeOffset.MinValue, terminatedAt)}, {RepeatsPublishedBetween(deadLetters, terminatedAt, killedAt)}, " +
            $"{RepeatsPublishedBetween(deadLetters, killedAt, DateTimeOffset.MaxValue)}");
        var localShare = ReportCallLocality([s1, s4, s2], localityOfKilled);

        Assert.Equal(0, exitCode);
        Assert.Contains(s2.Output, line => line.Contains("Ingestor stopped: work drained, offsets committed, group left", StringComparison.Ordinal));
        Assert.Equal(0, repeats.Join);
        Assert.Equal(0, repeats.Sigterm);
        Assert.True(localShare >= 0.9, $"only {localShare:P1} of the ingestors' grain calls were local");
        Assert.Equal(killedPartitions.Order(), resumed.Keys.Order());
        Assert.Contains(s4, ownersWithFour.Values);
        await AssertMatchesOracleAsync(cluster, stream, events, deadLetters, s1);
        Log(clock, "oracle matched");
    }

    private static async Task<(SiloProcess, SiloProcess, SiloProcess)> StartThreeAsync(SiloCluster cluster)
    {
        var silos = await cluster.StartSilosAsync(3);
        return (silos[0], silos[1], silos[2]);
    }

    /// <summary>
    /// Produces <paramref name="messages"/> in even slices spread over <paramref name="duration"/>, and what is left at
    /// once when <paramref name="until"/> completes.
    /// </summary>
    private static async Task ProduceSteadilyAsync(KafkaTestClient kafka, List<(byte[]? Key, byte[]? Value)> messages, TimeSpan duration, Task until)
    {
        const int Slices = 80;
        foreach (var slice in messages.Chunk((messages.Count + Slices - 1) / Slices))
        {
            await kafka.ProduceAllAsync("transactions", slice);
            if (!until.IsCompleted)
            {
                await Task.WhenAny(until, Task.Delay(duration / Slices)); // the stream's arrival rate, not a synchronisation
            }
        }
    }

    private static Task WaitForRowsAsync(SiloCluster cluster, long rows) =>
        Eventually.ReachesAsync(cluster.AuditRowCountAsync, count => count >= rows, ProcessingDeadline, $"{rows} audit rows");

    private static async Task WaitForEventsAndDeadLettersAsync(SiloCluster cluster, GeneratedStream stream)
    {
        var expectedEvents = stream.Expected.Values.Count(cashback => cashback != 0);
        await Eventually.ReachesAsync(() => Task.FromResult(DistinctEventIds(ReadEvents(cluster))), count => count >= expectedEvents,
            ProcessingDeadline, $"{expectedEvents} distinct cashback events");
        await Eventually.ReachesAsync(() => Task.FromResult(DistinctEventIds(ReadDeadLetters(cluster))), count => count >= stream.ExpectedDeadLetters.Count,
            ProcessingDeadline, $"{stream.ExpectedDeadLetters.Count} distinct dead letters");
    }

    private static List<PublishedEvent> ReadEvents(SiloCluster cluster) =>
        [.. cluster.Kafka.ReadAll("cashback_events").Select(PublishedEvent.From)];

    /// <summary>Dead letters, identified by their original value.</summary>
    private static List<PublishedEvent> ReadDeadLetters(SiloCluster cluster) =>
        [.. cluster.Kafka.ReadAll("transactions.dlq").Select(d => new PublishedEvent(Encoding.UTF8.GetString(d.Message.Value!), 0m, d.Message.Timestamp.UtcDateTime))];

    private static int DistinctEventIds(List<PublishedEvent> events) => events.Select(e => e.EventId).Distinct().Count();

    /// <summary>Copies of an event published before, whose copy Kafka received in [from, to).</summary>
    private static int RepeatsPublishedBetween(List<PublishedEvent> events, DateTimeOffset from, DateTimeOffset to) =>
        events.GroupBy(e => e.EventId)
            .SelectMany(copies => copies.OrderBy(c => c.PublishedAt).Skip(1))
            .Count(repeat => repeat.PublishedAt >= from && repeat.PublishedAt < to);

    private static async Task AssertMatchesOracleAsync(
        SiloCluster cluster, GeneratedStream stream, List<PublishedEvent> events, List<PublishedEvent> deadLetters, SiloProcess api)
    {
        Assert.Equal(stream.Expected.Count, await cluster.AuditRowCountAsync());
        var expectedPerAccount = stream.Expected.GroupBy(e => e.Key.Customer).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        Assert.Equal(expectedPerAccount.OrderBy(e => e.Key), (await cluster.AuditCashbackPerAccountAsync()).OrderBy(e => e.Key));

        // Balances as a client sees them, through one silo's HTTP API: most grains live on other silos.
        var balances = await Task.WhenAll(expectedPerAccount.Keys.Chunk(100).Select(async accounts =>
        {
            var found = new List<(string Account, decimal? Balance)>();
            foreach (var account in accounts)
            {
                found.Add((account, await cluster.BalanceAsync(api, account)));
            }

            return found;
        }));
        foreach (var (account, balance) in balances.SelectMany(b => b))
        {
            Assert.True(balance == expectedPerAccount[account], $"{account}: expected {expectedPerAccount[account]}, got {balance}");
        }

        var distinct = events.GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.First());
        var expectedEvents = stream.Expected.Where(e => e.Value != 0).ToDictionary(e => e.Key.Transaction, e => e.Value);
        Assert.Equal(expectedEvents.Keys.Order(), distinct.Keys.Order());
        foreach (var (eventId, published) in distinct)
        {
            Assert.Equal(expectedEvents[eventId], published.Cashback);
        }

        // Dead letters, like events, are published at least once: every invalid message, nothing else.
        Assert.Equal(stream.ExpectedDeadLetters.Keys.Order(), deadLetters.Select(d => d.EventId).Distinct().Order());
    }

    /// <summary>Reports and returns the share of ingestor calls that reached an activation in the ingestor's own silo.</summary>
    private double ReportCallLocality(IEnumerable<SiloProcess> silos, (long Local, long Remote) killed)
    {
        var counts = silos.Select(s => (s.Name, Calls: s.LastCallLocality())).Append((Name: "silo-3 (until killed)", Calls: killed)).ToList();
        var local = counts.Sum(c => c.Calls.Local);
        var all = local + counts.Sum(c => c.Calls.Remote);
        output.WriteLine($"ingestor calls to account grains: {local} of {all} local ({(double)local / all:P2}); " +
            string.Join("; ", counts.Select(c => $"{c.Name}: {c.Calls.Local} local, {c.Calls.Remote} remote")));
        return (double)local / all;
    }

    private static string Describe(Dictionary<int, SiloProcess> owners, SiloProcess silo) =>
        "partitions " + string.Join(",", owners.Where(o => o.Value == silo).Select(o => o.Key).Order());

    private void Log(Stopwatch clock, string what) => output.WriteLine($"[{clock.Elapsed:mm\\:ss\\.f}] {what}");

    private sealed record PublishedEvent(string EventId, decimal Cashback, DateTimeOffset PublishedAt)
    {
        public static PublishedEvent From(ConsumeResult<byte[]?, byte[]?> message)
        {
            using var body = JsonDocument.Parse(message.Message.Value!);
            return new PublishedEvent(
                body.RootElement.GetProperty("event_id").GetString()!,
                decimal.Parse(body.RootElement.GetProperty("cashback").GetString()!, CultureInfo.InvariantCulture),
                message.Message.Timestamp.UtcDateTime);
        }
    }

    /// <summary>A slice of the stream, with how many audit rows must exist before and after it.</summary>
    private sealed record Phase(List<(byte[]? Key, byte[]? Value)> Messages, long RowsBefore, long RowsAfter)
    {
        public long NewRows => RowsAfter - RowsBefore;

        public static Phase[] Split(GeneratedStream stream, int count)
        {
            var size = (stream.Messages.Count + count - 1) / count;
            var seen = new HashSet<(string, string)>();
            var phases = new List<Phase>();
            foreach (var slice in stream.Messages.Chunk(size))
            {
                var before = seen.Count;
                foreach (var (key, value) in slice)
                {
                    if (TransactionOf(key, value) is { } transaction && stream.Expected.ContainsKey(transaction))
                    {
                        seen.Add(transaction);
                    }
                }

                phases.Add(new Phase([.. slice], before, seen.Count));
            }

            return [.. phases];
        }

        private static (string Customer, string Transaction)? TransactionOf(byte[]? key, byte[]? value)
        {
            try
            {
                using var body = JsonDocument.Parse(value!);
                return body.RootElement.TryGetProperty("transaction_id", out var id) && key is not null
                    ? (Encoding.UTF8.GetString(key), id.GetString()!)
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
