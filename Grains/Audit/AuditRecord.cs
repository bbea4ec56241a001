using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Audit;

/// <summary>One processed transaction as the audit trail keeps it.</summary>
/// <param name="CapPeriod">The month (<c>yyyy-MM</c>) of the monthly cap the cashback counted against or gave room back
/// to, or that was full; null when no capped rule was involved.</param>
/// <param name="AccountSequence">The account's transactions processed once this one was (1, 2, 3, ...): the order in
/// which a reactivated grain replays the rows its snapshot has not seen.</param>
public sealed record AuditRecord(
    CardTransaction Transaction, TransactionOutcome Outcome, SourcePosition? Source, string? CapPeriod, long? AccountSequence = null);
