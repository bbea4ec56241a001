using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Interfaces.Accounts;

/// <summary>What applying one transaction did to an account.</summary>
/// <param name="Cashback">Credited cashback; negative for a reversal; zero when nothing was earned.</param>
/// <param name="Reason">Why it earned or did not: the rule id's outcome code, e.g. <c>earned</c> or <c>merchant_not_eligible</c>.</param>
/// <param name="RuleId">The rule that granted the cashback, if any.</param>
/// <param name="Balance">The account balance right after this transaction.</param>
/// <param name="WasDuplicate">True when this transaction had been applied before and nothing changed now.</param>
/// <param name="Source">Where the transaction was read from when it was first applied.</param>
[GenerateSerializer, Immutable, Alias("cashback.TransactionOutcome")]
public sealed record TransactionOutcome(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] decimal Cashback,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? RuleId,
    [property: Id(4)] int RuleSetVersion,
    [property: Id(5)] decimal Balance,
    [property: Id(6)] DateTimeOffset ProcessedAt,
    [property: Id(7)] bool WasDuplicate,
    [property: Id(8)] SourcePosition? Source)
{
    public bool EarnedCashback => Cashback != 0m;

    /// <summary>
    /// Whether applying the transaction read at <paramref name="source"/> owes an event on <c>cashback_events</c>: a
    /// first application that earned (or reversed) cashback does, and so does the redelivery of that same message,
    /// whose event may have been lost with a silo; a duplicate sent again by a producer (another offset) does not.
    /// </summary>
    public bool OwesEventFor(SourcePosition? source) => EarnedCashback && (!WasDuplicate || Source == source);
}
