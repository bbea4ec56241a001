namespace Cashback.Ingestor.Pipeline;

/// <summary>
/// Runs work for different accounts in parallel and work for one account strictly in the order it was enqueued, which
/// is partition order because one account always maps to one partition. Whatever arrives for an account while its
/// previous batch is being processed becomes its next batch, so a busy account costs one grain call per batch rather
/// than one per transaction.
/// </summary>
/// <param name="process">Processes one account's batch; never throws.</param>
public sealed class AccountBatches<T>(Func<IReadOnlyList<T>, Task> process)
{
    private readonly Dictionary<string, List<T>> _waiting = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Enqueue(string accountId, T item)
    {
        lock (_lock)
        {
            if (_waiting.TryGetValue(accountId, out var waiting))
            {
                waiting.Add(item);
                return;
            }

            _waiting[accountId] = [item];
        }

        // Off the caller's thread: the caller is the consumer loop, which should go on reading. A bare work item rather
        // than Task.Run: no task, closure or captured context per batch, and nothing here is awaited.
        ThreadPool.UnsafeQueueUserWorkItem(static start => _ = start.Batches.DrainAsync(start.AccountId), (Batches: this, AccountId: accountId), preferLocal: false);
    }

    private async Task DrainAsync(string accountId)
    {
        while (true)
        {
            List<T> batch;
            lock (_lock)
            {
                batch = _waiting[accountId];
                if (batch.Count == 0)
                {
                    _waiting.Remove(accountId);
                    return;
                }

                _waiting[accountId] = [];
            }

            await process(batch);
        }
    }
}
