namespace Cashback.Ingestor.Placement;

/// <summary>
/// Told which partitions of the transactions topic this silo's ingestor consumes. Called on the consumer thread: keep
/// it quick and never throw.
/// </summary>
public interface IPartitionAssignmentObserver
{
    /// <summary>The ingestor now consumes <paramref name="partitions"/>.</summary>
    void Assigned(IReadOnlyCollection<int> partitions);

    /// <summary>The ingestor no longer consumes <paramref name="partitions"/>; their work is drained and committed, unless they were lost.</summary>
    void Released(IReadOnlyCollection<int> partitions);
}
