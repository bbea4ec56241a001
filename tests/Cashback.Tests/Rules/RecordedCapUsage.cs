using Cashback.Grains.Rules;

namespace Cashback.Tests.Rules;

internal sealed class RecordedCapUsage : IMonthlyCapUsage
{
    private readonly Dictionary<(string RuleId, string Period), decimal> _credited = [];

    public static RecordedCapUsage Nothing => new();

    public RecordedCapUsage With(string ruleId, string period, decimal credited)
    {
        _credited[(ruleId, period)] = credited;
        return this;
    }

    public decimal CreditedInMonth(string ruleId, string period) => _credited.GetValueOrDefault((ruleId, period));
}
