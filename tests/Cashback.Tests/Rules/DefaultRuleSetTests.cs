using System.Collections.Immutable;
using Cashback.Grains.Rules;

namespace Cashback.Tests.Rules;

public sealed class DefaultRuleSetTests
{
    [Fact]
    public void the_default_rule_set_loads_and_holds_the_seed_rule_of_the_spec()
    {
        var ruleSet = DefaultRuleSet.Load();

        Assert.Equal(1, ruleSet.Version);
        var rule = Assert.Single(ruleSet.Rules);
        Assert.Equal("merchant-x-friday", rule.Id);
        Assert.Equal<string>(["MerchantX", "Merchant X"], rule.Merchants);
        Assert.Equal(15.00m, rule.MinimumAmount);
        Assert.Equal("USD", rule.Currency);
        Assert.Equal<DayOfWeek>([DayOfWeek.Friday], rule.DaysOfWeek);
        Assert.Null(rule.TimeZone);
        Assert.Equal(10m, rule.Percentage);
        Assert.Null(rule.ValidFrom);
        Assert.Null(rule.ValidUntil);
        Assert.Null(rule.MonthlyCapPerAccount);
    }

    [Fact]
    public void an_invalid_rule_set_exception_lists_every_fault()
    {
        var exception = new InvalidRuleSetException(
        [
            new RuleSetFault(null, "version", "must be at least 1"),
            new RuleSetFault("merchant-x-friday", "percentage", "must be greater than 0 and at most 100"),
        ]);

        Assert.Equal(2, exception.Faults.Length);
        Assert.Equal(
            "The rule set is invalid: version: must be at least 1; rule 'merchant-x-friday', percentage: must be greater than 0 and at most 100",
            exception.Message);
    }

    [Fact]
    public void an_invalid_parse_result_without_faults_cannot_be_made()
    {
        Assert.Throws<ArgumentException>(() => RuleSetParseResult.Invalid(ImmutableArray<RuleSetFault>.Empty));
    }
}
