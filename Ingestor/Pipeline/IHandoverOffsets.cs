using Confluent.Kafka;

namespace Cashback.Ingestor.Pipeline;

/// <summary>
/// Where an ingestor that hands partitions over leaves their next offsets when the group refuses its final commit, so
/// the partitions' next consumer starts after the work already done instead of repeating it. A group may refuse
/// commits while it rebalances: the embedded broker does so as soon as another member rejoins. Called on the consumer
/// thread, inside rebalance callbacks.
/// </summary>
public interface IHandoverOffsets
{
    /// <summary>Remembers, for each partition, the offset from which nothing is done yet; never moves one back.</summary>
    void Save(IReadOnlyCollection<TopicPartitionOffset> next);

    /// <summary>The offsets saved for <paramref name="partitions"/>; partitions without one are left out.</summary>
    IReadOnlyDictionary<TopicPartition, Offset> Load(IReadOnlyCollection<TopicPartition> partitions);
}

/// <summary>Without a store, a refused commit means the next consumer repeats the work since the last commit.</summary>
public sealed class NoHandoverOffsets : IHandoverOffsets
{
    public void Save(IReadOnlyCollection<TopicPartitionOffset> next)
    {
    }

    public IReadOnlyDictionary<TopicPartition, Offset> Load(IReadOnlyCollection<TopicPartition> partitions) =>
        new Dictionary<TopicPartition, Offset>();
}
