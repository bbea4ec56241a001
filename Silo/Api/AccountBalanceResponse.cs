using System.Globalization;
using Cashback.Grains.Interfaces.Accounts;

namespace Cashback.Silo.Api;

/// <summary>The balance as clients see it (SPEC §8). Money is a decimal string so no client rounds it through a float.</summary>
public sealed record AccountBalanceResponse(
    string CustomerId,
    string Balance,
    string Currency,
    string LifetimeCashback,
    long TransactionsProcessed,
    DateTimeOffset UpdatedAt)
{
    public static AccountBalanceResponse From(AccountBalance balance) => new(
        balance.CustomerId,
        Money(balance.Balance),
        balance.Currency,
        Money(balance.LifetimeCashback),
        balance.TransactionsProcessed,
        balance.UpdatedAt);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
