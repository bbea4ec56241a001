using Cashback.Silo.Database;
using Cashback.Silo.GarbageCollection;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Cashback.Ingestor;
using Cashback.Ingestor.Kafka;
using Cashback.Silo.Placement;
using Orleans.Configuration;

namespace Cashback.Silo.Hosting;

public static class SiloHostingExtensions
{
    private static readonly TimeSpan OrleansShutdownAllowance = TimeSpan.FromSeconds(30);

    /// <summary>Hosts an Orleans silo in this process: ADO.NET clustering, account grains on PostgreSQL, then the Kafka ingestor.</summary>
    public static WebApplicationBuilder AddCashbackSilo(this WebApplicationBuilder builder)
    {
        var siloOptions = builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        Validator.ValidateObject(siloOptions, new ValidationContext(siloOptions), validateAllProperties: true);
        var connectionString = builder.Configuration.GetConnectionString(PostgresConnection.Name)
            ?? throw new OptionsValidationException(PostgresConnection.ConfigurationKey, typeof(string), ["The PostgreSQL connection string is not set."]);

        builder.Services.AddSchemaMigrations(connectionString);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = siloOptions.ClusterId;
                options.ServiceId = siloOptions.ServiceId;
            });
            // Idle collection and, when enabled, activation shedding under memory pressure (Orleans:GrainCollection:*).
            silo.Services.Configure<GrainCollectionOptions>(builder.Configuration.GetSection($"{SiloOptions.SectionName}:GrainCollection"));
            silo.Services.Configure<GrainDirectoryOptions>(options => options.CacheSize = siloOptions.GrainDirectoryCacheSize);
            silo.ConfigureEndpoints(
                AdvertisedAddress.Resolve(siloOptions.AdvertisedAddress),
                siloOptions.SiloPort,
                siloOptions.GatewayPort,
                siloOptions.ListenOnAnyHostAddress);
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = NpgsqlRegistration.Invariant;
                options.ConnectionString = connectionString;
            });
            silo.AddAccountGrains(connectionString, builder.Configuration);
        });
        builder.Services.AddPartitionCoordination();
        builder.Services.AddTransactionIngestor(builder.Configuration);
        builder.Services.AddGen0Pacing(builder.Configuration);
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<KafkaOptions>>((host, kafka) =>
        {
            // SIGTERM: the ingestor may drain for up to DrainTimeout, then Orleans deactivates grains and leaves the cluster.
            host.ShutdownTimeout = kafka.Value.DrainTimeout + OrleansShutdownAllowance;
        });
        return builder;
    }
}
