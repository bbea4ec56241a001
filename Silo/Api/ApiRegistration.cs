using Cashback.Grains.Audit;

namespace Cashback.Silo.Api;

public static class ApiRegistration
{
    public static WebApplicationBuilder AddCashbackApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<AuditHistory>();
        return builder;
    }

    public static WebApplication MapCashbackApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapAccountsApi();
        app.MapRulesApi();
        return app;
    }
}
