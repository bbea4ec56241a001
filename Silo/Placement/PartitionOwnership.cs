using System.Collections.Frozen;
using System.Collections.Immutable;
using Cashback.Ingestor.Kafka;
using Cashback.Ingestor.Placement;

namespace Cashback.Silo.Placement;

/// <summary>
/// Which silo consumes which partition of the transactions topic: this silo's own partitions as its ingestor reports
/// them, the others' as last read from <see cref="PartitionOwnerRegistry"/>. Read on every placement decision, so
/// reads are lock-free snapshots.
/// </summary>
public sealed class PartitionOwnership(PartitionActivations activations) : IPartitionAssignmentObserver
{
    private ImmutableHashSet<int> _consumedHere = [];
    private FrozenDictionary<int, SiloAddress> _owners = FrozenDictionary<int, SiloAddress>.Empty;
    private int _partitionCount;

    /// <summary>The partitions this silo's ingestor consumes now.</summary>
    public ImmutableHashSet<int> ConsumedHere => Volatile.Read(ref _consumedHere);

    public bool IsConsumedHere(int partition) => ConsumedHere.Contains(partition);

    /// <summary>The silo that last published <paramref name="partition"/> as its own, or null when none did.</summary>
    public SiloAddress? OwnerOf(int partition) =>
        Volatile.Read(ref _owners).TryGetValue(partition, out var owner) ? owner : null;

    /// <summary>The partition a message keyed <paramref name="key"/> lands on, or null while the partition count is unknown.</summary>
    public int? PartitionOfKey(ReadOnlySpan<byte> key)
    {
        var partitions = Volatile.Read(ref _partitionCount);
        return partitions > 0 ? Murmur2Partitioner.PartitionOf(key, partitions) : null;
    }

    /// <summary>
    /// Replaces what is known of every silo's partitions. Kafka only ever adds partitions, so the highest partition
    /// ever published tells the partition count.
    /// </summary>
    public void UpdateOwners(IReadOnlyDictionary<int, SiloAddress> owners)
    {
        Volatile.Write(ref _owners, owners.ToFrozenDictionary());
        if (owners.Count > 0)
        {
            var count = owners.Keys.Max() + 1;
            if (count > Volatile.Read(ref _partitionCount))
            {
                Volatile.Write(ref _partitionCount, count);
            }
        }
    }

    void IPartitionAssignmentObserver.Assigned(IReadOnlyCollection<int> partitions) =>
        ImmutableInterlocked.Update(ref _consumedHere, current => current.Union(partitions));

    /// <summary>The grains of released partitions leave too, so they activate again next to their new consumer.</summary>
    void IPartitionAssignmentObserver.Released(IReadOnlyCollection<int> partitions)
    {
        ImmutableInterlocked.Update(ref _consumedHere, current => current.Except(partitions));
        activations.DeactivateAll(partitions);
    }
}
