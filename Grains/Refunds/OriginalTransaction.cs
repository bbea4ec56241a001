using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Refunds;

/// <summary>The transaction a refund names, as the account recorded it, and what earlier refunds already took back of it.</summary>
/// <param name="Type">A refund can only take back what a purchase earned; naming another refund is a mistake.</param>
/// <param name="Cashback">What the transaction earned when it was applied.</param>
/// <param name="RuleId">The rule that granted the cashback.</param>
/// <param name="RuleSetVersion">The rule-set version that granted it.</param>
/// <param name="CapPeriod">The month (<c>yyyy-MM</c>) whose monthly cap the credit counted against, if its rule has a cap.</param>
/// <param name="AlreadyReversed">The cashback earlier refunds of it reversed, as a positive amount.</param>
public sealed record OriginalTransaction(
    TransactionType Type,
    decimal Amount,
    string Currency,
    decimal Cashback,
    string? RuleId,
    int RuleSetVersion,
    string? CapPeriod,
    decimal AlreadyReversed);
