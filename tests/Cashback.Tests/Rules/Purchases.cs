using System.Globalization;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Tests.Rules;

internal static class Purchases
{
    /// <summary>Friday 21 April 2023, the example of SPEC §2.</summary>
    public const string AFriday = "2023-04-21T09:30:00Z";

    public static CardTransaction Of(
        decimal amount = 20m, string timestamp = AFriday, string merchant = "MerchantX", string currency = "USD") =>
        new("t-1", "123", amount, At(timestamp), merchant, currency, TransactionType.Purchase, null);

    public static CardTransaction Refund(decimal amount = 20m, string timestamp = AFriday) =>
        Of(amount, timestamp) with { TransactionId = "t-2", Type = TransactionType.Refund, OriginalTransactionId = "t-1" };

    public static DateTimeOffset At(string timestamp) => DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture);
}
