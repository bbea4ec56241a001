using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Notifications;
using Cashback.Grains.Placement;
using Cashback.Grains.Refunds;
using Cashback.Grains.Rules;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Cashback.Grains.Accounts;

[GrainType("cashback-account")]
[PartitionAlignedPlacement]
public sealed class AccountGrain(
    [PersistentState(AccountGrain.StateName, AccountGrain.StorageName)] IPersistentState<AccountState> state,
    IRuleSetProvider ruleSets,
    IAuditLog auditLog,
    ICashbackNotifier notifier,
    IOptions<AccountOptions> options,
    TimeProvider timeProvider) : Grain, IAccountGrain
{
    /// <summary>Unique across grain types: ADO.NET rows are keyed by state name (dotnet/orleans#8746).</summary>
    public const string StateName = "cashback-account-state";
    public const string StorageName = "AccountStore";

    private readonly int _window = options.Value.IdempotencyWindow;

    async Task<TransactionOutcome> IAccountGrain.ApplyAsync(CardTransaction transaction, SourcePosition? source)
    {
        if (transaction.Type == TransactionType.Refund && transaction.OriginalTransactionId is null)
        {
            throw new ArgumentException($"Refund '{transaction.TransactionId}' does not name the purchase it refunds.", nameof(transaction));
        }

        var earlier = await FindEarlierOutcomeAsync(transaction.TransactionId);
        if (earlier is not null)
        {
            // The state may have been written before a crash that lost the audit row: make sure it exists.
            var capPeriod = state.State.RecentTransactions.Find(t => t.TransactionId == transaction.TransactionId)?.CapPeriod;
            await auditLog.RecordAsync(new AuditRecord(transaction, earlier, source, capPeriod));
            var duplicate = earlier with { WasDuplicate = true };
            await NotifyIfOwedAsync(transaction, duplicate, source);
            return duplicate;
        }

        var judgement = transaction.Type == TransactionType.Refund ? await JudgeRefundAsync(transaction) : JudgePurchase(transaction);
        var outcome = Record(transaction, source, judgement);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The in-memory state is now ahead of storage (or the write's fate is unknown): start over from storage.
            DeactivateOnIdle();
            throw;
        }

        await auditLog.RecordAsync(new AuditRecord(transaction, outcome, source, judgement.CapPeriod));
        await NotifyIfOwedAsync(transaction, outcome, source);
        return outcome;
    }

    Task<AccountBalance?> IAccountGrain.GetBalanceAsync()
    {
        if (!state.RecordExists)
        {
            return Task.FromResult<AccountBalance?>(null);
        }

        var current = state.State;
        return Task.FromResult<AccountBalance?>(new AccountBalance(
            this.GetPrimaryKeyString(),
            current.Balance,
            current.Currency,
            current.LifetimeCashback,
            current.TransactionsProcessed,
            current.UpdatedAt));
    }

    // Live subscribers hear what cashback_events gets (SPEC §4), including the repeat owed for a redelivered message.
    private Task NotifyIfOwedAsync(CardTransaction transaction, TransactionOutcome outcome, SourcePosition? source) =>
        outcome.OwesEventFor(source) ? notifier.NotifyAsync(new CashbackNotification(transaction, outcome)) : Task.CompletedTask;

    private async Task<TransactionOutcome?> FindEarlierOutcomeAsync(string transactionId)
    {
        var recent = state.State.RecentOutcomes.Find(o => o.TransactionId == transactionId);
        if (recent is not null)
        {
            return recent;
        }

        // Every id ever applied is still in the window until the account outgrows it; only then ask the audit table.
        var windowHoldsAll = state.State.TransactionsProcessed <= state.State.RecentOutcomes.Count;
        return windowHoldsAll ? null : await auditLog.FindOutcomeAsync(this.GetPrimaryKeyString(), transactionId);
    }

    private Judgement JudgePurchase(CardTransaction purchase)
    {
        var ruleSet = ruleSets.Current;
        var decision = RuleEvaluator.Evaluate(ruleSet, purchase, new CapUsage(state.State));
        return new Judgement(decision.Cashback, decision.Reason, decision.RuleId, ruleSet.Version, decision.CapPeriod);
    }

    private async Task<Judgement> JudgeRefundAsync(CardTransaction refund)
    {
        var original = await FindOriginalAsync(refund.OriginalTransactionId!);
        var decision = RefundEvaluator.Evaluate(refund, original);
        return new Judgement(
            decision.Cashback, decision.Reason, decision.RuleId, decision.RuleSetVersion ?? ruleSets.Current.Version, decision.CapPeriod);
    }

    private async Task<OriginalTransaction?> FindOriginalAsync(string transactionId)
    {
        var recent = state.State.RecentTransactions;
        var refundsOfIt = recent.FindAll(t => t.Type == TransactionType.Refund && t.OriginalTransactionId == transactionId);
        var reversedHere = -refundsOfIt.Sum(t => t.Cashback);

        var kept = recent.Find(t => t.TransactionId == transactionId);
        if (kept is not null)
        {
            // Whatever followed it is in the window too, so are all the refunds that reversed any of its cashback.
            return new OriginalTransaction(
                kept.Type, kept.Amount, kept.Currency, kept.Cashback, kept.RuleId, kept.RuleSetVersion, kept.CapPeriod, reversedHere);
        }

        if (state.State.TransactionsProcessed <= recent.Count)
        {
            return null;
        }

        // Older than the window: the audit table is the record. The rows of the refunds counted here may not be written yet.
        var recorded = await auditLog.FindOriginalAsync(
            this.GetPrimaryKeyString(), transactionId, [.. refundsOfIt.Select(t => t.TransactionId)]);
        return recorded is null ? null : recorded with { AlreadyReversed = recorded.AlreadyReversed + reversedHere };
    }

    private TransactionOutcome Record(CardTransaction transaction, SourcePosition? source, Judgement judgement)
    {
        var current = state.State;
        var now = timeProvider.GetUtcNow();

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

        var outcome = new TransactionOutcome(
            transaction.TransactionId,
            judgement.Cashback,
            judgement.Reason,
            judgement.RuleId,
            judgement.RuleSetVersion,
            current.Balance,
            now,
            WasDuplicate: false,
            source);

        current.RecentOutcomes.Add(outcome);
        current.RecentTransactions.Add(new RecentTransaction(
            transaction.TransactionId,
            transaction.Type,
            transaction.Amount,
            transaction.Currency,
            transaction.OriginalTransactionId,
            judgement.Cashback,
            judgement.RuleId,
            judgement.RuleSetVersion,
            judgement.CapPeriod));
        KeepLast(current.RecentOutcomes, _window);
        KeepLast(current.RecentTransactions, _window);
        return outcome;
    }

    private static void KeepLast<T>(List<T> items, int count)
    {
        if (items.Count > count)
        {
            items.RemoveRange(0, items.Count - count);
        }
    }

    /// <summary>How a purchase or a refund changes the account, whichever judged it.</summary>
    private sealed record Judgement(decimal Cashback, string Reason, string? RuleId, int RuleSetVersion, string? CapPeriod);

    private sealed class CapUsage(AccountState state) : IMonthlyCapUsage
    {
        public static string Key(string ruleId, string period) => $"{ruleId}|{period}";

        public decimal CreditedInMonth(string ruleId, string period) =>
            state.CreditedPerRuleAndMonth.GetValueOrDefault(Key(ruleId, period));
    }
}
