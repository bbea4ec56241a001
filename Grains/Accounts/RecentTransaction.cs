using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Accounts;

/// <summary>What a later refund needs to know of a recently applied transaction, kept in the account's state.</summary>
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
    [property: Id(8)] string? CapPeriod);
