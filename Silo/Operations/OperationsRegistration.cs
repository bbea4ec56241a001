using Cashback.Ingestor.Telemetry;
using Cashback.Silo.Api.Security;
using Cashback.Silo.Operations.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Cashback.Silo.Operations;

/// <summary>What operators watch: the Orleans dashboard, liveness and readiness probes, Prometheus metrics.</summary>
public static class OperationsRegistration
{
    public const string DashboardPath = DashboardSignIn.PathPrefix;
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// On by default. The dashboard's metric reader samples Orleans' gauges every second (fixed in the package), and one
    /// of them walks every activation: with 100,000 active accounts on two cores that roughly doubled the p95 and p99 of
    /// produce → event latency (see the README's Benchmark), so a latency-critical silo may run without it.
    /// </summary>
    public const string DashboardEnabledKey = "Dashboard:Enabled";

    /// <summary>The meters exported besides the product's own: Orleans' and ASP.NET Core's.</summary>
    private static readonly string[] PlatformMeters =
    [
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Runtime",
    ];

    /// <summary>Call after <c>AddCashbackSilo</c>: the dashboard joins the silo it runs in.</summary>
    public static WebApplicationBuilder AddCashbackOperations(this WebApplicationBuilder builder)
    {
        if (IsDashboardEnabled(builder.Configuration))
        {
            builder.UseOrleans(silo => silo.AddDashboard());
        }

        var checkTimeout = TimeSpan.FromSeconds(5);
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthTags.Ready], timeout: checkTimeout)
            .AddCheck<KafkaHealthCheck>("kafka", tags: [HealthTags.Ready], timeout: checkTimeout)
            .AddCheck<ClusterMembershipHealthCheck>("cluster-membership", tags: [HealthTags.Ready], timeout: checkTimeout);

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CashbackMetrics.MeterName)
            .AddMeter(PlatformMeters)
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapCashbackOperations(this WebApplication app)
    {
        if (IsDashboardEnabled(app.Configuration))
        {
            app.MapOrleansDashboard(DashboardPath)
                .RequireAdmin()
                .AddEndpointFilter(DashboardSignIn.KeepQueryTokenInCookie);
        }

        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportJson.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthReportJson.WriteAsync,
        }).AllowAnonymous();

        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        return app;
    }

    public static bool IsDashboardEnabled(IConfiguration configuration) => configuration.GetValue(DashboardEnabledKey, true);
}
