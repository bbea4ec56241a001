using Cashback.Grains.Rules;

namespace Cashback.Silo.Hosting;

public static class RuleSetsRegistration
{
    /// <summary>
    /// Rule sets versioned in PostgreSQL: every silo loads the latest before it takes grain calls and polls for newer
    /// ones. The default rule set is loaded now, so that a silo refuses to start on an invalid one, and seeds version 1.
    /// </summary>
    public static ISiloBuilder AddPostgresRuleSets(this ISiloBuilder silo, IConfiguration configuration)
    {
        var defaultRuleSet = DefaultRuleSet.Load();
        var services = silo.Services;
        services.AddOptions<RuleSetOptions>()
            .Bind(configuration.GetSection(RuleSetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RuleSetStore>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<PostgresRuleSetProvider>(sp, defaultRuleSet));
        services.AddSingleton<IRuleSetProvider>(sp => sp.GetRequiredService<PostgresRuleSetProvider>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PostgresRuleSetProvider>());
        return silo;
    }
}
