using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Accounts;

/// <summary>
/// A recently applied transaction as the account keeps it in its state: what its redelivery is answered with and what
/// a later refund of it needs. One object per transaction, since every object the state keeps adds to what each
/// garbage collection has to trace from the accounts' long-lived states.
/// </summary>
/// <param name="CapPeriod">The month whose monthly cap the cashback counted against (or gave room back to).</param>
[GenerateSerializer, Immutable, Alias("cashback.RecentTransaction")]
public sealed record RecentTransaction(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] TransactionType Type,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string? OriginalTransactionId,
    [property: Id(5)] decimal Cashback,
    [property: Id(6)] string? RuleId,
    [property: Id(7)] int RuleSetVersion,
    [property: Id(8)] string? CapPeriod,
    [property: Id(9)] string Reason,
    [property: Id(10)] decimal Balance,
    [property: Id(11)] DateTimeOffset ProcessedAt,
    [property: Id(12)] SourcePosition? Source)
{
    /// <summary>What applying it did, as it was reported when it was applied.</summary>
    public TransactionOutcome Outcome => new(TransactionId, Cashback, Reason, RuleId, RuleSetVersion, Balance, ProcessedAt, WasDuplicate: false, Source);
}
