namespace Cashback.Silo.GarbageCollection;

public static class GarbageCollectionRegistration
{
    /// <summary>Paces gen0 collections (<c>Gc:*</c>).</summary>
    public static IServiceCollection AddGen0Pacing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Gen0PacingOptions>().Bind(configuration.GetSection(Gen0PacingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IGarbageCollector, RuntimeGarbageCollector>();
        services.AddHostedService<Gen0Pacer>();
        return services;
    }
}
