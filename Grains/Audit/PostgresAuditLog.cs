using System.Threading.Channels;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Refunds;
using Npgsql;
using NpgsqlTypes;

namespace Cashback.Grains.Audit;

/// <summary>
/// The audit trail in the <c>cashback_transactions</c> table (SPEC §7), which is also the accounts' journal. Records
/// from all grains of the silo are coalesced into batches written in one round trip and one commit each; every
/// caller's task completes only once its rows are committed. Reads of reactivating accounts are coalesced the same way.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    private const int MaxBatchSize = 1_024;
    /// <summary>Journal writers, each with a connection of its own: while one batch waits for its fsync, the next is being sent.</summary>
    public const int Writers = 4;

    private const int MaxAccountsPerRead = 256;

    private const string InsertSql = """
        INSERT INTO cashback_transactions (
            customer_id, transaction_id, type, original_transaction_id, amount, currency, merchant_id,
            transaction_timestamp, transaction_utc_offset_minutes, eligible, cashback, reason, rule_id, rule_set_version,
            balance_after, kafka_topic, kafka_partition, kafka_offset, processed_at, cap_period, account_sequence)
        SELECT * FROM unnest(
            $1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[],
            $8::timestamptz[], $9::int[], $10::bool[], $11::numeric[], $12::text[], $13::text[], $14::int[],
            $15::numeric[], $16::text[], $17::int[], $18::bigint[], $19::timestamptz[], $20::text[], $21::bigint[])
        ON CONFLICT (customer_id, transaction_id) DO NOTHING
        """;

    private const string ReadAfterSql = $"""
        SELECT {RecordColumns}
        FROM unnest($1::text[], $2::bigint[]) AS wanted(customer_id, after_sequence)
        JOIN cashback_transactions t
          ON t.customer_id = wanted.customer_id AND t.account_sequence > wanted.after_sequence
        ORDER BY t.customer_id, t.account_sequence
        """;

    private const string RecordColumns = """
        t.customer_id, t.transaction_id, t.type, t.original_transaction_id, t.amount, t.currency, t.merchant_id,
        t.transaction_timestamp, t.transaction_utc_offset_minutes, t.cashback, t.reason, t.rule_id,
        t.rule_set_version, t.balance_after, t.processed_at, t.kafka_topic, t.kafka_partition, t.kafka_offset,
        t.cap_period, t.account_sequence
        """;

    private const string FindSql = $"""
        SELECT {RecordColumns}
        FROM unnest($1::text[], $2::text[]) AS wanted(customer_id, transaction_id)
        JOIN cashback_transactions t
          ON t.customer_id = wanted.customer_id AND t.transaction_id = wanted.transaction_id
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
    private readonly Channel<PendingRecords> _pending = Channel.CreateUnbounded<PendingRecords>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<PendingFind> _finds = Channel.CreateUnbounded<PendingFind>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task[] _workers;

    public PostgresAuditLog(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _workers =
        [
            .. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteBatchesAsync)),
            Task.Run(() => ServeInBatchesAsync(_reads.Reader, MaxAccountsPerRead, ReadAfterAsync, (read, error) => read.Read.TrySetException(error))),
            Task.Run(() => ServeInBatchesAsync(_finds.Reader, MaxAccountsPerRead, FindOutcomesAsync, (find, error) => find.Found.TrySetException(error))),
        ];
    }

    Task IAuditLog.RecordAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var pending = new PendingRecords(records, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresAuditLog));
        }

        return pending.Written.Task.WaitAsync(cancellationToken);
    }

    Task<IReadOnlyList<AuditRecord>> IAuditLog.ReadAfterAsync(string customerId, long afterSequence, CancellationToken cancellationToken)
    {
        var pending = new PendingRead(customerId, afterSequence, new TaskCompletionSource<IReadOnlyList<AuditRecord>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_reads.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresAuditLog));
        }

        return pending.Read.Task.WaitAsync(cancellationToken);
    }

    Task<IReadOnlyDictionary<string, TransactionOutcome>> IAuditLog.FindOutcomesAsync(
        string customerId, IReadOnlyCollection<string> transactionIds, CancellationToken cancellationToken)
    {
        var pending = new PendingFind(
            customerId, transactionIds, new TaskCompletionSource<IReadOnlyDictionary<string, TransactionOutcome>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_finds.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresAuditLog));
        }

        return pending.Found.Task.WaitAsync(cancellationToken);
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
        _reads.Writer.TryComplete();
        _finds.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingRecords>();
        var records = new List<AuditRecord>(MaxBatchSize);
        await using var insert = new JournalInsert(_dataSource);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (records.Count < MaxBatchSize && reader.TryRead(out var next))
            {
                batch.Add(next);
                records.AddRange(next.Records);
            }

            try
            {
                await insert.ExecuteAsync(records);
                batch.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception error)
            {
                // Each caller retries its own records; the insert is idempotent.
                batch.ForEach(p => p.Written.TrySetException(error));
            }

            batch.Clear();
            records.Clear();
        }
    }

    /// <summary>Serves the requests waiting in <paramref name="requests"/> in batches of up to <paramref name="maxBatch"/>, one query each.</summary>
    private static async Task ServeInBatchesAsync<T>(ChannelReader<T> requests, int maxBatch, Func<List<T>, Task> serve, Action<T, Exception> fail)
    {
        var batch = new List<T>(maxBatch);
        while (await requests.WaitToReadAsync())
        {
            while (batch.Count < maxBatch && requests.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await serve(batch);
            }
            catch (Exception error)
            {
                batch.ForEach(request => fail(request, error));
            }

            batch.Clear();
        }
    }

    private async Task FindOutcomesAsync(List<PendingFind> batch)
    {
        List<string> customers = [];
        List<string> transactionIds = [];
        foreach (var find in batch)
        {
            foreach (var id in find.TransactionIds)
            {
                customers.Add(find.CustomerId);
                transactionIds.Add(id);
            }
        }

        await using var command = _dataSource.CreateCommand(FindSql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. customers] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. transactionIds] });
        var found = new Dictionary<(string Customer, string TransactionId), TransactionOutcome>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var record = ReadRecord(reader);
                found[(record.Transaction.CustomerId, record.Transaction.TransactionId)] = record.Outcome with { WasDuplicate = true };
            }
        }

        foreach (var find in batch)
        {
            var outcomes = new Dictionary<string, TransactionOutcome>(StringComparer.Ordinal);
            foreach (var id in find.TransactionIds)
            {
                if (found.TryGetValue((find.CustomerId, id), out var outcome))
                {
                    outcomes[id] = outcome;
                }
            }

            find.Found.TrySetResult(outcomes);
        }
    }

    private async Task ReadAfterAsync(List<PendingRead> batch)
    {
        var found = await ReadRecordsAfterAsync(batch);
        foreach (var read in batch)
        {
            IReadOnlyList<AuditRecord> records = found.TryGetValue(read.CustomerId, out var rows)
                ? rows.FindAll(r => r.AccountSequence > read.AfterSequence)
                : [];
            read.Read.TrySetResult(records);
        }
    }

    private async Task<Dictionary<string, List<AuditRecord>>> ReadRecordsAfterAsync(List<PendingRead> batch)
    {
        // One account may be asked for twice in a batch: read from the earlier position, each caller filters.
        var wanted = batch.GroupBy(r => r.CustomerId, StringComparer.Ordinal).Select(g => (Customer: g.Key, After: g.Min(r => r.AfterSequence))).ToList();
        await using var command = _dataSource.CreateCommand(ReadAfterSql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. wanted.Select(w => w.Customer)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. wanted.Select(w => w.After)] });
        var found = new Dictionary<string, List<AuditRecord>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var record = ReadRecord(reader);
            if (!found.TryGetValue(record.Transaction.CustomerId, out var rows))
            {
                found[record.Transaction.CustomerId] = rows = [];
            }

            rows.Add(record);
        }

        return found;
    }

    private static AuditRecord ReadRecord(NpgsqlDataReader reader)
    {
        var offset = TimeSpan.FromMinutes(reader.GetInt32(8));
        var transaction = new CardTransaction(
            TransactionId: reader.GetString(1),
            CustomerId: reader.GetString(0),
            Amount: reader.GetDecimal(4),
            Timestamp: new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero).ToOffset(offset),
            MerchantId: reader.GetString(6),
            Currency: reader.GetString(5),
            Type: reader.GetString(2) == "refund" ? TransactionType.Refund : TransactionType.Purchase,
            OriginalTransactionId: reader.IsDBNull(3) ? null : reader.GetString(3));
        var source = reader.IsDBNull(15) ? null : new SourcePosition(string.Intern(reader.GetString(15)), reader.GetInt32(16), reader.GetInt64(17));
        var outcome = new TransactionOutcome(
            transaction.TransactionId,
            Cashback: reader.GetDecimal(9),
            Reason: reader.GetString(10),
            RuleId: reader.IsDBNull(11) ? null : reader.GetString(11),
            RuleSetVersion: reader.GetInt32(12),
            Balance: reader.GetDecimal(13),
            ProcessedAt: new DateTimeOffset(reader.GetDateTime(14), TimeSpan.Zero),
            WasDuplicate: false,
            source);
        return new AuditRecord(
            transaction, outcome, source, reader.IsDBNull(18) ? null : reader.GetString(18), reader.IsDBNull(19) ? null : reader.GetInt64(19));
    }

    /// <summary>
    /// One writer's insert, reused for every batch it writes. Its columns are lists refilled per batch and bound once as
    /// array parameters, so a batch allocates no parameters or arrays (at a few rows per batch, as at 2,000/s, those were
    /// an eighth of the silo's allocations). It runs on the writer's own connection, prepared there once: PostgreSQL then
    /// neither parses nor plans the batches, and none pays for a pool rental and its reset. Only this statement is
    /// prepared: the look-ups take arrays of any length, which a cached generic plan would misjudge.
    /// </summary>
    private sealed class JournalInsert : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly NpgsqlCommand _command = new(InsertSql);
        private readonly List<Action<AuditRecord>> _appends = [];
        private readonly List<Action> _clears = [];
        private NpgsqlConnection? _connection;

        public JournalInsert(NpgsqlDataSource dataSource)
        {
            _dataSource = dataSource;
            Column(r => r.Transaction.CustomerId);
            Column(r => r.Transaction.TransactionId);
            Column(r => r.Transaction.Type == TransactionType.Refund ? "refund" : "purchase");
            Column(r => r.Transaction.OriginalTransactionId);
            Column(r => r.Transaction.Amount);
            Column(r => r.Transaction.Currency);
            Column(r => r.Transaction.MerchantId);
            Column(r => r.Transaction.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz);
            Column(r => (int)r.Transaction.Timestamp.Offset.TotalMinutes);
            Column(r => r.Outcome.Cashback > 0m); // a reversal is not eligible: refunds never are
            Column(r => r.Outcome.Cashback);
            Column(r => r.Outcome.Reason);
            Column(r => r.Outcome.RuleId);
            Column(r => r.Outcome.RuleSetVersion);
            Column(r => r.Outcome.Balance);
            Column(r => r.Source?.Topic);
            Column(r => r.Source?.Partition);
            Column(r => r.Source?.Offset);
            Column(r => r.Outcome.ProcessedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            Column(r => r.CapPeriod);
            Column(r => r.AccountSequence);
        }

        public async Task ExecuteAsync(List<AuditRecord> records)
        {
            _clears.ForEach(clear => clear());
            foreach (var record in records)
            {
                foreach (var append in _appends)
                {
                    append(record);
                }
            }

            try
            {
                if (_connection is null)
                {
                    _connection = await _dataSource.OpenConnectionAsync();
                    _command.Connection = _connection;
                    await _command.PrepareAsync();
                }

                await _command.ExecuteNonQueryAsync();
            }
            catch
            {
                // The connection may be broken (a restarted server, a dropped socket): the next batch opens another.
                await CloseConnectionAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await CloseConnectionAsync();
            await _command.DisposeAsync();
        }

        private async Task CloseConnectionAsync()
        {
            if (_connection is { } connection)
            {
                _connection = null;
                _command.Connection = null;
                await connection.DisposeAsync();
            }
        }

        private void Column<T>(Func<AuditRecord, T> select, NpgsqlDbType? elementType = null)
        {
            var values = new List<T>(MaxBatchSize);
            var parameter = new NpgsqlParameter<List<T>> { TypedValue = values };
            if (elementType is { } type)
            {
                parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
            }

            _command.Parameters.Add(parameter);
            _appends.Add(record => values.Add(select(record)));
            _clears.Add(values.Clear);
        }
    }

    private sealed record PendingRecords(IReadOnlyList<AuditRecord> Records, TaskCompletionSource Written);

    private sealed record PendingRead(string CustomerId, long AfterSequence, TaskCompletionSource<IReadOnlyList<AuditRecord>> Read);

    private sealed record PendingFind(
        string CustomerId, IReadOnlyCollection<string> TransactionIds, TaskCompletionSource<IReadOnlyDictionary<string, TransactionOutcome>> Found);
}
