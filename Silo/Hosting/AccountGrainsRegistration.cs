using Npgsql;
using Cashback.Grains.Accounts;
using Cashback.Grains.Audit;
using Cashback.Silo.Placement;

namespace Cashback.Silo.Hosting;

public static class AccountGrainsRegistration
{
    /// <summary>
    /// Everything an account grain needs inside a silo: its PostgreSQL state storage, the rule sets, the audit trail,
    /// the live notification streams and time. Shared by the silo host and the test clusters so both run the same wiring.
    /// </summary>
    public static ISiloBuilder AddAccountGrains(this ISiloBuilder silo, string postgresConnectionString, IConfiguration configuration)
    {
        silo.AddPostgresGrainStorage(AccountGrain.StorageName, postgresConnectionString);
        silo.AddPostgresRuleSets(configuration);
        silo.AddAccountNotifications(postgresConnectionString);

        silo.AddPartitionAlignedPlacement();

        var services = silo.Services;
        services.AddOptions<AccountOptions>()
            .Bind(configuration.GetSection(AccountOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => CreateDataSource(postgresConnectionString));
        services.AddSingleton<IAuditLog, PostgresAuditLog>();
        return silo;
    }

    /// <summary>
    /// Npgsql resets a connection returned to its pool with <c>DISCARD ALL</c> by default, one more statement for every
    /// rental. Nothing run on this data source leaves session state behind (no <c>SET</c>, <c>LISTEN</c>, temporary
    /// tables or session locks), so its connections go back to the pool as they are.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }
}
