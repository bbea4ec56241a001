using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Cashback.Ingestor.Placement;

/// <summary>
/// What the ingestor tells the silo about each account-grain call, through Orleans' request context: the partition the
/// transaction was consumed from (so the grain can be placed with that partition's consumer) and which process sent it
/// (so the silo can count local and remote calls).
/// </summary>
public static class IngestorCallContext
{
    public const string OriginKey = "cashback.origin";

    private static readonly ConcurrentDictionary<int, IngestorCallOrigin> OriginsOfThisProcess = new();

    /// <summary>Identifies this process among the silos of a cluster.</summary>
    public static string ThisProcess { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Marks the grain calls that follow on this async flow as coming from <paramref name="partition"/>.</summary>
    /// <remarks>One entry, one immutable value per partition: every call carries it, and Orleans copies the request
    /// context's dictionary on each <see cref="RequestContext.Set"/> and again on each call.</remarks>
    public static void Describe(int partition) =>
        RequestContext.Set(OriginKey, OriginsOfThisProcess.GetOrAdd(partition, static p => new IngestorCallOrigin(p, ThisProcess)));

    /// <summary>The partition of the call being processed, or null when the call did not come from an ingestor.</summary>
    public static int? CurrentPartition => CurrentOrigin?.Partition;

    /// <summary>Whether the call being processed was sent by the ingestor of this process.</summary>
    public static bool CurrentIsFromThisProcess => CurrentOrigin?.Sender == ThisProcess;

    private static IngestorCallOrigin? CurrentOrigin => RequestContext.Get(OriginKey) as IngestorCallOrigin;

    /// <summary>The partition recorded in request-context data handed to a placement director.</summary>
    public static int? PartitionIn(IReadOnlyDictionary<string, object>? requestContextData) =>
        requestContextData is not null && requestContextData.TryGetValue(OriginKey, out var value) ? (value as IngestorCallOrigin)?.Partition : null;
}
