using Cashback.Silo.Database;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using Cashback.Ingestor;
using Orleans.Configuration;

namespace Cashback.Silo.Hosting;

public static class SiloHostingExtensions
{
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
            silo.ConfigureEndpoints(
                IPAddress.Parse(siloOptions.AdvertisedAddress),
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
        builder.Services.AddTransactionIngestor(builder.Configuration);
        return builder;
    }
}
