using System.Collections.Immutable;
using System.Globalization;

namespace Cashback.Grains.Rules;

/// <summary>One rule of a <see cref="RuleSet"/> (SPEC §3).</summary>
/// <param name="Id">1–64 characters of <c>[a-z0-9-_.]</c>, unique in its rule set.</param>
/// <param name="Merchants">Merchant ids, compared after trimming and ignoring case.</param>
/// <param name="MinimumAmount">Inclusive lower bound of the transaction amount.</param>
/// <param name="Currency">ISO 4217 code in upper case.</param>
/// <param name="TimeZone">When set, the day of week and the cap month are taken in this zone; otherwise in the
/// timestamp's own UTC offset.</param>
/// <param name="Percentage">In (0, 100].</param>
/// <param name="ValidFrom">Inclusive start of the validity window.</param>
/// <param name="ValidUntil">Exclusive end of the validity window.</param>
/// <param name="MonthlyCapPerAccount">The most this rule credits one account per calendar month.</param>
public sealed record CashbackRule(
    string Id,
    string? Description,
    ImmutableArray<string> Merchants,
    decimal MinimumAmount,
    string Currency,
    ImmutableArray<DayOfWeek> DaysOfWeek,
    TimeZoneInfo? TimeZone,
    decimal Percentage,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    decimal? MonthlyCapPerAccount)
{
    public bool AcceptsMerchant(string merchantId)
    {
        var trimmed = merchantId.AsSpan().Trim();
        foreach (var merchant in Merchants)
        {
            if (merchant.AsSpan().Trim().Equals(trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public bool AcceptsCurrency(string currency) => string.Equals(Currency, currency, StringComparison.OrdinalIgnoreCase);

    public bool AcceptsDayOf(DateTimeOffset timestamp) => DaysOfWeek.Contains(LocalTimeOf(timestamp).DayOfWeek);

    public bool IsInForceAt(DateTimeOffset timestamp) =>
        (ValidFrom is null || timestamp >= ValidFrom.Value) && (ValidUntil is null || timestamp < ValidUntil.Value);

    /// <summary>
    /// The calendar month (<c>yyyy-MM</c>) the monthly cap of <paramref name="timestamp"/> counts against: interned,
    /// as accounts keep it with each recent transaction and there are only twelve a year.
    /// </summary>
    public string CapPeriodOf(DateTimeOffset timestamp) =>
        string.Intern(LocalTimeOf(timestamp).ToString("yyyy-MM", CultureInfo.InvariantCulture));

    /// <summary>The cashback before any cap: rounded to cents, midpoint away from zero.</summary>
    public decimal CashbackFor(decimal amount) => Cents.Round(amount * Percentage / 100m);

    private DateTimeOffset LocalTimeOf(DateTimeOffset timestamp) =>
        TimeZone is null ? timestamp : TimeZoneInfo.ConvertTime(timestamp, TimeZone);
}
