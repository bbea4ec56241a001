namespace Cashback.Grains.Rules;

/// <summary>What one account has already been credited under capped rules; kept by the account.</summary>
public interface IMonthlyCapUsage
{
    /// <summary>The cashback <paramref name="ruleId"/> already credited this account in <paramref name="period"/> (<c>yyyy-MM</c>).</summary>
    decimal CreditedInMonth(string ruleId, string period);
}
