using Microsoft.Extensions.Options;

namespace Cashback.Silo.GarbageCollection;

/// <summary>
/// Starts a gen0 collection when the runtime has not run one for <see cref="Gen0PacingOptions.MaxGen0Interval"/> while
/// the silo allocated. Under load the GC collects more often than that by itself and this does nothing; at low rates it
/// turns one long pause into several short ones, which is what a message in flight feels (README, Benchmark).
/// </summary>
public sealed class Gen0Pacer(IOptions<Gen0PacingOptions> options, IGarbageCollector collector, TimeProvider timeProvider) : BackgroundService
{
    /// <summary>How many times per interval the pacer looks: a gen0 comes at most a quarter interval late.</summary>
    private const int ChecksPerInterval = 4;

    private readonly Gen0PacingOptions _options = options.Value;

    /// <summary>The gen0 collections this pacer started.</summary>
    public long Paced { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.MaxGen0Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.MaxGen0Interval / ChecksPerInterval, timeProvider);
        var last = Observe();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Observe();
                if (now.Collections != last.Collections)
                {
                    last = now;
                }
                else if (timeProvider.GetElapsedTime(last.At, now.At) >= _options.MaxGen0Interval
                    && now.Allocated - last.Allocated >= _options.MinAllocatedBytes)
                {
                    collector.CollectGen0();
                    Paced++;
                    last = Observe();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Observation Observe() => new(collector.Gen0Collections, collector.AllocatedBytes, timeProvider.GetTimestamp());

    private readonly record struct Observation(int Collections, long Allocated, long At);
}
