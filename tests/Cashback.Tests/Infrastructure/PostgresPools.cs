using Npgsql;

namespace Cashback.Tests.Infrastructure;

public static class PostgresPools
{
    /// <summary>
    /// Closes the idle pooled connections to a test database once its silo is gone. Npgsql keeps them open for minutes,
    /// and a whole test run against the one shared server would otherwise run out of its connection slots.
    /// </summary>
    public static void Release(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }
}
