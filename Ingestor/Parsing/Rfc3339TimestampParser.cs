namespace Cashback.Ingestor.Parsing;

/// <summary>
/// Reads an RFC 3339 <c>date-time</c> (<c>2023-04-21T23:30:00.123-05:00</c>) keeping its offset, since the seed rule
/// judges the calendar day in the point of sale's own offset. A time without an offset is rejected: it names no moment.
/// </summary>
internal static class Rfc3339TimestampParser
{
    private const int DateTimeLength = 19; // yyyy-MM-ddTHH:mm:ss
    private const int MaxFractionDigits = 7; // DateTimeOffset resolution is 100 ns; further digits are truncated
    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(14);

    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset timestamp, out string failure)
    {
        timestamp = default;
        failure = "transaction_timestamp must be an RFC 3339 date-time with Z or an offset, e.g. 2023-04-21T09:30:00Z";

        if (text.Length < DateTimeLength + 1
            || text[4] != (byte)'-' || text[7] != (byte)'-' || (text[10] | 0x20) != (byte)'t'
            || text[13] != (byte)':' || text[16] != (byte)':'
            || !TryReadNumber(text.Slice(0, 4), out var year)
            || !TryReadNumber(text.Slice(5, 2), out var month)
            || !TryReadNumber(text.Slice(8, 2), out var day)
            || !TryReadNumber(text.Slice(11, 2), out var hour)
            || !TryReadNumber(text.Slice(14, 2), out var minute)
            || !TryReadNumber(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var position = DateTimeLength;
        long fractionTicks = 0;
        if (text[position] == (byte)'.')
        {
            position++;
            var digits = 0;
            while (position < text.Length && char.IsAsciiDigit((char)text[position]))
            {
                if (digits < MaxFractionDigits)
                {
                    fractionTicks = fractionTicks * 10 + (text[position] - '0');
                    digits++;
                }

                position++;
            }

            if (digits == 0)
                return false;
            for (; digits < MaxFractionDigits; digits++)
                fractionTicks *= 10;
        }

        if (!TryReadOffset(text[position..], out var offset))
            return false;

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60)
        {
            failure = "transaction_timestamp is not a valid calendar date and time";
            return false;
        }

        if (offset.Duration() > MaxOffset)
        {
            failure = "transaction_timestamp offset must be within ±14:00";
            return false;
        }

        // DateTimeOffset cannot hold a leap second (RFC 3339 allows :60); the last tick of :59 is the closest moment.
        if (second == 60)
        {
            second = 59;
            fractionTicks = TimeSpan.TicksPerSecond - 1;
        }

        var localTicks = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks;
        var utcTicks = localTicks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            failure = "transaction_timestamp is outside the representable range";
            return false;
        }

        timestamp = new DateTimeOffset(localTicks, offset);
        return true;
    }

    private static bool TryReadOffset(ReadOnlySpan<byte> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text.Length == 1)
            return (text[0] | 0x20) == (byte)'z';

        // "-00:00" means "offset unknown" in RFC 3339; the instant is still UTC, so it reads as +00:00.
        if (text.Length != 6 || (text[0] != (byte)'+' && text[0] != (byte)'-') || text[3] != (byte)':'
            || !TryReadNumber(text.Slice(1, 2), out var hours) || !TryReadNumber(text.Slice(4, 2), out var minutes)
            || hours > 23 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == (byte)'-')
            offset = offset.Negate();
        return true;
    }

    private static bool TryReadNumber(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit((char)digit))
                return false;
            value = value * 10 + (digit - '0');
        }

        return true;
    }
}
