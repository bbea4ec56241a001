namespace Cashback.Grains.Interfaces.Accounts;

[GenerateSerializer, Immutable, Alias("cashback.AccountBalance")]
public sealed record AccountBalance(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] decimal Balance,
    [property: Id(2)] string Currency,
    [property: Id(3)] decimal LifetimeCashback,
    [property: Id(4)] long TransactionsProcessed,
    [property: Id(5)] DateTimeOffset UpdatedAt);
