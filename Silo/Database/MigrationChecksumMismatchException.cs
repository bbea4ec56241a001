namespace Cashback.Silo.Database;

/// <summary>An already applied migration was edited afterwards; the database no longer matches the scripts.</summary>
public sealed class MigrationChecksumMismatchException(int version, string name, string appliedChecksum, string scriptChecksum)
    : Exception(
        $"Migration {version:D4}_{name} was applied with checksum {appliedChecksum}, but the script now hashes to " +
        $"{scriptChecksum}. Applied migrations must never change: restore the script and add a new migration instead.")
{
    public int Version { get; } = version;
}
