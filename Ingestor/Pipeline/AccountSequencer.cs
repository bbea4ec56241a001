namespace Cashback.Ingestor.Pipeline;

/// <summary>
/// Runs work for different accounts in parallel and work for one account strictly in the order it was enqueued,
/// which is partition order because one account always maps to one partition.
/// </summary>
public sealed class AccountSequencer
{
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task Enqueue(string accountId, Func<Task> work)
    {
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(accountId) ?? Task.CompletedTask;
            var next = RunAfterAsync(previous, work);
            _tails[accountId] = next;
            _ = next.ContinueWith(done => Forget(accountId, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return next;
        }
    }

    private static async Task RunAfterAsync(Task previous, Func<Task> work)
    {
        try
        {
            await previous;
        }
        catch
        {
            // The previous item's failure is reported by whoever awaited it; this item still runs in order.
        }

        await work();
    }

    private void Forget(string accountId, Task finished)
    {
        lock (_lock)
        {
            if (_tails.TryGetValue(accountId, out var tail) && tail == finished)
            {
                _tails.Remove(accountId);
            }
        }
    }
}
