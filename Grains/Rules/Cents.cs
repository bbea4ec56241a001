namespace Cashback.Grains.Rules;

internal static class Cents
{
    /// <summary>Rounds to cents, midpoint away from zero, and always carries two decimals (2 → 2.00).</summary>
    public static decimal Round(decimal amount) =>
        // Adding 0.00m raises the scale of a decimal to at least 2 without changing its value.
        Math.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
