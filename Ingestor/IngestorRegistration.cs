using Cashback.Ingestor.Kafka;
using Cashback.Ingestor.Pipeline;
using Cashback.Ingestor.Publishing;
using Cashback.Ingestor.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cashback.Ingestor;

public static class IngestorRegistration
{
    /// <summary>
    /// The Kafka ingestor of this silo. Register it after the Orleans silo: hosted services stop in reverse order, so
    /// the ingestor drains its work while the grains can still answer.
    /// </summary>
    public static IServiceCollection AddTransactionIngestor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KafkaOptions>()
            .Bind(configuration.GetSection(KafkaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IHandoverOffsets, NoHandoverOffsets>();
        services.AddSingleton<KafkaClients>();
        services.AddSingleton(sp => sp.GetRequiredService<KafkaClients>().CreateProducer());
        services.AddSingleton<KafkaPublisher>();
        services.AddSingleton<CashbackMetrics>();
        services.AddHostedService<TransactionIngestor>();
        return services;
    }
}
