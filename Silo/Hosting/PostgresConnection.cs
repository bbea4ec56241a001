namespace Cashback.Silo.Hosting;

/// <summary>The single place that names the PostgreSQL connection string.</summary>
public static class PostgresConnection
{
    public const string Name = "Postgres";
    public const string ConfigurationKey = "ConnectionStrings:" + Name;
}
