using Cashback.Grains.Rules;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Rules;

public sealed class DefaultRuleSetFileTests
{
    [Fact]
    public void without_a_path_the_silo_starts_with_the_embedded_seed_rule_set()
    {
        var ruleSet = new RuleSetOptions().LoadDefaultRuleSet();

        Assert.Equal("merchant-x-friday", Assert.Single(ruleSet.Rules).Id);
    }

    [Fact]
    public void a_rule_set_file_replaces_the_seed_rule_set()
    {
        var path = RuleSetFile.Write(Campaigns.CampaignRuleSet.Json);

        var ruleSet = new RuleSetOptions { DefaultRuleSetPath = path }.LoadDefaultRuleSet();

        Assert.Equal(Campaigns.CampaignRuleSet.Version, ruleSet.Version);
        Assert.Equal(["merchant-x-friday", "ny-weekend", "berlin-summer", "tokyo-everyday", "ny-friday-boost"], ruleSet.Rules.Select(r => r.Id));
        Assert.Equal("America/New_York", ruleSet.Rules[1].TimeZone?.Id);
        Assert.Equal(12.00m, ruleSet.Rules[1].MonthlyCapPerAccount);
    }

    [Fact]
    public void a_missing_rule_set_file_stops_the_silo_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-rule-set-{Guid.NewGuid():N}.json");

        var missing = Assert.Throws<FileNotFoundException>(() => new RuleSetOptions { DefaultRuleSetPath = path }.LoadDefaultRuleSet());

        Assert.Contains(path, missing.Message, StringComparison.Ordinal);
        Assert.Contains("Rules:DefaultRuleSetPath", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_invalid_rule_set_file_stops_the_silo_naming_the_file_and_every_fault()
    {
        var path = RuleSetFile.Write("""{"version": 2, "rules": [{"id": "x", "merchants": [], "minimumAmount": 1, "currency": "USD", "daysOfWeek": ["Friday"], "percentage": 150}]}""");

        var invalid = Assert.Throws<InvalidRuleSetException>(() => new RuleSetOptions { DefaultRuleSetPath = path }.LoadDefaultRuleSet());

        Assert.Contains(path, invalid.Message, StringComparison.Ordinal);
        Assert.Equal(["merchants", "percentage"], invalid.Faults.Select(f => f.Field).Order());
    }

    [Fact]
    public void a_silo_host_given_an_invalid_rule_set_file_does_not_start()
    {
        var path = RuleSetFile.Write("""{"version": 0, "rules": []}""");
        using var silo = new SiloApplicationFactory("Host=127.0.0.1;Port=1;Database=none", "127.0.0.1:1",
            settings: new Dictionary<string, string?> { ["Rules:DefaultRuleSetPath"] = path });

        var refusal = Assert.ThrowsAny<Exception>(() => silo.Server);

        Assert.Contains(path, Flatten(refusal), StringComparison.Ordinal);
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null ? exception.Message : $"{exception.Message} {Flatten(exception.InnerException)}";
}
