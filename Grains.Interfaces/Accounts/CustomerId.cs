using System.Buffers;

namespace Cashback.Grains.Interfaces.Accounts;

/// <summary>The account id rule of SPEC §2: 1–128 characters of <c>[A-Za-z0-9._:@-]</c>.</summary>
public static class CustomerId
{
    public const int MaxLength = 128;

    private static readonly SearchValues<char> AllowedCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-");

    public static bool IsValid(ReadOnlySpan<char> candidate) =>
        candidate.Length is > 0 and <= MaxLength && !candidate.ContainsAnyExcept(AllowedCharacters);
}
