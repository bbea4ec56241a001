namespace Cashback.Silo.Database;

/// <summary>The scripts under <c>Silo/Database/Migrations</c>, embedded as <c>Migrations.NNNN_name.sql</c>.</summary>
public static class EmbeddedMigrations
{
    private const string ResourcePrefix = "Migrations.";

    /// <summary>All embedded migrations in ascending version order.</summary>
    public static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return Migration.FromFile(name[ResourcePrefix.Length..], reader.ReadToEnd());
            })
            .OrderBy(migration => migration.Version)
            .ToList();

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }
}
