using Cashback.Grains.Accounts;
using Cashback.Ingestor.Placement;

namespace Cashback.Silo.Placement;

/// <summary>
/// Watches the ingestors' calls to account grains: remembers each activation's partition (so it can leave with it),
/// counts local and remote calls, and sends a grain that an ingestor of another silo had to call remotely on its way:
/// once the call is done it deactivates, and the next call activates it next to that partition's consumer.
/// </summary>
public sealed class AccountCallFilter(PartitionOwnership ownership, PartitionActivations activations, AccountCallLocality locality)
    : IIncomingGrainCallFilter
{
    private static readonly DeactivationReason Misplaced =
        new(DeactivationReasonCode.ApplicationRequested, "Its partition is consumed by another silo.");

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not AccountGrain || IngestorCallContext.CurrentPartition is not { } partition)
        {
            await context.Invoke();
            return;
        }

        var fromThisSilo = IngestorCallContext.CurrentIsFromThisProcess;
        locality.Count(fromThisSilo);
        activations.Track(context.TargetContext, partition);
        await context.Invoke();
        if (!fromThisSilo && !ownership.IsConsumedHere(partition))
        {
            context.TargetContext.Deactivate(Misplaced);
        }
    }
}
