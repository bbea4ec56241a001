namespace Cashback.Silo.LocalMode;

/// <summary>How a <see cref="ThrowawayPostgres"/> server is set up.</summary>
public sealed record ThrowawayPostgresOptions
{
    /// <summary>
    /// Flush writes to disk. Tests may turn it off for speed: a crash then loses the data, which a throw-away
    /// server deletes anyway.
    /// </summary>
    public bool Fsync { get; init; } = true;

    /// <summary>Every Orleans provider and test database keeps its own connection pool, so allow more than the default 100.</summary>
    public int MaxConnections { get; init; } = 300;

    /// <summary>How long start-up (initdb, start, first accepted connection) may take.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
