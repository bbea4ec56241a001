using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cashback.Silo.Api.Security;

/// <summary>The HS256 key tokens are checked against: the configured <c>Auth:SigningKey</c>, or one made up at start-up.</summary>
public sealed class TokenSigningKey
{
    public TokenSigningKey(IOptions<AuthOptions> options)
    {
        var configured = options.Value.SigningKey;
        IsGenerated = string.IsNullOrWhiteSpace(configured);
        var bytes = IsGenerated ? RandomNumberGenerator.GetBytes(AuthOptions.MinimumSigningKeyBytes) : Convert.FromBase64String(configured!.Trim());
        SecurityKey = new SymmetricSecurityKey(bytes);
    }

    /// <summary>True in local mode: the key lives and dies with this process, and no other silo knows it.</summary>
    public bool IsGenerated { get; }

    public SymmetricSecurityKey SecurityKey { get; }
}
