using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Notifications;
using Cashback.Grains.Placement;
using Cashback.Grains.Refunds;
using Cashback.Grains.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Runtime;

namespace Cashback.Grains.Accounts;

/// <summary>
/// One account. A transaction is committed by its audit row (SPEC §7), written together with the rows of other accounts
/// in one database commit; the Orleans state (ADO.NET persistence) is a snapshot saved every
/// <see cref="AccountOptions.SnapshotEvery"/> transactions. A grain activated again (after idle collection, shedding
/// under memory pressure, a restart or a crash) loads the snapshot and replays the audit rows written after it, so
/// deactivation writes nothing and a crash loses nothing that was acknowledged.
/// </summary>
[GrainType("cashback-account")]
[PartitionAlignedPlacement]
public sealed partial class AccountGrain(
    [PersistentState(AccountGrain.StateName, AccountGrain.StorageName)] IPersistentState<AccountState> state,
    IRuleSetProvider ruleSets,
    IAuditLog auditLog,
    ICashbackNotifier notifier,
    IOptions<AccountOptions> options,
    TimeProvider timeProvider,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    /// <summary>Unique across grain types: ADO.NET rows are keyed by state name (dotnet/orleans#8746).</summary>
    public const string StateName = "cashback-account-state";
    public const string StorageName = "AccountStore";

    private readonly int _window = options.Value.IdempotencyWindow;
    private readonly int _snapshotEvery = options.Value.SnapshotEvery;
    private long _snapshotAt;
    private bool _aheadOfJournal;
    private DateTimeOffset _followedUntil = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _snapshotAt = state.State.TransactionsProcessed;
        foreach (var row in await auditLog.ReadAfterAsync(this.GetPrimaryKeyString(), _snapshotAt, cancellationToken))
        {
            Record(row.Transaction, row.Source, Judgement.Of(row), row.Outcome.ProcessedAt);
        }
    }

    async Task<TransactionOutcome> IAccountGrain.ApplyAsync(CardTransaction transaction, SourcePosition? source) =>
        (await ApplyAllAsync([new SourcedTransaction(transaction, source)]))[0];

    Task<TransactionOutcome[]> IAccountGrain.ApplyBatchAsync(SourcedTransaction[] transactions) => ApplyAllAsync(transactions);

    Task<AccountBalance?> IAccountGrain.GetBalanceAsync()
    {
        var current = state.State;
        if (current.TransactionsProcessed == 0)
        {
            return Task.FromResult<AccountBalance?>(null);
        }

        return Task.FromResult<AccountBalance?>(new AccountBalance(
            this.GetPrimaryKeyString(),
            current.Balance,
            current.Currency,
            current.LifetimeCashback,
            current.TransactionsProcessed,
            current.UpdatedAt));
    }

    Task IAccountGrain.FollowAsync(TimeSpan lease)
    {
        _followedUntil = timeProvider.GetUtcNow() + lease;
        // Idle collection would forget the lease; other deactivations (a partition moving, a silo leaving) do too, and
        // the follower's next renewal restores it.
        DelayDeactivation(lease);
        return Task.CompletedTask;
    }

    private async Task<TransactionOutcome[]> ApplyAllAsync(SourcedTransaction[] transactions)
    {
        foreach (var (transaction, _) in transactions)
        {
            if (transaction.Type == TransactionType.Refund && transaction.OriginalTransactionId is null)
            {
                throw new ArgumentException($"Refund '{transaction.TransactionId}' does not name the purchase it refunds.", nameof(transactions));
            }
        }

        if (_aheadOfJournal)
        {
            throw new InvalidOperationException("This activation of the account lost a journal write and is being replaced; retry.");
        }

        var earlierOutcomes = await FindEarlierOutcomesAsync(transactions);
        var outcomes = new TransactionOutcome[transactions.Length];
        var uncommitted = new UncommittedRows();
        for (var i = 0; i < transactions.Length; i++)
        {
            var (transaction, source) = transactions[i];
            var earlier = uncommitted.Find(transaction.TransactionId)?.Outcome ?? earlierOutcomes[i];
            if (earlier is not null)
            {
                outcomes[i] = earlier with { WasDuplicate = true };
                continue;
            }

            var judgement = transaction.Type == TransactionType.Refund
                ? await JudgeRefundAsync(transaction, uncommitted)
                : JudgePurchase(transaction);
            var outcome = Record(transaction, source, judgement, timeProvider.GetUtcNow());
            uncommitted.Add(new AuditRecord(transaction, outcome, source, judgement.CapPeriod, state.State.TransactionsProcessed));
            outcomes[i] = outcome;
        }

        await CommitAsync(uncommitted.Rows);
        if (_followedUntil > timeProvider.GetUtcNow())
        {
            await notifier.NotifyAsync(OwedNotifications(transactions, outcomes));
        }

        if (state.State.TransactionsProcessed - _snapshotAt >= _snapshotEvery)
        {
            await SaveSnapshotAsync();
        }

        return outcomes;
    }

    private async Task CommitAsync(IReadOnlyList<AuditRecord> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await auditLog.RecordAsync(rows);
        }
        catch
        {
            // The in-memory state is ahead of the journal (or the commit's fate is unknown): never snapshot it, and
            // let a new activation start over from the snapshot and the rows that were committed.
            _aheadOfJournal = true;
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task SaveSnapshotAsync()
    {
        var applied = state.State.TransactionsProcessed;
        try
        {
            await state.WriteStateAsync();
            _snapshotAt = applied;
        }
        catch (Exception error)
        {
            // Nothing is lost: the audit rows hold every transaction since the last snapshot and are replayed on activation.
            SnapshotNotSaved(logger, this.GetPrimaryKeyString(), error.Message);
            if (error is InconsistentStateException)
            {
                DeactivateOnIdle();
            }
        }
    }

    // Live subscribers hear what cashback_events gets (SPEC §4), including the repeat owed for a redelivered message.
    private static List<CashbackNotification> OwedNotifications(SourcedTransaction[] transactions, TransactionOutcome[] outcomes)
    {
        var owed = new List<CashbackNotification>();
        for (var i = 0; i < transactions.Length; i++)
        {
            if (outcomes[i].OwesEventFor(transactions[i].Source))
            {
                owed.Add(new CashbackNotification(transactions[i].Transaction, outcomes[i]));
            }
        }

        return owed;
    }

    /// <summary>
    /// For each transaction of the call, its outcome if it was applied before the call: from the window of recent
    /// transactions as it is now (applying the call moves it on), else from the audit table in one query for the call.
    /// </summary>
    private async Task<TransactionOutcome?[]> FindEarlierOutcomesAsync(SourcedTransaction[] transactions)
    {
        var recent = state.State.Recent;
        var earlier = new TransactionOutcome?[transactions.Length];
        List<string>? notRecent = null;
        for (var i = 0; i < transactions.Length; i++)
        {
            var id = transactions[i].Transaction.TransactionId;
            earlier[i] = FindRecent(id)?.Outcome;
            if (earlier[i] is null)
            {
                (notRecent ??= []).Add(id);
            }
        }

        // Every id ever applied is still in the window until the account outgrows it; only then ask the audit table.
        var windowHoldsAll = state.State.TransactionsProcessed <= recent.Count;
        if (notRecent is null || windowHoldsAll)
        {
            return earlier;
        }

        var recorded = await auditLog.FindOutcomesAsync(this.GetPrimaryKeyString(), notRecent);
        for (var i = 0; i < transactions.Length; i++)
        {
            earlier[i] ??= recorded.GetValueOrDefault(transactions[i].Transaction.TransactionId);
        }

        return earlier;
    }

    private Judgement JudgePurchase(CardTransaction purchase)
    {
        var ruleSet = ruleSets.Current;
        var decision = RuleEvaluator.Evaluate(ruleSet, purchase, new CapUsage(state.State));
        return new Judgement(decision.Cashback, decision.Reason, decision.RuleId, ruleSet.Version, decision.CapPeriod);
    }

    private async Task<Judgement> JudgeRefundAsync(CardTransaction refund, UncommittedRows uncommitted)
    {
        var original = await FindOriginalAsync(refund.OriginalTransactionId!, uncommitted);
        var decision = RefundEvaluator.Evaluate(refund, original);
        return new Judgement(
            decision.Cashback, decision.Reason, decision.RuleId, decision.RuleSetVersion ?? ruleSets.Current.Version, decision.CapPeriod);
    }

    private async Task<OriginalTransaction?> FindOriginalAsync(string transactionId, UncommittedRows uncommitted)
    {
        var recent = state.State.Recent;
        var refundsOfIt = recent.FindAll(t => t.Type == TransactionType.Refund && t.OriginalTransactionId == transactionId);

        var kept = FindRecent(transactionId);
        if (kept is not null)
        {
            // Whatever followed it is in the window too, so are all the refunds that reversed any of its cashback.
            return new OriginalTransaction(
                kept.Type, kept.Amount, kept.Currency, kept.Cashback, kept.RuleId, kept.RuleSetVersion, kept.CapPeriod, -refundsOfIt.Sum(t => t.Cashback));
        }

        var pendingRefunds = uncommitted.RefundsOf(transactionId);
        if (uncommitted.Find(transactionId) is { } pending)
        {
            // Applied earlier in this call and already out of the window: its refunds can only be in this call too.
            return new OriginalTransaction(
                pending.Transaction.Type, pending.Transaction.Amount, pending.Transaction.Currency, pending.Outcome.Cashback,
                pending.Outcome.RuleId, pending.Outcome.RuleSetVersion, pending.CapPeriod, -pendingRefunds.Sum(r => r.Outcome.Cashback));
        }

        if (state.State.TransactionsProcessed <= recent.Count)
        {
            return null;
        }

        // Older than the window: the audit table is the record. The rows of the refunds counted here may not be written yet.
        var counted = refundsOfIt.Select(t => (t.TransactionId, t.Cashback))
            .Union(pendingRefunds.Select(r => (r.Transaction.TransactionId, r.Outcome.Cashback)))
            .ToList();
        var recorded = await auditLog.FindOriginalAsync(this.GetPrimaryKeyString(), transactionId, [.. counted.Select(c => c.TransactionId)]);
        return recorded is null ? null : recorded with { AlreadyReversed = recorded.AlreadyReversed - counted.Sum(c => c.Cashback) };
    }

    private TransactionOutcome Record(CardTransaction transaction, SourcePosition? source, Judgement judgement, DateTimeOffset now)
    {
        var current = state.State;

        current.Balance += judgement.Cashback;
        if (judgement.Cashback > 0)
        {
            current.LifetimeCashback += judgement.Cashback;
        }

        if (judgement is { RuleId: { } ruleId, CapPeriod: { } period } && judgement.Cashback != 0)
        {
            // A reversal gives the room back to the month of the credit it reverses.
            var key = CapUsage.Key(ruleId, period);
            var credited = current.CreditedPerRuleAndMonth.GetValueOrDefault(key) + judgement.Cashback;
            if (credited > 0)
            {
                current.CreditedPerRuleAndMonth[key] = credited;
            }
            else
            {
                current.CreditedPerRuleAndMonth.Remove(key);
            }
        }

        current.TransactionsProcessed++;
        current.UpdatedAt = now;

        var kept = new RecentTransaction(
            transaction.TransactionId,
            transaction.Type,
            transaction.Amount,
            transaction.Currency,
            transaction.OriginalTransactionId,
            judgement.Cashback,
            judgement.RuleId,
            judgement.RuleSetVersion,
            judgement.CapPeriod,
            judgement.Reason,
            current.Balance,
            now,
            source);
        current.Recent.Add(kept);
        KeepLast(current.Recent, _window);
        return kept.Outcome;
    }

    private RecentTransaction? FindRecent(string transactionId)
    {
        var recent = state.State.Recent;
        for (var i = recent.Count - 1; i >= 0; i--)
        {
            if (recent[i].TransactionId == transactionId)
            {
                return recent[i];
            }
        }

        return null;
    }

    private static void KeepLast<T>(List<T> items, int count)
    {
        if (items.Count > count)
        {
            items.RemoveRange(0, items.Count - count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of account {Account} not saved; its audit rows keep it: {Reason}")]
    private static partial void SnapshotNotSaved(ILogger logger, string account, string reason);

    /// <summary>How a purchase or a refund changes the account, whichever judged it.</summary>
    private sealed record Judgement(decimal Cashback, string Reason, string? RuleId, int RuleSetVersion, string? CapPeriod)
    {
        public static Judgement Of(AuditRecord recorded) => new(
            recorded.Outcome.Cashback, recorded.Outcome.Reason, recorded.Outcome.RuleId, recorded.Outcome.RuleSetVersion, recorded.CapPeriod);
    }

    /// <summary>
    /// The rows of one call, applied in memory and not committed yet. A busy account's call can outgrow the window of
    /// recent transactions; duplicates and refunds later in the call find what fell out of it here.
    /// </summary>
    private sealed class UncommittedRows
    {
        private readonly List<AuditRecord> _rows = [];
        private readonly Dictionary<string, AuditRecord> _byTransactionId = new(StringComparer.Ordinal);

        public IReadOnlyList<AuditRecord> Rows => _rows;

        public void Add(AuditRecord row)
        {
            _rows.Add(row);
            _byTransactionId[row.Transaction.TransactionId] = row;
        }

        public AuditRecord? Find(string transactionId) => _byTransactionId.GetValueOrDefault(transactionId);

        public List<AuditRecord> RefundsOf(string transactionId) =>
            _rows.FindAll(r => r.Transaction.Type == TransactionType.Refund && r.Transaction.OriginalTransactionId == transactionId);
    }

    private sealed class CapUsage(AccountState state) : IMonthlyCapUsage
    {
        public static string Key(string ruleId, string period) => $"{ruleId}|{period}";

        public decimal CreditedInMonth(string ruleId, string period) =>
            state.CreditedPerRuleAndMonth.GetValueOrDefault(Key(ruleId, period));
    }
}
