using Cashback.Silo.GarbageCollection;
using Cashback.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cashback.Tests.GarbageCollection;

public sealed class Gen0PacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public async Task Starts_a_gen0_when_none_came_for_the_interval_while_the_silo_allocated()
    {
        var (pacer, collector, time) = await StartAsync();
        collector.Allocate(2 * Megabyte);

        time.Advance(Interval);

        await Eventually.ReachesAsync(() => Task.FromResult(collector.Collected), n => n == 1, Within, "a paced gen0");
        Assert.Equal(1, pacer.Paced);
        await pacer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Leaves_the_gc_alone_while_it_collects_often_enough_by_itself()
    {
        var (pacer, collector, time) = await StartAsync();
        for (var i = 0; i < 8; i++)
        {
            collector.Allocate(2 * Megabyte);
            collector.RunGen0OnItsOwn();
            var looked = collector.Observations;
            time.Advance(Interval / 4);
            await Eventually.ReachesAsync(() => Task.FromResult(collector.Observations), n => n > looked, Within, "the pacer's next look");
        }

        Assert.Equal(0, collector.Collected);
        await pacer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Leaves_the_gc_alone_when_the_silo_allocated_too_little_to_be_worth_a_collection()
    {
        var (pacer, collector, time) = await StartAsync();
        collector.Allocate(Megabyte / 2);
        var looked = collector.Observations;

        time.Advance(Interval * 2);

        await Eventually.ReachesAsync(() => Task.FromResult(collector.Observations), n => n > looked, Within, "the pacer's next look");
        Assert.Equal(0, collector.Collected);
        await pacer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Does_nothing_when_pacing_is_off()
    {
        var (pacer, collector, time) = await StartAsync(TimeSpan.Zero);
        collector.Allocate(100 * Megabyte);

        time.Advance(TimeSpan.FromMinutes(1));

        await pacer.ExecuteTask!.WaitAsync(Within);
        Assert.Equal(0, collector.Collected);
    }

    private static async Task<(Gen0Pacer Pacer, FakeCollector Collector, FakeTimeProvider Time)> StartAsync(TimeSpan? interval = null)
    {
        var collector = new FakeCollector();
        var time = new FakeTimeProvider();
        var options = Options.Create(new Gen0PacingOptions { MaxGen0Interval = interval ?? Interval, MinAllocatedBytes = Megabyte });
        var pacer = new Gen0Pacer(options, collector, time);
        await pacer.StartAsync(CancellationToken.None);
        if (interval != TimeSpan.Zero)
        {
            // ExecuteAsync runs in the background: wait until it has its timer and its first look.
            await Eventually.ReachesAsync(() => Task.FromResult(collector.Observations), n => n >= 1, Within, "the pacer's first look");
        }

        return (pacer, collector, time);
    }

    private sealed class FakeCollector : IGarbageCollector
    {
        private int _gen0Collections;
        private long _allocated;
        private int _collected;
        private int _observations;

        public int Collected => Volatile.Read(ref _collected);

        /// <summary>How often the pacer has read the collection count: once when it starts, once per look, once after it collects.</summary>
        public int Observations => Volatile.Read(ref _observations);

        public int Gen0Collections
        {
            get
            {
                Interlocked.Increment(ref _observations);
                return Volatile.Read(ref _gen0Collections);
            }
        }

        public long AllocatedBytes => Interlocked.Read(ref _allocated);

        public void Allocate(long bytes) => Interlocked.Add(ref _allocated, bytes);

        public void RunGen0OnItsOwn() => Interlocked.Increment(ref _gen0Collections);

        public void CollectGen0()
        {
            Interlocked.Increment(ref _collected);
            Interlocked.Increment(ref _gen0Collections);
        }
    }
}
