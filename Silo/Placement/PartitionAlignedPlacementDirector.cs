using Cashback.Grains.Placement;
using Cashback.Ingestor.Placement;
using Orleans.Runtime.Placement;

namespace Cashback.Silo.Placement;

/// <summary>
/// Directs <see cref="PartitionAlignedPlacement"/>: a grain goes to the silo that consumes its partition. The partition
/// is the one the ingestor's call came from, or, for calls from elsewhere (the HTTP API), the one Kafka's partitioner
/// gives its key. Orleans runs the director on the calling silo, so in steady state the ingestor's silo finds its own
/// partition and places the grain locally without asking anyone.
/// </summary>
public sealed class PartitionAlignedPlacementDirector(PartitionOwnership ownership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        Task.FromResult(Choose(target, context));

    private SiloAddress Choose(PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        // A hint Orleans carries when a grain is migrated wins over anything we would guess.
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hinted)
        {
            return hinted;
        }

        var localIsCandidate = context.LocalSiloStatus == SiloStatus.Active && compatible.Contains(context.LocalSilo);
        var partition = IngestorCallContext.PartitionIn(target.RequestContextData)
            ?? ownership.PartitionOfKey(target.GrainIdentity.Key.AsSpan());
        if (partition is { } p)
        {
            if (localIsCandidate && ownership.IsConsumedHere(p))
            {
                return context.LocalSilo;
            }

            if (ownership.OwnerOf(p) is { } owner && compatible.Contains(owner))
            {
                return owner;
            }
        }

        // Nobody known consumes it (yet): stay local, the grain moves once its partition's consumer calls it.
        return localIsCandidate ? context.LocalSilo : compatible[Random.Shared.Next(compatible.Length)];
    }
}
