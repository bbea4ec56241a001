using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Notifications;
using Cashback.Grains.Placement;
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
        var earlier = await FindEarlierOutcomeAsync(transaction.TransactionId);
        if (earlier is not null)
        {
            // The state may have been written before a crash that lost the audit row: make sure it exists.
            await auditLog.RecordAsync(new AuditRecord(transaction, earlier, source));
            var duplicate = earlier with { WasDuplicate = true };
            await NotifyIfOwedAsync(transaction, duplicate, source);
            return duplicate;
        }

        var ruleSet = ruleSets.Current;
        var decision = RuleEvaluator.Evaluate(ruleSet, transaction, new CapUsage(state.State));
        var outcome = Record(transaction, source, ruleSet.Version, decision);
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

        await auditLog.RecordAsync(new AuditRecord(transaction, outcome, source));
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

    private TransactionOutcome Record(CardTransaction transaction, SourcePosition? source, int ruleSetVersion, RuleDecision decision)
    {
        var current = state.State;
        var now = timeProvider.GetUtcNow();

        current.Balance += decision.Cashback;
        if (decision.Cashback > 0)
        {
            current.LifetimeCashback += decision.Cashback;
        }

        if (decision.RuleId is not null && decision.CapPeriod is not null && decision.Cashback != 0)
        {
            var key = CapUsage.Key(decision.RuleId, decision.CapPeriod);
            current.CreditedPerRuleAndMonth[key] = current.CreditedPerRuleAndMonth.GetValueOrDefault(key) + decision.Cashback;
        }

        current.TransactionsProcessed++;
        current.UpdatedAt = now;

        var outcome = new TransactionOutcome(
            transaction.TransactionId,
            decision.Cashback,
            decision.Reason,
            decision.RuleId,
            ruleSetVersion,
            current.Balance,
            now,
            WasDuplicate: false,
            source);

        current.RecentOutcomes.Add(outcome);
        if (current.RecentOutcomes.Count > _window)
        {
            current.RecentOutcomes.RemoveRange(0, current.RecentOutcomes.Count - _window);
        }

        return outcome;
    }

    private sealed class CapUsage(AccountState state) : IMonthlyCapUsage
    {
        public static string Key(string ruleId, string period) => $"{ruleId}|{period}";

        public decimal CreditedInMonth(string ruleId, string period) =>
            state.CreditedPerRuleAndMonth.GetValueOrDefault(Key(ruleId, period));
    }
}
