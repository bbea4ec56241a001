using System.Diagnostics;
using System.Text.Json.Serialization;
using Confluent.Kafka;

namespace Cashback.Bench;

/// <summary>
/// Offers messages at a fixed rate and times each one until what it caused is read back from another topic. The first
/// second of messages is a warm-up, read back but not timed: a new idempotent producer holds its first messages until
/// the broker gives it a producer id, and those waits are the bench's start-up, not the pipeline's latency.
/// </summary>
public static class LatencyProbe
{
    public sealed record Result(int Rate, int Seconds, int Messages, double P50, double P95, double P99, double Max)
    {
        /// <summary>The same messages timed from produce to the stamp a stage put on them, where the stage stamps one.</summary>
        public Result? ToStage { get; init; }

        /// <summary>From that stamp until the message was read back.</summary>
        public Result? FromStage { get; init; }

        /// <summary>What the whole machine did with its CPU during the pass, its warm-up second included.</summary>
        public MachineCpu Machine { get; init; }

        /// <summary>Every timed message in the order it was read back, to tell a stall from a tail spread over the pass.</summary>
        [JsonIgnore]
        public IReadOnlyList<Sample> Samples { get; init; } = [];
    }

    /// <param name="SentAt">Wall clock when the message was produced.</param>
    /// <param name="ToStage">Milliseconds from produce to the stage's stamp, where the stage stamps one.</param>
    public sealed record Sample(DateTime SentAt, double Milliseconds, double? ToStage, double? FromStage);

    /// <param name="next">Makes the message with the given id.</param>
    /// <param name="idOf">The id of the message a read-back one was caused by.</param>
    /// <param name="stampOf">
    /// When a stage in between handled the message (wall clock, as the stage wrote it), to split the latency there.
    /// </param>
    public static async Task<Result> MeasureAsync(
        string bootstrapServers, string sendTo, string readFrom, int partitions, int rate, int seconds,
        Func<string, (byte[] Key, byte[] Value)> next, Func<Message<byte[], byte[]>, string> idOf,
        LogTrimmer? trimmer = null, Func<Message<byte[], byte[]>, DateTime>? stampOf = null)
    {
        using var reader = Clients.TailReader(bootstrapServers, readFrom, partitions);
        using var followed = trimmer?.FollowEventReader(reader);
        using var producer = Clients.Producer(bootstrapServers);
        var sentAt = new Dictionary<string, (long Ticks, DateTime Wall)>();
        var warmUp = rate;
        var total = warmUp + rate * seconds;
        var clock = Stopwatch.StartNew();
        var cpuBefore = MachineCpu.Read();
        var runId = Guid.NewGuid().ToString("N")[..8];

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

                var id = i < warmUp ? $"w{runId}-{i}" : $"l{runId}-{i}";
                var (key, value) = next(id);
                lock (sentAt)
                {
                    sentAt[id] = (Stopwatch.GetTimestamp(), DateTime.UtcNow);
                }

                producer.Produce(sendTo, new Message<byte[], byte[]> { Key = key, Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        });

        var samples = new List<Sample>(total);
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
            var receivedWall = DateTime.UtcNow;
            var id = idOf(result.Message);
            (long Ticks, DateTime Wall) sent;
            lock (sentAt)
            {
                if (!sentAt.TryGetValue(id, out sent) || !seen.Add(id))
                {
                    continue;
                }
            }

            if (!IsWarmUp(id))
            {
                var latency = Stopwatch.GetElapsedTime(sent.Ticks, received).TotalMilliseconds;
                var stamped = stampOf?.Invoke(result.Message);
                samples.Add(new Sample(sent.Wall, latency, (stamped - sent.Wall)?.TotalMilliseconds, (receivedWall - stamped)?.TotalMilliseconds));
            }

            idle.Restart();
        }

        var machine = MachineCpu.Read() - cpuBefore;
        await producing;
        if (seen.Count < total)
        {
            throw new InvalidOperationException($"Only {seen.Count} of {total} messages came back from {readFrom}.");
        }

        return Summarise(rate, seconds, [.. samples.Select(s => s.Milliseconds)]) with
        {
            ToStage = stampOf is null ? null : Summarise(rate, seconds, [.. samples.Select(s => s.ToStage!.Value)]),
            FromStage = stampOf is null ? null : Summarise(rate, seconds, [.. samples.Select(s => s.FromStage!.Value)]),
            Samples = samples,
            Machine = machine,
        };
    }

    private static Result Summarise(int rate, int seconds, List<double> latencies)
    {
        latencies.Sort();
        return new Result(rate, seconds, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), latencies[^1]);
    }

    private static bool IsWarmUp(string id) => id[0] == 'w';

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
