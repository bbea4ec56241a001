namespace Cashback.Tests.Campaigns;

/// <summary>
/// Wall-clock time in the campaign's zones, written out by hand from the 2023 daylight-saving dates rather than taken
/// from the time-zone database the rule engine uses, so that the oracle can catch a zone mishandled by the engine.
/// </summary>
public static class OracleClock
{
    // New York: EST (UTC-5), EDT (UTC-4) from 12 March 02:00 EST to 5 November 02:00 EDT.
    private static readonly DateTime NewYorkSummerStarts = new(2023, 3, 12, 7, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime NewYorkSummerEnds = new(2023, 11, 5, 6, 0, 0, DateTimeKind.Utc);

    // Berlin: CET (UTC+1), CEST (UTC+2) from 26 March 01:00 UTC to 29 October 01:00 UTC.
    private static readonly DateTime BerlinSummerStarts = new(2023, 3, 26, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime BerlinSummerEnds = new(2023, 10, 29, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>The wall-clock time of <paramref name="moment"/> in <paramref name="zone"/>, or where it happened when no zone is given.</summary>
    public static DateTime LocalTime(DateTimeOffset moment, string? zone)
    {
        if (zone is null)
        {
            return moment.DateTime; // the clock of the point of sale, in the timestamp's own offset
        }

        var utc = moment.UtcDateTime;
        if (utc.Year != 2023)
        {
            throw new ArgumentOutOfRangeException(nameof(moment), moment, "The oracle knows the daylight-saving dates of 2023 only.");
        }

        var hours = zone switch
        {
            "America/New_York" => utc >= NewYorkSummerStarts && utc < NewYorkSummerEnds ? -4 : -5,
            "Europe/Berlin" => utc >= BerlinSummerStarts && utc < BerlinSummerEnds ? 2 : 1,
            "Asia/Tokyo" => 9,
            _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, "The oracle does not know this zone."),
        };
        return utc.AddHours(hours);
    }
}
