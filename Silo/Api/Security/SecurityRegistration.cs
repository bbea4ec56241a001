using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cashback.Silo.Api.Security;

public static class SecurityRegistration
{
    /// <summary>
    /// JWT bearer authentication and the policies of <see cref="CashbackAuthorization"/>. Every endpoint without a
    /// policy of its own still needs a valid token, unless it opts out with <c>AllowAnonymous()</c>.
    /// </summary>
    public static WebApplicationBuilder AddCashbackSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenSigningKey>();
        services.AddSingleton<AccessTokenIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TokenSigningKey>((jwt, auth, key) =>
            {
                jwt.MapInboundClaims = false; // keep `sub` and `scope` as the token spells them
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = key.SecurityKey,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireExpirationTime = true,
                    ClockSkew = auth.Value.ClockSkew,
                    NameClaimType = "sub",
                };
                jwt.Events = new JwtBearerEvents { OnMessageReceived = BrowserTokens.ReadFromQueryOrCookie };
            });

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, auth) =>
        {
            if (auth.Value.Enabled)
            {
                authorization.AddPolicy(CashbackAuthorization.AccountAccessPolicy, policy => policy
                    .RequireAuthenticatedUser()
                    .AddRequirements(new AccountAccessRequirement()));
                authorization.AddPolicy(CashbackAuthorization.AdminPolicy, policy => policy
                    .RequireAuthenticatedUser()
                    .AddRequirements(new AdminScopeRequirement()));
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
            else
            {
                var open = new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build();
                authorization.AddPolicy(CashbackAuthorization.AccountAccessPolicy, open);
                authorization.AddPolicy(CashbackAuthorization.AdminPolicy, open);
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>Authentication and authorization in the request pipeline, after the error pages; says at start-up how auth is set.</summary>
    public static WebApplication UseCashbackSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Lifetime.ApplicationStarted.Register(() => SecurityStartupReport.Write(app));
        return app;
    }
}
