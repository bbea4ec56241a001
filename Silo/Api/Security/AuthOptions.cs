using System.ComponentModel.DataAnnotations;

namespace Cashback.Silo.Api.Security;

/// <summary>How callers prove who they are: JWT bearer tokens signed with a shared key. Bound from <c>Auth</c>.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>HS256 needs a key at least as long as its hash.</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>When false, every endpoint is open to anyone (local experiments only).</summary>
    public bool Enabled { get; set; } = true;

    [Required]
    public string Issuer { get; set; } = "cashback";

    [Required]
    public string Audience { get; set; } = "cashback-api";

    /// <summary>
    /// The symmetric HS256 key, base64, at least 32 bytes. Empty means local mode: the silo makes a random key at
    /// start-up and prints tokens signed with it.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Tolerance for clocks that disagree about a token's expiry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the tokens printed in local mode stay valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan LocalTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public bool HasSigningKey => !string.IsNullOrWhiteSpace(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled || !HasSigningKey)
        {
            yield break;
        }

        var key = new byte[SigningKey!.Length];
        if (!Convert.TryFromBase64String(SigningKey.Trim(), key, out var length))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(SigningKey)} is not base64.", [nameof(SigningKey)]);
        }
        else if (length < MinimumSigningKeyBytes)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(SigningKey)} holds {length} bytes; HS256 needs at least {MinimumSigningKeyBytes} (e.g. `openssl rand -base64 32`).",
                [nameof(SigningKey)]);
        }
    }
}
