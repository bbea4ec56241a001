using Cashback.Ingestor.Pipeline;
using Confluent.Kafka;

namespace Cashback.Tests.Ingestion;

public sealed class PartitionWatermarksTests
{
    private static readonly TopicPartition Partition = new("transactions", 3);

    private readonly List<long> _stored = [];
    private readonly PartitionWatermarks _watermarks;

    public PartitionWatermarksTests() => _watermarks = new PartitionWatermarks(offset => _stored.Add(offset.Offset.Value));

    [Fact]
    public void an_offset_finished_before_an_earlier_one_is_not_stored_until_the_earlier_one_finishes()
    {
        Start(10, 11, 12);

        _watermarks.Complete(At(12));
        _watermarks.Complete(At(11));
        Assert.Empty(_stored);

        _watermarks.Complete(At(10));
        Assert.Equal([13L], _stored);
    }

    [Fact]
    public void each_completion_of_the_oldest_offset_stores_the_next_offset_to_consume()
    {
        Start(0, 1);

        _watermarks.Complete(At(0));
        _watermarks.Complete(At(1));

        Assert.Equal([1L, 2L], _stored);
        Assert.Equal(0, _watermarks.InFlightCount);
    }

    [Fact]
    public async Task draining_completes_only_after_the_last_offset_is_stored()
    {
        Start(5, 6);
        var drained = _watermarks.WhenDrainedAsync([Partition]);

        _watermarks.Complete(At(6));
        Assert.False(drained.IsCompleted);

        _watermarks.Complete(At(5));
        await drained.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([7L], _stored);
    }

    [Fact]
    public void a_forgotten_partition_stores_nothing_more()
    {
        Start(1);
        _watermarks.Forget([Partition]);

        _watermarks.Complete(At(1));

        Assert.Empty(_stored);
        Assert.True(_watermarks.WhenDrainedAsync([Partition]).IsCompleted);
    }

    private void Start(params long[] offsets)
    {
        foreach (var offset in offsets)
        {
            _watermarks.Start(At(offset));
        }
    }

    private static TopicPartitionOffset At(long offset) => new(Partition, new Offset(offset));
}
