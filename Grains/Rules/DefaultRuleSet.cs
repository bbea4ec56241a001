namespace Cashback.Grains.Rules;

/// <summary>The seed rule set shipped with the silo (<c>default-rule-set.json</c>), used until an operator sets another.</summary>
public static class DefaultRuleSet
{
    public const string ResourceName = "Cashback.DefaultRuleSet.json";

    /// <exception cref="InvalidRuleSetException">The embedded document is invalid; the silo must not start.</exception>
    public static RuleSet Load()
    {
        using var stream = typeof(DefaultRuleSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(DefaultRuleSet).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var result = RuleSetDocument.Parse(reader.ReadToEnd());
        return result.IsValid ? result.RuleSet : throw new InvalidRuleSetException(result.Faults);
    }
}
