using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cashback.Grains.Interfaces.Accounts;
using Confluent.Kafka;

namespace Cashback.Ingestor.Telemetry;

/// <summary>
/// The product's own metrics (meter <c>Cashback</c>), all recorded by the ingestor, which sees every transaction and
/// its outcome. Exported in Prometheus format as <c>cashback_*</c>.
/// </summary>
public sealed class CashbackMetrics
{
    public const string MeterName = "Cashback";

    private readonly Counter<long> _transactions;
    private readonly Counter<double> _cashbackCredited;
    private readonly Counter<double> _cashbackReversed;
    private readonly Counter<long> _deadLetters;
    private readonly Histogram<double> _grainWriteDuration;
    private readonly ConcurrentDictionary<TopicPartition, long> _lag = new();

    public CashbackMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _transactions = meter.CreateCounter<long>(
            "cashback.transactions", "{transaction}",
            "Transactions processed, by outcome: earned, reversed, not_earned, duplicate, dead_lettered.");
        // Metrics are doubles in every exporter; the money of record stays decimal in the grain and PostgreSQL.
        _cashbackCredited = meter.CreateCounter<double>(
            "cashback.credited", null, "Cashback credited to accounts, in the transaction's currency.");
        _cashbackReversed = meter.CreateCounter<double>(
            "cashback.reversed", null, "Cashback taken back by refunds, in the transaction's currency (positive).");
        _deadLetters = meter.CreateCounter<long>(
            "cashback.dead_letters", "{message}", "Messages sent to the dead-letter topic, by error code.");
        _grainWriteDuration = meter.CreateHistogram(
            "cashback.grain.write.duration", "s",
            "Time for an account grain to apply one batch of its transactions durably (their audit rows committed), as the ingestor waits for it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        meter.CreateObservableGauge(
            "cashback.consumer.lag", ObserveLag, "{message}",
            "Messages of each assigned partition of the transactions topic not yet read by this silo's consumer.");
    }

    public void RecordOutcome(TransactionOutcome outcome, string currency)
    {
        var currencyTag = new KeyValuePair<string, object?>("currency", currency);
        string kind;
        if (outcome.WasDuplicate)
        {
            kind = "duplicate";
        }
        else if (outcome.Cashback > 0)
        {
            kind = "earned";
            _cashbackCredited.Add((double)outcome.Cashback, currencyTag);
        }
        else if (outcome.Cashback < 0)
        {
            kind = "reversed";
            _cashbackReversed.Add((double)-outcome.Cashback, currencyTag);
        }
        else
        {
            kind = "not_earned";
        }

        _transactions.Add(1, new KeyValuePair<string, object?>("outcome", kind));
    }

    public void RecordDeadLetter(string errorCode)
    {
        _transactions.Add(1, new KeyValuePair<string, object?>("outcome", "dead_lettered"));
        _deadLetters.Add(1, new KeyValuePair<string, object?>("error", errorCode));
    }

    /// <summary>How long one account's grain call took, retries included, once it succeeded.</summary>
    public void RecordGrainWrite(TimeSpan duration) => _grainWriteDuration.Record(duration.TotalSeconds);

    /// <summary>Lag of a partition: its high watermark (as last fetched) minus the next offset this consumer will read.</summary>
    public void RecordConsumerLag(TopicPartition partition, long nextOffset, WatermarkOffsets watermarks)
    {
        if (watermarks.High.IsSpecial || nextOffset < 0)
        {
            return;
        }

        _lag[partition] = Math.Max(0, watermarks.High.Value - nextOffset);
    }

    public void ForgetConsumerLag(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _lag.TryRemove(partition, out _);
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(entry => new Measurement<long>(
            entry.Value,
            new KeyValuePair<string, object?>("topic", entry.Key.Topic),
            new KeyValuePair<string, object?>("partition", entry.Key.Partition.Value)));
}
