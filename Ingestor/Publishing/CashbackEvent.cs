using System.Globalization;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Ingestor.Publishing;

/// <summary>The value of one message on <c>cashback_events</c> (SPEC §4). Money as decimal strings.</summary>
public sealed record CashbackEvent(
    string EventId,
    string EventType,
    string TransactionId,
    string CustomerId,
    string MerchantId,
    string TransactionTimestamp,
    string Amount,
    string Cashback,
    string Currency,
    string? RuleId,
    int RuleSetVersion,
    string Balance,
    string ProcessedAt)
{
    public const string Credited = "cashback_credited";
    public const string Reversed = "cashback_reversed";

    public static CashbackEvent From(CardTransaction transaction, TransactionOutcome outcome)
    {
        var isReversal = outcome.Cashback < 0;
        return new CashbackEvent(
            EventId: isReversal ? $"{transaction.TransactionId}:reversal" : transaction.TransactionId,
            EventType: isReversal ? Reversed : Credited,
            transaction.TransactionId,
            transaction.CustomerId,
            transaction.MerchantId,
            Rfc3339(transaction.Timestamp),
            Amount: transaction.Amount.ToString("0.00##", CultureInfo.InvariantCulture),
            Cashback: outcome.Cashback.ToString("0.00", CultureInfo.InvariantCulture),
            transaction.Currency,
            outcome.RuleId,
            outcome.RuleSetVersion,
            Balance: outcome.Balance.ToString("0.00", CultureInfo.InvariantCulture),
            ProcessedAt: Rfc3339(outcome.ProcessedAt.ToUniversalTime()));
    }

    private static string Rfc3339(DateTimeOffset moment) => moment.Offset == TimeSpan.Zero
        ? moment.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        : moment.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
