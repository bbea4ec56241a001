using Cashback.Grains.Audit;
using Cashback.Silo.Api.Security;

namespace Cashback.Silo.Api;

public static class ApiRegistration
{
    public static WebApplicationBuilder AddCashbackApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<AuditHistory>();
        builder.AddCashbackSecurity();
        return builder;
    }

    public static WebApplication MapCashbackApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCashbackSecurity();
        app.MapAccountsApi();
        return app;
    }
}
