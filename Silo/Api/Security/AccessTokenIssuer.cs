using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cashback.Silo.Api.Security;

/// <summary>Signs tokens this silo accepts. Local mode prints some at start-up; a real deployment has its own issuer.</summary>
public sealed class AccessTokenIssuer(TokenSigningKey key, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly AuthOptions _options = options.Value;

    /// <summary>A token for one customer: reads only the account named <paramref name="customerId"/>.</summary>
    public string ForCustomer(string customerId) => Issue(customerId, scopes: null);

    /// <summary>A token for a service or operator, with the given scopes (e.g. <c>cashback.read</c>).</summary>
    public string WithScopes(string subject, params string[] scopes) => Issue(subject, string.Join(' ', scopes));

    private string Issue(string subject, string? scopes)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (scopes is not null)
        {
            claims["scope"] = scopes;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.LocalTokenLifetime,
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
