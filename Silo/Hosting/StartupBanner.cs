using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Cashback.Silo.Hosting;

public static partial class StartupBanner
{
    /// <summary>Once started, prints where the HTTP API listens and which PostgreSQL it uses.</summary>
    public static WebApplication LogWhereEverythingIs(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var connectionString = new NpgsqlConnectionStringBuilder(app.Configuration.GetConnectionString(PostgresConnection.Name))
            {
                Password = null,
            };
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cashback.Silo");
            SiloReady(logger, string.Join(", ", addresses), connectionString.ConnectionString);
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cashback silo ready. HTTP API: {Addresses} (try GET /accounts/123/balance). PostgreSQL: {ConnectionString}")]
    private static partial void SiloReady(ILogger logger, string addresses, string connectionString);
}
