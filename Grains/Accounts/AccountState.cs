using Cashback.Grains.Interfaces.Accounts;

namespace Cashback.Grains.Accounts;

/// <summary>
/// The durable state of one account: small by design. The full history lives in the audit table; the state keeps only
/// a bounded window of recent outcomes so that redelivered transactions are answered without a database read.
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

    /// <summary>Cashback credited per rule and calendar month (key <c>ruleId|yyyy-MM</c>), for monthly caps.</summary>
    [Id(6)] public Dictionary<string, decimal> CreditedPerRuleAndMonth { get; set; } = [];
}
