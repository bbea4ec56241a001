using Cashback.Ingestor.Kafka;
using Cashback.Silo.LocalMode;
using Confluent.Kafka;

namespace Cashback.Bench;

/// <summary>
/// Keeps the embedded broker's logs as short as what is still unread. The mock finds a fetch's first record by walking
/// the partition's log from its oldest record (librdkafka's rdkafka_mock.c: "FIXME: Maintain an index"), so each fetch
/// costs in proportion to the log's length: after a few hundred thousand transactions its one thread spends half a
/// core walking lists and the latency grows with the history of the run. A real broker's offset index makes that cost
/// constant; deleting, once a second, what every reader has consumed gives the mock the same.
/// </summary>
public sealed class LogTrimmer : IAsyncDisposable
{
    private readonly EmbeddedKafkaBroker _broker;
    private readonly IConsumer<byte[], byte[]> _offsets;
    private readonly KafkaOptions _topics;
    private readonly List<IConsumer<byte[], byte[]>> _eventReaders = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="topics">The silos' topics and consumer group.</param>
    public LogTrimmer(EmbeddedKafkaBroker broker, KafkaOptions topics)
    {
        _broker = broker;
        _topics = topics;
        _offsets = Clients.OffsetReader(broker.BootstrapServers, topics.ConsumerGroup);
        _loop = Task.Run(TrimEverySecondAsync);
    }

    /// <summary>Events are trimmed only below what <paramref name="reader"/> has read, until the returned handle is disposed.</summary>
    public IDisposable FollowEventReader(IConsumer<byte[], byte[]> reader)
    {
        lock (_eventReaders)
        {
            _eventReaders.Add(reader);
        }

        return new Unfollow(this, reader);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _offsets.Dispose();
        _stop.Dispose();
    }

    private async Task TrimEverySecondAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                TrimTransactions();
                TrimEvents();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }

    private void TrimTransactions()
    {
        var partitions = PartitionsOf(_topics.TransactionsTopic);
        foreach (var committed in _offsets.Committed(partitions, TimeSpan.FromSeconds(5)))
        {
            DeleteBefore(committed.TopicPartition, committed.Offset);
        }
    }

    private void TrimEvents()
    {
        lock (_eventReaders)
        {
            if (_eventReaders.Count == 0)
            {
                return;
            }

            foreach (var partition in PartitionsOf(_topics.CashbackEventsTopic))
            {
                DeleteBefore(partition, _eventReaders.Select(reader => reader.Position(partition)).Min(o => o.Value));
            }
        }
    }

    private static IEnumerable<TopicPartition> PartitionsOf(string topic) =>
        Enumerable.Range(0, EmbeddedKafkaOptions.DefaultTopics[topic]).Select(p => new TopicPartition(topic, p));

    private void DeleteBefore(TopicPartition partition, Offset offset)
    {
        // The mock moves a log's start to whatever it is given, even backwards: only ever move it forward.
        if (offset.Value > _offsets.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value)
        {
            _broker.DeleteRecordsBefore(partition.Topic, partition.Partition, offset.Value);
        }
    }

    private sealed class Unfollow(LogTrimmer trimmer, IConsumer<byte[], byte[]> reader) : IDisposable
    {
        public void Dispose()
        {
            lock (trimmer._eventReaders)
            {
                trimmer._eventReaders.Remove(reader);
            }
        }
    }
}
