using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Refunds;

namespace Cashback.Grains.Audit;

/// <summary>The audit trail of processed transactions in PostgreSQL; the permanent record behind every balance.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Records processed transactions, all committed together. Idempotent on (customer_id, transaction_id): the first
    /// record wins.
    /// </summary>
    Task RecordAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The account's records numbered after <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAfterAsync(string customerId, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>The recorded outcomes of those of the transactions that were processed, by transaction id.</summary>
    Task<IReadOnlyDictionary<string, TransactionOutcome>> FindOutcomesAsync(
        string customerId, IReadOnlyCollection<string> transactionIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The transaction a refund names, as recorded, with the cashback its recorded refunds reversed so far, leaving out
    /// <paramref name="refundsCountedByCaller"/> (the caller counts those itself: their rows may not be written yet);
    /// null when the transaction was never processed.
    /// </summary>
    Task<OriginalTransaction?> FindOriginalAsync(
        string customerId, string transactionId, IReadOnlyCollection<string> refundsCountedByCaller, CancellationToken cancellationToken = default);
}
