namespace Cashback.Silo.GarbageCollection;

/// <summary>The few things <see cref="Gen0Pacer"/> asks of the runtime's garbage collector.</summary>
public interface IGarbageCollector
{
    /// <summary>Collections that included gen0 since the process started (every collection does).</summary>
    int Gen0Collections { get; }

    /// <summary>Bytes the process has allocated since it started.</summary>
    long AllocatedBytes { get; }

    void CollectGen0();
}

public sealed class RuntimeGarbageCollector : IGarbageCollector
{
    public int Gen0Collections => GC.CollectionCount(0);

    public long AllocatedBytes => GC.GetTotalAllocatedBytes(precise: false);

    public void CollectGen0() => GC.Collect(0, GCCollectionMode.Forced, blocking: true);
}
