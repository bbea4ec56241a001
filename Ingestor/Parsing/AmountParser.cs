namespace Cashback.Ingestor.Parsing;

/// <summary>
/// Reads an <c>amount</c> (SPEC §2) from the text of a JSON number or decimal string, exactly, as <see cref="decimal"/>.
/// Grammar: <c>-?digits(.digits)?([eE][+-]?digits)?</c>. The scale the producer sent is kept ("27.50" stays 27.50)
/// except that trailing zeros beyond four fractional digits are dropped ("20.10000" becomes 20.1000).
/// </summary>
internal static class AmountParser
{
    public const decimal Maximum = 1_000_000_000m;
    public const int MaxFractionalDigits = 4;

    // Any exponent this large already puts a non-zero amount far outside the allowed range;
    // saturating keeps the arithmetic below in range whatever digits a producer sends.
    private const int ExponentCeiling = 100_000;
    private const int MaxIntegerDigits = 10;

    public static bool TryParse(ReadOnlySpan<byte> text, out decimal amount, out string failure)
    {
        amount = 0;
        failure = string.Empty;
        var position = 0;

        var negative = position < text.Length && text[position] == (byte)'-';
        if (negative)
            position++;

        var integerPart = ReadDigits(text, ref position);
        if (integerPart.IsEmpty)
            return Fail("amount must be a decimal number", out failure);

        var fractionPart = ReadOnlySpan<byte>.Empty;
        if (position < text.Length && text[position] == (byte)'.')
        {
            position++;
            fractionPart = ReadDigits(text, ref position);
            if (fractionPart.IsEmpty)
                return Fail("amount must be a decimal number", out failure);
        }

        long exponent = 0;
        if (position < text.Length && (text[position] | 0x20) == (byte)'e')
        {
            position++;
            var exponentNegative = false;
            if (position < text.Length && (text[position] == (byte)'+' || text[position] == (byte)'-'))
            {
                exponentNegative = text[position] == (byte)'-';
                position++;
            }

            var exponentDigits = ReadDigits(text, ref position);
            if (exponentDigits.IsEmpty)
                return Fail("amount must be a decimal number", out failure);

            foreach (var digit in exponentDigits)
                exponent = Math.Min(exponent * 10 + (digit - '0'), ExponentCeiling);
            if (exponentNegative)
                exponent = -exponent;
        }

        if (position != text.Length)
            return Fail("amount must be a decimal number", out failure);

        // value = (integerPart ++ fractionPart) × 10^-scale
        var scale = fractionPart.Length - exponent;

        integerPart = integerPart.TrimStart((byte)'0');
        if (integerPart.IsEmpty)
            fractionPart = fractionPart.TrimStart((byte)'0');

        if (integerPart.IsEmpty && fractionPart.IsEmpty)
            return Fail("amount must be greater than 0", out failure);

        if (negative)
            return Fail("amount must be greater than 0", out failure);

        while (scale > MaxFractionalDigits && LastDigitIsZero(integerPart, fractionPart))
        {
            if (fractionPart.IsEmpty)
                integerPart = integerPart[..^1];
            else
                fractionPart = fractionPart[..^1];
            scale--;
        }

        if (scale > MaxFractionalDigits)
            return Fail($"amount must have at most {MaxFractionalDigits} fractional digits", out failure);

        var digitCount = integerPart.Length + fractionPart.Length;
        if (digitCount - scale > MaxIntegerDigits)
            return Fail($"amount must not exceed {Maximum}", out failure);

        // At most 14 significant digits remain (10 integer + 4 fractional), so a long holds them exactly.
        long mantissa = 0;
        foreach (var digit in integerPart)
            mantissa = mantissa * 10 + (digit - '0');
        foreach (var digit in fractionPart)
            mantissa = mantissa * 10 + (digit - '0');
        for (; scale < 0; scale++)
            mantissa *= 10;

        amount = new decimal((int)mantissa, (int)(mantissa >> 32), 0, isNegative: false, (byte)scale);
        if (amount > Maximum)
            return Fail($"amount must not exceed {Maximum}", out failure);

        return true;
    }

    private static ReadOnlySpan<byte> ReadDigits(ReadOnlySpan<byte> text, scoped ref int position)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiDigit((char)text[position]))
            position++;
        return text[start..position];
    }

    private static bool LastDigitIsZero(ReadOnlySpan<byte> integerPart, ReadOnlySpan<byte> fractionPart) =>
        fractionPart.IsEmpty ? !integerPart.IsEmpty && integerPart[^1] == (byte)'0' : fractionPart[^1] == (byte)'0';

    private static bool Fail(string reason, out string failure)
    {
        failure = reason;
        return false;
    }
}
