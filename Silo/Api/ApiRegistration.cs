using Cashback.Grains.Audit;
using Cashback.Silo.Api.Security;
using Cashback.Silo.Notifications;

namespace Cashback.Silo.Api;

public static class ApiRegistration
{
    public static WebApplicationBuilder AddCashbackApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<AuditHistory>();
        builder.AddCashbackSecurity();
        builder.Services.AddOptions<NotificationOptions>()
            .Bind(builder.Configuration.GetSection(NotificationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AccountNotificationHub>();
        return builder;
    }

    public static WebApplication MapCashbackApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCashbackSecurity();
        app.MapAccountsApi();
        app.MapNotificationsApi();
        app.MapNotificationsPage();
        app.MapRulesApi();
        return app;
    }
}
