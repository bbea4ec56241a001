using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// Tokens as an identity provider would issue them for the test silos, minted here independently of the silo's own
/// issuer. The silos under test are configured with <see cref="Settings"/>.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "cashback-tests";
    public const string Audience = "cashback-api-tests";

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] ForeignKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The <c>Auth:*</c> settings under which a silo accepts these tokens.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:SigningKey"] = Convert.ToBase64String(SigningKey),
    };

    public static string Customer(string customerId) => Mint(customerId, scope: null);

    public static string Reader() => Mint("reporting-service", "cashback.read");

    public static string Admin() => Mint("operator", "cashback.admin");

    /// <summary>What most API tests use: may read every account and administer.</summary>
    public static string Operator() => Mint("test-operator", "cashback.read cashback.admin");

    public static string Expired() => Mint("reporting-service", "cashback.read", expires: DateTime.UtcNow.AddMinutes(-10));

    public static string BadSignature() => Mint("reporting-service", "cashback.read", key: ForeignKey);

    public static string WrongAudience() => Mint("reporting-service", "cashback.read", audience: "some-other-api");

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static string Mint(string subject, string? scope, DateTime? expires = null, byte[]? key = null, string audience = Audience)
    {
        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry.AddHours(-1),
            NotBefore = expiry.AddHours(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
