using Cashback.Grains.Interfaces.Accounts;

namespace Cashback.Grains.Accounts;

/// <summary>
/// The durable state of one account: small by design. The full history lives in the audit table; the state keeps only
/// a bounded window of recent transactions so that redeliveries and refunds of recent purchases are answered without a
/// database read.
/// </summary>
[GenerateSerializer, Alias("cashback.AccountState")]
public sealed class AccountState
{
    [Id(0)] public decimal Balance { get; set; }
    [Id(1)] public decimal LifetimeCashback { get; set; }
    [Id(2)] public long TransactionsProcessed { get; set; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(4)] public string Currency { get; set; } = "USD";

    /// <summary>Outcomes of the most recent transactions, oldest first.</summary>
    [Id(5)] public List<TransactionOutcome> RecentOutcomes { get; set; } = [];

    /// <summary>Cashback credited per capped rule and calendar month (key <c>ruleId|yyyy-MM</c>), net of reversals.</summary>
    [Id(6)] public Dictionary<string, decimal> CreditedPerRuleAndMonth { get; set; } = [];

    /// <summary>
    /// What refunds need of the most recent transactions (amount, cashback, rule, cap month), oldest first, as many as
    /// <see cref="RecentOutcomes"/>; a refund of an older purchase finds it in the audit table.
    /// </summary>
    [Id(7)] public List<RecentTransaction> RecentTransactions { get; set; } = [];
}
