using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cashback.Silo.Database;

/// <summary>
/// Brings a PostgreSQL database up to the schema this build expects: applies each pending migration in version order,
/// each in its own transaction, and records it in <c>schema_migrations</c>. Silos starting together serialise on a
/// PostgreSQL advisory lock, so every migration runs exactly once.
/// </summary>
public sealed partial class SchemaMigrator(ILogger<SchemaMigrator> logger, IReadOnlyList<Migration>? migrations = null)
{
    // "cashback" in ASCII. Advisory locks are per database, so this only serialises migrators of the same database.
    private const long AdvisoryLockKey = 0x636173686261636B;

    private const string CreateBookkeepingTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations
        (
            version    integer     NOT NULL,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_schema_migrations PRIMARY KEY (version)
        )
        """;

    private readonly IReadOnlyList<Migration> _migrations = migrations ?? EmbeddedMigrations.Load();

    public async Task ApplyAsync(string connectionString, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Migrations may rewrite large tables; the default 30 s command timeout is for queries, not for this.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);

        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await ExecuteAsync(connection, CreateBookkeepingTable, ct);

            // Read only now, under the lock: another silo may have applied migrations while we waited.
            var applied = await ReadAppliedAsync(connection, ct);
            RefuseChangedMigrations(applied);
            WarnAboutUnknownMigrations(applied);

            var pending = _migrations.Where(migration => !applied.ContainsKey(migration.Version)).ToList();
            foreach (var migration in pending)
            {
                await ApplyOneAsync(connection, migration, ct);
            }

            LogSchemaUpToDate(logger, connection.Database, _migrations.Count == 0 ? 0 : _migrations[^1].Version, pending.Count);
        }
        finally
        {
            // A pooled connection outlives this method, and a session-level lock lives as long as the session.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        LogApplying(logger, migration.Version, migration.Name);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await script.ExecuteNonQueryAsync(ct);
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)",
                connection,
                transaction))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                await record.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMigrationFailed(logger, exception, migration.Version, migration.Name);
            throw;
        }
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var applied = new Dictionary<int, (string, string)>();
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return applied;
    }

    private void RefuseChangedMigrations(Dictionary<int, (string Name, string Checksum)> applied)
    {
        foreach (var migration in _migrations)
        {
            if (applied.TryGetValue(migration.Version, out var record) && record.Checksum != migration.Checksum)
            {
                LogChecksumMismatch(logger, migration.Version, migration.Name);
                throw new MigrationChecksumMismatchException(migration.Version, migration.Name, record.Checksum, migration.Checksum);
            }
        }
    }

    // A newer build may already have migrated this database (rolling upgrade); its migrations must stay compatible.
    private void WarnAboutUnknownMigrations(Dictionary<int, (string Name, string Checksum)> applied)
    {
        var known = _migrations.Select(m => m.Version).ToHashSet();
        foreach (var (version, record) in applied.Where(entry => !known.Contains(entry.Key)).OrderBy(entry => entry.Key))
        {
            LogUnknownMigration(logger, version, record.Name);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying database migration {Version:D4}_{Name}")]
    private static partial void LogApplying(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database migration {Version:D4}_{Name} failed and was rolled back")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception, int version, string name);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database migration {Version:D4}_{Name} was changed after it had been applied")]
    private static partial void LogChecksumMismatch(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database has migration {Version:D4}_{Name} that this build does not know; a newer build applied it")]
    private static partial void LogUnknownMigration(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is at schema version {Version:D4} ({Applied} migrations applied now)")]
    private static partial void LogSchemaUpToDate(ILogger logger, string database, int version, int applied);
}
