namespace Cashback.Grains.Rules;

/// <summary>
/// The rule set a silo starts with, used until an operator sets another: the seed rule set shipped with the silo
/// (<c>default-rule-set.json</c>) or a rule-set document named by <see cref="RuleSetOptions.DefaultRuleSetPath"/>.
/// </summary>
public static class DefaultRuleSet
{
    public const string ResourceName = "Cashback.DefaultRuleSet.json";

    /// <summary>The seed rule set embedded in the silo.</summary>
    /// <exception cref="InvalidRuleSetException">The embedded document is invalid; the silo must not start.</exception>
    public static RuleSet Load()
    {
        using var stream = typeof(DefaultRuleSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(DefaultRuleSet).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), source: null);
    }

    /// <summary>The rule-set document in <paramref name="path"/> (absolute, or relative to the working directory).</summary>
    /// <exception cref="FileNotFoundException">There is no such file; the silo must not start.</exception>
    /// <exception cref="InvalidRuleSetException">The document is invalid; the silo must not start.</exception>
    public static RuleSet LoadFrom(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The rule-set file '{fullPath}' ({RuleSetOptions.SectionName}:{nameof(RuleSetOptions.DefaultRuleSetPath)}) does not exist.", fullPath);
        }

        return Parse(File.ReadAllText(fullPath), fullPath);
    }

    private static RuleSet Parse(string json, string? source)
    {
        var result = RuleSetDocument.Parse(json);
        return result.IsValid ? result.RuleSet : throw new InvalidRuleSetException(result.Faults, source);
    }
}
