namespace Cashback.Grains.Rules;

public interface IRuleSetProvider
{
    /// <summary>The rule set in force now; read it once per transaction so one transaction sees one version.</summary>
    RuleSet Current { get; }
}
