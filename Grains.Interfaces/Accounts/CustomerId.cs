namespace Cashback.Grains.Interfaces.Accounts;

/// <summary>The account id rule of SPEC §2: 1–128 characters of <c>[A-Za-z0-9._:@-]</c>.</summary>
public static class CustomerId
{
    public const int MaxLength = 128;

    public static bool IsValid(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty || candidate.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '@' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
