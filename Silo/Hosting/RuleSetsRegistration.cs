using Cashback.Grains.Rules;

namespace Cashback.Silo.Hosting;

public static class RuleSetsRegistration
{
    /// <summary>
    /// Rule sets versioned in PostgreSQL: every silo loads the latest before it takes grain calls and polls for newer
    /// ones. The default rule set (the embedded seed, or <c>Rules:DefaultRuleSetPath</c>) is loaded now, so that a silo refuses
    /// to start on an invalid one, and seeds the history when it is empty.
    /// </summary>
    public static ISiloBuilder AddPostgresRuleSets(this ISiloBuilder silo, IConfiguration configuration)
    {
        var defaultRuleSet = (configuration.GetSection(RuleSetOptions.SectionName).Get<RuleSetOptions>() ?? new RuleSetOptions()).LoadDefaultRuleSet();
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
