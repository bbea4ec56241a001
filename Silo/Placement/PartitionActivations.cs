using System.Collections.Concurrent;

namespace Cashback.Silo.Placement;

/// <summary>The account-grain activations of this silo by the partition their transactions last came from.</summary>
public sealed partial class PartitionActivations(ILogger<PartitionActivations> logger)
{
    private readonly ConcurrentDictionary<IGrainContext, int> _partitionOf = new();

    public int Count => _partitionOf.Count;

    public void Track(IGrainContext activation, int partition)
    {
        if (_partitionOf.TryAdd(activation, partition))
        {
            activation.Deactivated.ContinueWith(
                _ => _partitionOf.TryRemove(activation, out int _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            _partitionOf[activation] = partition;
        }
    }

    /// <summary>Starts deactivating every activation of <paramref name="partitions"/>; each finishes the request it is running first.</summary>
    public void DeactivateAll(IReadOnlyCollection<int> partitions)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        var reason = new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "Its partition moved to another silo.");
        var deactivated = 0;
        foreach (var (activation, partition) in _partitionOf)
        {
            if (partitions.Contains(partition))
            {
                activation.Deactivate(reason);
                deactivated++;
            }
        }

        Deactivating(logger, deactivated, string.Join(", ", partitions));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivating {Count} account grains of released partitions {Partitions}")]
    private static partial void Deactivating(ILogger logger, int count, string partitions);
}
