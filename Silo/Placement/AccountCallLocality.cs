using System.Diagnostics.Metrics;

namespace Cashback.Silo.Placement;

/// <summary>
/// Counts the ingestors' calls to account grains served by this silo: local when the calling ingestor runs in this
/// process, remote otherwise. Partition-aligned placement aims at all local.
/// </summary>
public sealed class AccountCallLocality : IDisposable
{
    public const string MeterName = "Cashback.Placement";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _calls;
    private long _local;
    private long _remote;

    public AccountCallLocality()
    {
        _calls = _meter.CreateCounter<long>("cashback.ingestor.account_calls", unit: "{call}",
            description: "Ingestor calls to account grains served by this silo, by whether the ingestor ran in the same silo.");
    }

    public long Local => Interlocked.Read(ref _local);

    public long Remote => Interlocked.Read(ref _remote);

    public void Count(bool local)
    {
        Interlocked.Increment(ref local ? ref _local : ref _remote);
        _calls.Add(1, new KeyValuePair<string, object?>("locality", local ? "local" : "remote"));
    }

    public void Dispose() => _meter.Dispose();
}
