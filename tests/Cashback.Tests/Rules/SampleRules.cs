using System.Collections.Immutable;
using Cashback.Grains.Rules;

namespace Cashback.Tests.Rules;

internal static class SampleRules
{
    /// <summary>10 % at MerchantX in USD, any amount, any day, always in force, no cap; tests adjust it with <c>with</c>.</summary>
    public static CashbackRule TenPercentAtMerchantX(string id = "ten-percent") => new(
        id,
        null,
        ["MerchantX"],
        0m,
        "USD",
        [.. Enum.GetValues<DayOfWeek>()],
        null,
        10m,
        null,
        null,
        null);

    public static RuleSet SetOf(params CashbackRule[] rules) => new(1, null, [.. rules]);

    public static ImmutableArray<DayOfWeek> Fridays => [DayOfWeek.Friday];

    public static TimeZoneInfo Zone(string ianaId) => TimeZoneInfo.FindSystemTimeZoneById(ianaId);
}
