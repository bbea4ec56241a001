using Cashback.Ingestor.Pipeline;

namespace Cashback.Tests.Pipeline;

public sealed class AccountBatchesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task what_arrives_for_an_account_while_its_batch_is_processed_becomes_its_next_batch_in_order()
    {
        var batches = new List<string[]>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var allDone = new TaskCompletionSource();
        var accounts = new AccountBatches<string>(async batch =>
        {
            lock (batches)
            {
                batches.Add([.. batch]);
            }

            if (batch[0] == "a1")
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }

            if (batch[^1] == "a4")
            {
                allDone.SetResult();
            }
        });

        accounts.Enqueue("A", "a1");
        await firstStarted.Task.WaitAsync(Deadline);
        accounts.Enqueue("A", "a2");
        accounts.Enqueue("A", "a3");
        accounts.Enqueue("A", "a4");
        releaseFirst.SetResult();
        await allDone.Task.WaitAsync(Deadline);

        Assert.Equal([["a1"], ["a2", "a3", "a4"]], batches);
    }

    [Fact]
    public async Task a_busy_account_does_not_hold_up_another()
    {
        var blockA = new TaskCompletionSource();
        var bProcessed = new TaskCompletionSource<string>();
        var accounts = new AccountBatches<string>(async batch =>
        {
            if (batch[0] == "a1")
            {
                await blockA.Task;
            }
            else
            {
                bProcessed.SetResult(batch[0]);
            }
        });

        accounts.Enqueue("A", "a1");
        accounts.Enqueue("B", "b1");

        Assert.Equal("b1", await bProcessed.Task.WaitAsync(Deadline));
        blockA.SetResult();
    }
}
