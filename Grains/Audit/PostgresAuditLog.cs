using System.Threading.Channels;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Refunds;
using Npgsql;
using NpgsqlTypes;

namespace Cashback.Grains.Audit;

/// <summary>
/// The audit trail in the <c>cashback_transactions</c> table (SPEC §7). Records from all grains of the silo are
/// coalesced into batches written in one round trip each; every caller's task completes only once its row is committed.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    private const int MaxBatchSize = 512;
    private const int Writers = 2;

    private const string InsertSql = """
        INSERT INTO cashback_transactions (
            customer_id, transaction_id, type, original_transaction_id, amount, currency, merchant_id,
            transaction_timestamp, transaction_utc_offset_minutes, eligible, cashback, reason, rule_id, rule_set_version,
            balance_after, kafka_topic, kafka_partition, kafka_offset, processed_at, cap_period)
        SELECT * FROM unnest(
            $1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[],
            $8::timestamptz[], $9::int[], $10::bool[], $11::numeric[], $12::text[], $13::text[], $14::int[],
            $15::numeric[], $16::text[], $17::int[], $18::bigint[], $19::timestamptz[], $20::text[])
        ON CONFLICT (customer_id, transaction_id) DO NOTHING
        """;

    private const string FindSql = """
        SELECT cashback, reason, rule_id, rule_set_version, balance_after, processed_at, kafka_topic, kafka_partition, kafka_offset
        FROM cashback_transactions
        WHERE customer_id = $1 AND transaction_id = $2
        """;

    private const string FindOriginalSql = """
        SELECT p.type, p.amount, p.currency, p.cashback, p.rule_id, p.rule_set_version, p.cap_period,
               (SELECT coalesce(-sum(r.cashback), 0)
                FROM cashback_transactions r
                WHERE r.customer_id = p.customer_id AND r.type = 'refund' AND r.original_transaction_id = p.transaction_id
                  AND r.transaction_id <> ALL($3)) AS already_reversed
        FROM cashback_transactions p
        WHERE p.customer_id = $1 AND p.transaction_id = $2
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingRecord> _pending = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _writers;

    public PostgresAuditLog(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteBatchesAsync))];
    }

    Task IAuditLog.RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new PendingRecord(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresAuditLog));
        }

        return pending.Written.Task.WaitAsync(cancellationToken);
    }

    async Task<TransactionOutcome?> IAuditLog.FindOutcomeAsync(string customerId, string transactionId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(FindSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = transactionId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TransactionOutcome(
            transactionId,
            Cashback: reader.GetDecimal(0),
            Reason: reader.GetString(1),
            RuleId: reader.IsDBNull(2) ? null : reader.GetString(2),
            RuleSetVersion: reader.GetInt32(3),
            Balance: reader.GetDecimal(4),
            ProcessedAt: new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
            WasDuplicate: true,
            Source: reader.IsDBNull(6) ? null : new SourcePosition(reader.GetString(6), reader.GetInt32(7), reader.GetInt64(8)));
    }

    async Task<OriginalTransaction?> IAuditLog.FindOriginalAsync(
        string customerId, string transactionId, IReadOnlyCollection<string> refundsCountedByCaller, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(FindOriginalSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = transactionId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. refundsCountedByCaller] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new OriginalTransaction(
            Type: reader.GetString(0) == "refund" ? TransactionType.Refund : TransactionType.Purchase,
            Amount: reader.GetDecimal(1),
            Currency: reader.GetString(2),
            Cashback: reader.GetDecimal(3),
            RuleId: reader.IsDBNull(4) ? null : reader.GetString(4),
            RuleSetVersion: reader.GetInt32(5),
            CapPeriod: reader.IsDBNull(6) ? null : reader.GetString(6),
            AlreadyReversed: reader.GetDecimal(7));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingRecord>(MaxBatchSize);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatchSize && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await InsertAsync(batch);
                batch.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception error)
            {
                // Each caller retries its own record; the insert is idempotent.
                batch.ForEach(p => p.Written.TrySetException(error));
            }

            batch.Clear();
        }
    }

    private async Task InsertAsync(List<PendingRecord> batch)
    {
        var records = batch.ConvertAll(p => p.Record);
        await using var command = _dataSource.CreateCommand(InsertSql);
        var parameters = command.Parameters;
        parameters.Add(Array(records, r => r.Transaction.CustomerId));
        parameters.Add(Array(records, r => r.Transaction.TransactionId));
        parameters.Add(Array(records, r => r.Transaction.Type.ToString().ToLowerInvariant()));
        parameters.Add(Array(records, r => r.Transaction.OriginalTransactionId));
        parameters.Add(Array(records, r => r.Transaction.Amount));
        parameters.Add(Array(records, r => r.Transaction.Currency));
        parameters.Add(Array(records, r => r.Transaction.MerchantId));
        parameters.Add(Array(records, r => r.Transaction.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz));
        parameters.Add(Array(records, r => (int)r.Transaction.Timestamp.Offset.TotalMinutes));
        parameters.Add(Array(records, r => r.Outcome.Cashback > 0m)); // a reversal is not eligible: refunds never are
        parameters.Add(Array(records, r => r.Outcome.Cashback));
        parameters.Add(Array(records, r => r.Outcome.Reason));
        parameters.Add(Array(records, r => r.Outcome.RuleId));
        parameters.Add(Array(records, r => r.Outcome.RuleSetVersion));
        parameters.Add(Array(records, r => r.Outcome.Balance));
        parameters.Add(Array(records, r => r.Source?.Topic));
        parameters.Add(Array(records, r => r.Source?.Partition));
        parameters.Add(Array(records, r => r.Source?.Offset));
        parameters.Add(Array(records, r => r.Outcome.ProcessedAt.UtcDateTime, NpgsqlDbType.TimestampTz));
        parameters.Add(Array(records, r => r.CapPeriod));
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Array<T>(List<AuditRecord> records, Func<AuditRecord, T> select, NpgsqlDbType? elementType = null)
    {
        var parameter = new NpgsqlParameter<T[]> { TypedValue = [.. records.Select(select)] };
        if (elementType is { } type)
        {
            parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
        }

        return parameter;
    }

    private sealed record PendingRecord(AuditRecord Record, TaskCompletionSource Written);
}
