namespace Cashback.Silo.LocalMode;

/// <summary>The throw-away PostgreSQL server could not be found, started or stopped.</summary>
public sealed class ThrowawayPostgresException : Exception
{
    public ThrowawayPostgresException(string message)
        : base(message)
    {
    }

    public ThrowawayPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
