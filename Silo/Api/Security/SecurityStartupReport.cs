using Cashback.Silo.Operations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cashback.Silo.Api.Security;

/// <summary>Says plainly at start-up how callers authenticate; in local mode, prints tokens ready to paste.</summary>
internal static partial class SecurityStartupReport
{
    public const string LocalCustomer = "123";

    public static void Write(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cashback.Auth");
        if (!options.Enabled)
        {
            AuthOff(logger);
            return;
        }

        if (!app.Services.GetRequiredService<TokenSigningKey>().IsGenerated)
        {
            AuthConfigured(logger, options.Issuer, options.Audience);
            return;
        }

        var tokens = app.Services.GetRequiredService<AccessTokenIssuer>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://localhost";
        address = address.TrimEnd('/');
        var reader = tokens.WithScopes("local-reader", CashbackScopes.Read);
        var admin = tokens.WithScopes("local-admin", CashbackScopes.Admin);
        AuthLocalMode(
            logger,
            options.LocalTokenLifetime,
            LocalCustomer,
            tokens.ForCustomer(LocalCustomer),
            reader,
            admin,
            $"curl -H \"Authorization: Bearer {reader}\" {address}/accounts/{LocalCustomer}/balance",
            OperationsRegistration.IsDashboardEnabled(app.Configuration)
                ? $"{address}{DashboardSignIn.PathPrefix}/?{DashboardSignIn.QueryParameter}={admin}"
                : $"off ({OperationsRegistration.DashboardEnabledKey}=false)");
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Auth is OFF (Auth:Enabled=false): every endpoint, /rules and /dashboard included, is open to anyone.")]
    private static partial void AuthOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Auth: JWT bearer tokens (HS256) issued by '{Issuer}' for audience '{Audience}', checked with the configured Auth:SigningKey. " +
                  "A customer token (sub) reads its own account; scope cashback.read reads any; cashback.admin is needed for /rules and /dashboard.")]
    private static partial void AuthConfigured(ILogger logger, string issuer, string audience);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Auth: local mode. No Auth:SigningKey is configured, so this silo signs with a random key made at start-up: " +
                  "its tokens die with it and no other silo accepts them. Ready-to-use tokens, valid for {Lifetime}:\n" +
                  "  customer {Customer} (reads only its own account): {CustomerToken}\n" +
                  "  reader (scope cashback.read): {ReaderToken}\n" +
                  "  admin (scope cashback.admin): {AdminToken}\n" +
                  "  try: {BalanceCommand}\n" +
                  "  dashboard: {DashboardUrl}")]
    private static partial void AuthLocalMode(
        ILogger logger,
        TimeSpan lifetime,
        string customer,
        string customerToken,
        string readerToken,
        string adminToken,
        string balanceCommand,
        string dashboardUrl);
}
