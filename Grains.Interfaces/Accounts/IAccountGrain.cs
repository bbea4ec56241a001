using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Interfaces.Accounts;

/// <summary>One cashback account, keyed by <c>customer_id</c>.</summary>
[Alias("cashback.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a transaction exactly once: judges it with the rule set in force, updates the balance durably and
    /// records it in the audit trail. Applying the same transaction id again changes nothing and returns the first outcome.
    /// </summary>
    [Alias("Apply")]
    Task<TransactionOutcome> ApplyAsync(CardTransaction transaction, SourcePosition? source);

    /// <summary>
    /// Applies transactions of this account in the given order, each exactly once as <see cref="ApplyAsync"/> does,
    /// and returns their outcomes in the same order. One call makes them durable together.
    /// </summary>
    [Alias("ApplyBatch")]
    Task<TransactionOutcome[]> ApplyBatchAsync(SourcedTransaction[] transactions);

    /// <summary>The current balance, or null when the account never had a transaction.</summary>
    [Alias("GetBalance")]
    Task<AccountBalance?> GetBalanceAsync();

    /// <summary>
    /// Someone listens to this account's live notifications: from now until <paramref name="lease"/> has passed, the
    /// account publishes them on its notification stream. Listeners renew the lease while they listen; an account
    /// nobody follows publishes nothing, so live notifications cost the pipeline nothing until someone listens.
    /// </summary>
    [Alias("Follow")]
    Task FollowAsync(TimeSpan lease);
}
