namespace Cashback.Tests.Infrastructure;

/// <summary>A rule-set document written to a temporary file, for silos started with <c>Rules:DefaultRuleSetPath</c>.</summary>
public static class RuleSetFile
{
    public static string Write(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cashback-rule-set-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>The silo settings that start it with <paramref name="json"/> as its rule set.</summary>
    public static Dictionary<string, string?> SettingsLoading(string json, int? idempotencyWindow = null)
    {
        var settings = new Dictionary<string, string?> { ["Rules:DefaultRuleSetPath"] = Write(json) };
        if (idempotencyWindow is { } window)
        {
            settings["Accounts:IdempotencyWindow"] = window.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }
}
