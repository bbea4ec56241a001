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

    /// <summary>Cashback credited per capped rule and calendar month (key <c>ruleId|yyyy-MM</c>), net of reversals.</summary>
    [Id(6)] public Dictionary<string, decimal> CreditedPerRuleAndMonth { get; set; } = [];

    /// <summary>
    /// The most recent transactions, oldest first: redeliveries of them are answered from here, and so are refunds of
    /// them; older ones are found in the audit table. Ids 5 and 7 held this window as two lists before; a snapshot
    /// that still has them loads with an empty window and the audit table answers until the window fills again.
    /// </summary>
    [Id(8)] public List<RecentTransaction> Recent { get; set; } = [];
}
