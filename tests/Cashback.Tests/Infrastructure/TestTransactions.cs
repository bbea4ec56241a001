using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Tests.Infrastructure;

public static class TestTransactions
{
    /// <summary>Friday 2023-04-21 09:30 UTC, the seed's sample date.</summary>
    public static readonly DateTimeOffset AFriday = new(2023, 4, 21, 9, 30, 0, TimeSpan.Zero);

    public static CardTransaction Purchase(
        string transactionId,
        string customerId,
        decimal amount,
        DateTimeOffset? at = null,
        string merchantId = "MerchantX",
        string currency = "USD") =>
        new(transactionId, customerId, amount, at ?? AFriday, merchantId, currency, TransactionType.Purchase, null);

    public static CardTransaction Refund(
        string transactionId,
        string customerId,
        decimal amount,
        string originalTransactionId,
        DateTimeOffset? at = null,
        string currency = "USD") =>
        new(transactionId, customerId, amount, at ?? AFriday.AddDays(3), "MerchantX", currency, TransactionType.Refund, originalTransactionId);
}
