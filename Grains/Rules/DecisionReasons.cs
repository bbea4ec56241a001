namespace Cashback.Grains.Rules;

/// <summary>The reason codes of a <see cref="RuleDecision"/>, recorded in the audit trail.</summary>
public static class DecisionReasons
{
    public const string Earned = "earned";
    public const string NotAPurchase = "not_a_purchase";
    public const string NoRules = "no_rules";

    // Rule conditions, in the order they are checked; the order decides which failure is reported.
    public const string MerchantNotEligible = "merchant_not_eligible";
    public const string CurrencyNotEligible = "currency_not_eligible";
    public const string AmountBelowMinimum = "amount_below_minimum";
    public const string DayNotEligible = "day_not_eligible";
    public const string OutsideValidityWindow = "outside_validity_window";
    public const string MonthlyCapReached = "monthly_cap_reached";

    /// <summary>Every condition held but the percentage of the amount rounds to 0.00.</summary>
    public const string CashbackBelowOneCent = "cashback_below_one_cent";
}
