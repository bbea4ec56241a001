using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Audit;

/// <summary>One processed transaction as the audit trail keeps it.</summary>
public sealed record AuditRecord(CardTransaction Transaction, TransactionOutcome Outcome, SourcePosition? Source);
