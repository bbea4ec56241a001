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
    /// The journal insert is the same statement thousands of times a second: prepared once per connection, PostgreSQL
    /// stops parsing and planning it each time. That needs pooled connections to keep their prepared statements, and
    /// by default Npgsql resets a returned connection with <c>DISCARD ALL</c>, which drops them. Nothing run on this data
    /// source leaves session state behind (no <c>SET</c>, <c>LISTEN</c>, temporary tables or session locks), so its
    /// connections go back to the pool as they are. A connection string that sets <c>Max Auto Prepare</c> keeps its value.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Not ContainsKey: Npgsql's builder answers true for every keyword it knows, set or not.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }
}
