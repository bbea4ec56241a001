using System.Data.Common;
using Npgsql;

namespace Cashback.Silo.Database;

/// <summary>Makes Npgsql known to Orleans' ADO.NET providers, which look it up by invariant name.</summary>
public static class NpgsqlRegistration
{
    /// <summary>The value for the <c>Invariant</c> option of ADO.NET persistence and clustering.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Registers <see cref="NpgsqlFactory"/> under <see cref="Invariant"/>; calling it again is harmless.</summary>
    public static void Register() => DbProviderFactories.RegisterFactory(Invariant, NpgsqlFactory.Instance);
}
