using Npgsql;
using NpgsqlTypes;

namespace Cashback.Grains.Rules;

/// <summary>One version of the rule set as the <c>rule_sets</c> table keeps it.</summary>
public sealed record StoredRuleSet(int Version, string Document, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>Whether <see cref="RuleSetStore.SaveAsync"/> stored a new version or refused a version that is not newer.</summary>
public abstract record RuleSetSaveResult
{
    public sealed record Saved(StoredRuleSet RuleSet) : RuleSetSaveResult;

    public sealed record NotNewer(int CurrentVersion) : RuleSetSaveResult;
}

/// <summary>The versioned rule sets in PostgreSQL (<c>rule_sets</c>); the highest version is the one in force.</summary>
public sealed class RuleSetStore(NpgsqlDataSource dataSource)
{
    public const string SeedAuthor = "seed";

    // Serialises writers of the same database so that versions only ever go up, in commit order too.
    private const long WriteLockKey = 0x72756C652D736574; // "rule-set"

    private const string SeedSql = """
        INSERT INTO rule_sets (version, document, created_by)
        SELECT $1, $2, $3
        WHERE NOT EXISTS (SELECT 1 FROM rule_sets)
        ON CONFLICT (version) DO NOTHING
        """;

    private const string LatestVersionSql = "SELECT max(version) FROM rule_sets";

    private const string ReadSql = """
        SELECT version, document::text, created_at, created_by FROM rule_sets
        WHERE version = coalesce($1, (SELECT max(version) FROM rule_sets))
        """;

    private const string InsertSql = """
        INSERT INTO rule_sets (version, document, created_by) VALUES ($1, $2, $3)
        RETURNING created_at
        """;

    /// <summary>Stores <paramref name="ruleSet"/> as the first version unless the table already holds one.</summary>
    public async Task SeedAsync(RuleSet ruleSet, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(SeedSql);
        AddRow(command, ruleSet, SeedAuthor);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The version in force, or null when no rule set was ever stored. Cheap enough to poll.</summary>
    public async Task<int?> LatestVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(LatestVersionSql);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is int version ? version : null;
    }

    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    public async Task<StoredRuleSet?> ReadAsync(int? version = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredRuleSet(reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3))
            : null;
    }

    /// <summary>Stores a new version, provided it is greater than every stored one.</summary>
    public async Task<RuleSetSaveResult> SaveAsync(RuleSet ruleSet, string createdBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({WriteLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var latest = new NpgsqlCommand(LatestVersionSql, connection, transaction))
        {
            if (await latest.ExecuteScalarAsync(cancellationToken) is int current && ruleSet.Version <= current)
            {
                return new RuleSetSaveResult.NotNewer(current);
            }
        }

        var document = RuleSetDocument.Serialize(ruleSet);
        DateTimeOffset createdAt;
        await using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
        {
            AddRow(insert, ruleSet, createdBy, document);
            createdAt = new DateTimeOffset((DateTime)(await insert.ExecuteScalarAsync(cancellationToken))!, TimeSpan.Zero);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RuleSetSaveResult.Saved(new StoredRuleSet(ruleSet.Version, document, createdAt, createdBy));
    }

    private static void AddRow(NpgsqlCommand command, RuleSet ruleSet, string createdBy, string? document = null)
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ruleSet.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = document ?? RuleSetDocument.Serialize(ruleSet), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = createdBy });
    }
}
