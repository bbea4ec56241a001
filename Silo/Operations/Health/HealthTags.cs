namespace Cashback.Silo.Operations.Health;

/// <summary>Which probe runs a check: <c>/health/live</c> runs none (the process answers), <c>/health/ready</c> the ready ones.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}
