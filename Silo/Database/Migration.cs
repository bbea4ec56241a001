using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cashback.Silo.Database;

/// <summary>One versioned SQL script, e.g. <c>0004_cashback_transactions.sql</c>.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, so a Windows checkout hashes the same.</summary>
    /// <remarks>Computed on each read: a cached value would survive <c>with { Sql = ... }</c> and go stale.</remarks>
    public string Checksum => ComputeChecksum(Sql);

    /// <summary>Parses a file name of the form <c>NNNN_name.sql</c>.</summary>
    public static Migration FromFile(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new ArgumentException($"Migration file '{fileName}' must be named NNNN_name.sql.", nameof(fileName));
        }

        return new Migration(
            int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
            match.Groups["name"].Value,
            sql);
    }

    private static string ComputeChecksum(string sql)
    {
        var normalised = sql.ReplaceLineEndings("\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
