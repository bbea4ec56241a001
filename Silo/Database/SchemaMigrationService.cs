namespace Cashback.Silo.Database;

/// <summary>
/// Applies the schema before anything else starts: registered ahead of the Orleans silo, whose membership and grain
/// storage need the tables, and hosted services start in registration order.
/// </summary>
internal sealed class SchemaMigrationService(SchemaMigrator migrator, string connectionString) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.ApplyAsync(connectionString, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SchemaMigrationRegistration
{
    public static IServiceCollection AddSchemaMigrations(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService(sp => new SchemaMigrationService(sp.GetRequiredService<SchemaMigrator>(), connectionString));
        return services;
    }
}
