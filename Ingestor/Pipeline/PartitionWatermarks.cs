using Confluent.Kafka;

namespace Cashback.Ingestor.Pipeline;

/// <summary>
/// Tracks the offsets in flight per partition so that the offset stored for a partition never passes one still being
/// processed: messages finish out of order (different accounts run in parallel), offsets are stored in order.
/// Thread-safe.
/// </summary>
public sealed class PartitionWatermarks(Action<TopicPartitionOffset> storeOffset)
{
    private readonly Dictionary<TopicPartition, PartitionTrack> _partitions = [];
    private readonly Lock _lock = new();

    /// <summary>Registers a consumed offset as in flight. Offsets of one partition must be started in order.</summary>
    public void Start(TopicPartitionOffset consumed)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(consumed.TopicPartition, out var track))
            {
                track = new PartitionTrack();
                _partitions.Add(consumed.TopicPartition, track);
            }

            track.InFlight.AddLast(new Entry(consumed.Offset.Value));
        }
    }

    /// <summary>
    /// Marks an offset done. When the partition's low watermark advanced, stores the next offset to consume before
    /// anyone waiting for the partition to drain is released, so a drained partition's offsets are all stored.
    /// </summary>
    public void Complete(TopicPartitionOffset done)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(done.TopicPartition, out var track))
            {
                return;
            }

            var node = track.InFlight.First;
            while (node is not null && node.Value.Offset != done.Offset.Value)
            {
                node = node.Next;
            }

            if (node is null)
            {
                return;
            }

            node.Value.Done = true;
            long? advancedTo = null;
            while (track.InFlight.First is { Value.Done: true } head)
            {
                advancedTo = head.Value.Offset + 1;
                track.InFlight.RemoveFirst();
            }

            if (advancedTo is { } next)
            {
                storeOffset(new TopicPartitionOffset(done.TopicPartition, new Offset(next)));
            }

            if (track.InFlight.Count == 0)
            {
                track.Drained.TrySetResult();
                track.Drained = NewDrainSignal();
            }
        }
    }

    /// <summary>How many messages are in flight across all partitions.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Values.Sum(p => p.InFlight.Count);
            }
        }
    }

    /// <summary>Completes when none of the given partitions has a message in flight.</summary>
    public Task WhenDrainedAsync(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            var pending = partitions
                .Select(p => _partitions.GetValueOrDefault(p))
                .Where(track => track is { InFlight.Count: > 0 })
                .Select(track => track!.Drained.Task)
                .ToArray();
            return Task.WhenAll(pending);
        }
    }

    /// <summary>Forgets partitions this consumer no longer owns.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                _partitions.Remove(partition);
            }
        }
    }

    private static TaskCompletionSource NewDrainSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PartitionTrack
    {
        public LinkedList<Entry> InFlight { get; } = new();

        public TaskCompletionSource Drained { get; set; } = NewDrainSignal();
    }

    private sealed class Entry(long offset)
    {
        public long Offset { get; } = offset;

        public bool Done { get; set; }
    }
}
