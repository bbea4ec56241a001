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
    /// stops parsing and planning it each time. A connection string that sets <c>Max Auto Prepare</c> keeps its value.
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!builder.ConnectionStringBuilder.ContainsKey("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        return builder.Build();
    }
}
