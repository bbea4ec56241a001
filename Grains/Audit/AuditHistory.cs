using Npgsql;

namespace Cashback.Grains.Audit;

/// <summary>One row of an account's history as the audit table holds it.</summary>
public sealed record AuditEntry(
    string TransactionId,
    string Type,
    string? OriginalTransactionId,
    decimal Amount,
    string Currency,
    string MerchantId,
    DateTimeOffset TransactionTimestamp,
    bool Eligible,
    decimal Cashback,
    string Reason,
    string? RuleId,
    int RuleSetVersion,
    decimal BalanceAfter,
    string? SourceTopic,
    int? SourcePartition,
    long? SourceOffset,
    DateTimeOffset ProcessedAt,
    string? CapPeriod);

/// <summary>Where a page of history ends: newest first by purchase time, ties broken by transaction id.</summary>
public sealed record AuditCursor(DateTimeOffset TransactionTimestamp, string TransactionId);

/// <summary>Where a credit or reversal sits in its account's processing order.</summary>
public sealed record CashbackPosition(DateTimeOffset ProcessedAt, string TransactionId);

/// <summary>Reads an account's processed transactions from the audit table, newest first.</summary>
public sealed class AuditHistory(NpgsqlDataSource dataSource)
{
    private const string SelectEntries = """
        SELECT transaction_id, type, original_transaction_id, amount, currency, merchant_id, transaction_timestamp,
               transaction_utc_offset_minutes, eligible, cashback, reason, rule_id, rule_set_version, balance_after,
               kafka_topic, kafka_partition, kafka_offset, processed_at, cap_period
        FROM cashback_transactions
        """;

    private const string PageSql = SelectEntries + """

        WHERE customer_id = $1
          AND ($2::timestamptz IS NULL OR (transaction_timestamp, transaction_id) < ($2, $3))
        ORDER BY transaction_timestamp DESC, transaction_id DESC
        LIMIT $4
        """;

    // Credits and reversals only (SPEC §4), in the order the account processed them; ties on the clock fall back to the id.
    private const string CashbackPositionSql = """
        SELECT processed_at, transaction_id
        FROM cashback_transactions
        WHERE customer_id = $1
          AND ((transaction_id = $2 AND cashback > 0) OR (transaction_id = $3 AND cashback < 0))
        ORDER BY processed_at DESC
        LIMIT 1
        """;

    private const string CashbackAfterSql = SelectEntries + """

        WHERE customer_id = $1 AND cashback <> 0 AND (processed_at, transaction_id) > ($2, $3)
        ORDER BY processed_at, transaction_id
        LIMIT $4
        """;

    public async Task<IReadOnlyList<AuditEntry>> ReadPageAsync(
        string customerId, int limit, AuditCursor? before, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(PageSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)before?.TransactionTimestamp.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)before?.TransactionId ?? "", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });

        return await ReadEntriesAsync(command, limit, cancellationToken);
    }

    /// <summary>
    /// Where the credit of <paramref name="creditTransactionId"/> or the reversal of
    /// <paramref name="reversalTransactionId"/> sits in the account's processing order; null when neither is recorded.
    /// </summary>
    public async Task<CashbackPosition?> FindCashbackPositionAsync(
        string customerId, string creditTransactionId, string? reversalTransactionId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(CashbackPositionSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = creditTransactionId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reversalTransactionId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CashbackPosition(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetString(1))
            : null;
    }

    /// <summary>The account's credits and reversals processed after <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadCashbackAfterAsync(
        string customerId, CashbackPosition after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(CashbackAfterSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter { Value = after.ProcessedAt.UtcDateTime, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.TransactionId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadEntriesAsync(command, limit, cancellationToken);
    }

    private static async Task<IReadOnlyList<AuditEntry>> ReadEntriesAsync(NpgsqlCommand command, int limit, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    private static AuditEntry ReadEntry(NpgsqlDataReader reader)
    {
        var offset = TimeSpan.FromMinutes(reader.GetInt32(7));
        return new AuditEntry(
            TransactionId: reader.GetString(0),
            Type: reader.GetString(1),
            OriginalTransactionId: reader.IsDBNull(2) ? null : reader.GetString(2),
            Amount: reader.GetDecimal(3),
            Currency: reader.GetString(4),
            MerchantId: reader.GetString(5),
            TransactionTimestamp: new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero).ToOffset(offset),
            Eligible: reader.GetBoolean(8),
            Cashback: reader.GetDecimal(9),
            Reason: reader.GetString(10),
            RuleId: reader.IsDBNull(11) ? null : reader.GetString(11),
            RuleSetVersion: reader.GetInt32(12),
            BalanceAfter: reader.GetDecimal(13),
            SourceTopic: reader.IsDBNull(14) ? null : reader.GetString(14),
            SourcePartition: reader.IsDBNull(15) ? null : reader.GetInt32(15),
            SourceOffset: reader.IsDBNull(16) ? null : reader.GetInt64(16),
            ProcessedAt: new DateTimeOffset(reader.GetDateTime(17), TimeSpan.Zero),
            CapPeriod: reader.IsDBNull(18) ? null : reader.GetString(18));
    }
}
