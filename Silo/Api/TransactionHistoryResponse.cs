using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Cashback.Grains.Audit;

namespace Cashback.Silo.Api;

/// <summary>A page of an account's processed transactions, newest first (SPEC §8).</summary>
public sealed record TransactionHistoryResponse(string CustomerId, IReadOnlyList<TransactionHistoryItem> Transactions, string? NextBefore)
{
    public static TransactionHistoryResponse From(string customerId, IReadOnlyList<AuditEntry> page, int limit) => new(
        customerId,
        [.. page.Select(TransactionHistoryItem.From)],
        page.Count == limit ? HistoryCursor.Encode(new AuditCursor(page[^1].TransactionTimestamp, page[^1].TransactionId)) : null);
}

public sealed record TransactionHistoryItem(
    string TransactionId,
    string Type,
    string? OriginalTransactionId,
    string Amount,
    string Currency,
    string MerchantId,
    DateTimeOffset TransactionTimestamp,
    bool Eligible,
    string Cashback,
    string Reason,
    string? RuleId,
    int RuleSetVersion,
    string BalanceAfter,
    KafkaPosition? Source,
    DateTimeOffset ProcessedAt,
    string? CapPeriod)
{
    public static TransactionHistoryItem From(AuditEntry entry) => new(
        entry.TransactionId,
        entry.Type,
        entry.OriginalTransactionId,
        entry.Amount.ToString("0.00##", CultureInfo.InvariantCulture),
        entry.Currency,
        entry.MerchantId,
        entry.TransactionTimestamp,
        entry.Eligible,
        entry.Cashback.ToString("0.00", CultureInfo.InvariantCulture),
        entry.Reason,
        entry.RuleId,
        entry.RuleSetVersion,
        entry.BalanceAfter.ToString("0.00", CultureInfo.InvariantCulture),
        entry.SourceTopic is null ? null : new KafkaPosition(entry.SourceTopic, entry.SourcePartition ?? 0, entry.SourceOffset ?? 0),
        entry.ProcessedAt,
        entry.CapPeriod);
}

public sealed record KafkaPosition(string Topic, int Partition, long Offset);

/// <summary>
/// The <c>before</c> parameter: either an RFC 3339 timestamp (strictly older purchases) or the opaque
/// <c>nextBefore</c> of a previous page, which also breaks ties between purchases at the same instant.
/// </summary>
public static class HistoryCursor
{
    public static string Encode(AuditCursor cursor) => Base64Url.EncodeToString(
        Encoding.UTF8.GetBytes($"{cursor.TransactionTimestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}\n{cursor.TransactionId}"));

    public static bool TryDecode(string text, out AuditCursor? cursor)
    {
        cursor = null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp) && text.Contains('T', StringComparison.Ordinal))
        {
            cursor = new AuditCursor(timestamp, "");
            return true;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('\n', 2);
            if (parts.Length == 2 && DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                cursor = new AuditCursor(at, parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
