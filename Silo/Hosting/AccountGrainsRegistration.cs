using Npgsql;
using Cashback.Grains.Accounts;
using Cashback.Grains.Audit;
using Cashback.Grains.Rules;
using Cashback.Silo.Database;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cashback.Silo.Hosting;

public static class AccountGrainsRegistration
{
    /// <summary>
    /// Everything an account grain needs inside a silo: its PostgreSQL state storage, the rule set, the audit trail and
    /// time. Shared by the silo host and the test clusters so both run the same wiring.
    /// </summary>
    public static ISiloBuilder AddAccountGrains(this ISiloBuilder silo, string postgresConnectionString, IConfiguration configuration)
    {
        NpgsqlRegistration.Register();

        silo.AddAdoNetGrainStorage(AccountGrain.StorageName, storage => storage.Configure<Serializer>((options, serializer) =>
        {
            options.Invariant = NpgsqlRegistration.Invariant;
            options.ConnectionString = postgresConnectionString;
            // Orleans' own serializer honours [Id] and [Alias], so stored state survives renames and refactors.
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));

        var services = silo.Services;
        services.AddOptions<AccountOptions>()
            .Bind(configuration.GetSection(AccountOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        // Loaded now so that a silo refuses to start on a missing or invalid default rule set.
        var ruleSetOptions = configuration.GetSection(RuleSetOptions.SectionName).Get<RuleSetOptions>() ?? new RuleSetOptions();
        services.AddSingleton<IRuleSetProvider>(new StaticRuleSetProvider(ruleSetOptions.LoadDefaultRuleSet()));
        services.AddSingleton(_ => NpgsqlDataSource.Create(postgresConnectionString));
        services.AddSingleton<IAuditLog, PostgresAuditLog>();
        return silo;
    }
}
