using System.Text.Json.Nodes;
using Cashback.Grains.Rules;

namespace Cashback.Tests.Rules;

public sealed class RuleSetDocumentTests
{
    private const string SeedRuleId = "merchant-x-friday";

    private const string FullRuleSet = """
        {
          "version": 7,
          "description": "spring campaign",
          "rules": [
            {
              "id": "spring.new-york_2023",
              "description": "Fridays and Saturdays in New York",
              "merchants": [" MerchantX ", "Merchant X"],
              "minimumAmount": 15.00,
              "currency": "usd",
              "daysOfWeek": ["friday", "Saturday"],
              "timeZone": "America/New_York",
              "percentage": 12.5,
              "validFrom": "2023-04-01T00:00:00-04:00",
              "validUntil": "2023-05-01T00:00:00Z",
              "monthlyCapPerAccount": 50.00
            },
            {
              "id": "merchant-y",
              "merchants": ["MerchantY"],
              "minimumAmount": 0,
              "currency": "EUR",
              "daysOfWeek": ["Monday"],
              "percentage": 100
            }
          ]
        }
        """;

    [Fact]
    public void a_document_with_every_field_is_read_into_the_rule_set()
    {
        var result = RuleSetDocument.Parse(FullRuleSet);

        Assert.True(result.IsValid, string.Join("; ", result.Faults));
        Assert.Empty(result.Faults);
        var ruleSet = result.RuleSet;
        Assert.Equal(7, ruleSet.Version);
        Assert.Equal("spring campaign", ruleSet.Description);
        Assert.Equal(["spring.new-york_2023", "merchant-y"], ruleSet.Rules.Select(rule => rule.Id));

        var spring = ruleSet.Rules[0];
        Assert.Equal("Fridays and Saturdays in New York", spring.Description);
        Assert.Equal<string>(["MerchantX", "Merchant X"], spring.Merchants);
        Assert.Equal(15.00m, spring.MinimumAmount);
        Assert.Equal("USD", spring.Currency);
        Assert.Equal<DayOfWeek>([DayOfWeek.Friday, DayOfWeek.Saturday], spring.DaysOfWeek);
        Assert.Equal("America/New_York", spring.TimeZone?.Id);
        Assert.Equal(12.5m, spring.Percentage);
        Assert.Equal(new DateTimeOffset(2023, 4, 1, 0, 0, 0, TimeSpan.FromHours(-4)), spring.ValidFrom);
        Assert.Equal(new DateTimeOffset(2023, 5, 1, 0, 0, 0, TimeSpan.Zero), spring.ValidUntil);
        Assert.Equal(50.00m, spring.MonthlyCapPerAccount);

        var merchantY = ruleSet.Rules[1];
        Assert.Null(merchantY.Description);
        Assert.Null(merchantY.TimeZone);
        Assert.Null(merchantY.ValidFrom);
        Assert.Null(merchantY.ValidUntil);
        Assert.Null(merchantY.MonthlyCapPerAccount);
    }

    [Fact]
    public void a_serialized_rule_set_reads_back_to_the_same_document()
    {
        var original = RuleSetDocument.Parse(FullRuleSet).RuleSet!;

        var written = RuleSetDocument.Serialize(original);
        var reread = RuleSetDocument.Parse(written);

        Assert.True(reread.IsValid, string.Join("; ", reread.Faults));
        Assert.Equal(written, RuleSetDocument.Serialize(reread.RuleSet));
        Assert.Equal(original.Rules[0].ValidFrom, reread.RuleSet.Rules[0].ValidFrom);
        Assert.Equal(original.Rules[0].TimeZone, reread.RuleSet.Rules[0].TimeZone);
    }

    [Fact]
    public void descriptions_are_written_as_typed_without_escapes()
    {
        var ruleSet = DefaultRuleSet.Load() with { Description = "Café d'été: 10 % <back> & more" };

        var written = RuleSetDocument.Serialize(ruleSet);

        Assert.Contains("\"description\": \"Café d'été: 10 % <back> & more\"", written, StringComparison.Ordinal);
        Assert.Equal(ruleSet.Description, RuleSetDocument.Parse(written).RuleSet?.Description);
    }

    [Fact]
    public void the_seed_rule_set_is_written_in_the_same_format_it_is_read_from()
    {
        var written = JsonNode.Parse(RuleSetDocument.Serialize(DefaultRuleSet.Load()))!;

        var expected = JsonNode.Parse("""
            {
              "version": 1,
              "description": "The seed rule: 10 % cashback on purchases of at least $15 at Merchant X on a Friday.",
              "rules": [
                {
                  "id": "merchant-x-friday",
                  "description": "10 % back on purchases of $15 or more at Merchant X on Fridays",
                  "merchants": ["MerchantX", "Merchant X"],
                  "minimumAmount": 15.00,
                  "currency": "USD",
                  "daysOfWeek": ["Friday"],
                  "timeZone": null,
                  "percentage": 10,
                  "validFrom": null,
                  "validUntil": null,
                  "monthlyCapPerAccount": null
                }
              ]
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, written), written.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"version\": 1, \"rules\": [],}")]
    [InlineData("{\"version\": 1 /* a comment */, \"rules\": []}")]
    [InlineData("{'version': 1}")]
    public void malformed_json_is_a_fault_of_the_whole_document(string json)
    {
        var fault = Assert.Single(RuleSetDocument.Parse(json).Faults);

        Assert.Null(fault.RuleId);
        Assert.Equal("$", fault.Field);
        Assert.StartsWith("is not valid JSON", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "$", "must be a JSON object")]
    [InlineData("null", "$", "must be a JSON object")]
    [InlineData("42", "$", "must be a JSON object")]
    [InlineData("""{"rules": [{}]}""", "version", "is required")]
    [InlineData("""{"version": 0, "rules": []}""", "version", "must be at least 1")]
    [InlineData("""{"version": 1.5}""", "version", "must be a whole number")]
    [InlineData("""{"version": "1"}""", "version", "must be a whole number")]
    [InlineData("""{"version": 1}""", "rules", "is required")]
    [InlineData("""{"version": 1, "rules": null}""", "rules", "is required")]
    [InlineData("""{"version": 1, "rules": []}""", "rules", "must contain at least one rule")]
    [InlineData("""{"version": 1, "rules": {}}""", "rules", "must be an array of rules")]
    [InlineData("""{"version": 1, "rules": [5]}""", "rules[0]", "must be an object")]
    [InlineData("""{"version": 1, "description": 5, "rules": []}""", "description", "must be null or a string")]
    [InlineData("""{"version": 1, "name": "x", "rules": []}""", "name", "is not a field of a rule set")]
    [InlineData("""{"version": 1, "version": 2, "rules": []}""", "version", "appears more than once")]
    public void a_fault_of_the_document_itself_names_its_field(string json, string field, string message)
    {
        var result = RuleSetDocument.Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(new RuleSetFault(null, field, message), result.Faults);
    }

    [Theory]
    [InlineData("percentage", "0", "must be greater than 0 and at most 100")]
    [InlineData("percentage", "-5", "must be greater than 0 and at most 100")]
    [InlineData("percentage", "100.01", "must be greater than 0 and at most 100")]
    [InlineData("percentage", "\"10\"", "must be a number")]
    [InlineData("percentage", null, "is required")]
    [InlineData("percentage", "null", "is required")]
    [InlineData("percentage", "1e400", "is out of range")]
    [InlineData("minimumAmount", "-0.01", "must be at least 0")]
    [InlineData("minimumAmount", "15.00001", "must have at most 4 decimal places, like transaction amounts")]
    [InlineData("minimumAmount", "\"15\"", "must be a number")]
    [InlineData("minimumAmount", null, "is required")]
    [InlineData("currency", "\"US\"", "must be a three-letter ISO 4217 code, not 'US'")]
    [InlineData("currency", "\"US1\"", "must be a three-letter ISO 4217 code, not 'US1'")]
    [InlineData("currency", "\"USDX\"", "must be a three-letter ISO 4217 code, not 'USDX'")]
    [InlineData("currency", "840", "must be a string")]
    [InlineData("currency", null, "is required")]
    [InlineData("daysOfWeek", "[]", "must name at least one day")]
    [InlineData("daysOfWeek", "[\"Fryday\"]", "'Fryday' is not a day of the week (Monday to Sunday)")]
    [InlineData("daysOfWeek", "[\"5\"]", "'5' is not a day of the week (Monday to Sunday)")]
    [InlineData("daysOfWeek", "[\"Monday, Tuesday\"]", "'Monday, Tuesday' is not a day of the week (Monday to Sunday)")]
    [InlineData("daysOfWeek", "[5]", "must contain only day names such as \"Friday\"")]
    [InlineData("daysOfWeek", "\"Friday\"", "must be an array of day names")]
    [InlineData("daysOfWeek", null, "is required")]
    [InlineData("merchants", "[]", "must name at least one merchant")]
    [InlineData("merchants", "\"MerchantX\"", "must be an array of merchant names")]
    [InlineData("merchants", "[\"MerchantX\", 1]", "must contain only strings")]
    [InlineData("merchants", "[\"  \"]", "must contain only merchant ids of 1 to 256 characters, not '  '")]
    [InlineData("merchants", null, "is required")]
    [InlineData("timeZone", "\"Mars/Olympus_Mons\"", "'Mars/Olympus_Mons' is not a known IANA time zone id such as \"America/New_York\"")]
    [InlineData("timeZone", "\"../../../etc/passwd\"", "'../../../etc/passwd' is not a known IANA time zone id such as \"America/New_York\"")]
    [InlineData("timeZone", "\"\"", "'' is not a known IANA time zone id such as \"America/New_York\"")]
    [InlineData("timeZone", "-5", "must be null or a string")]
    [InlineData("validFrom", "\"2023-04-21\"", "must be null or an RFC 3339 date and time with 'Z' or an offset, e.g. \"2023-04-21T00:00:00Z\"")]
    [InlineData("validFrom", "\"2023-04-21T00:00:00\"", "must be null or an RFC 3339 date and time with 'Z' or an offset, e.g. \"2023-04-21T00:00:00Z\"")]
    [InlineData("validUntil", "\"2023-02-30T00:00:00Z\"", "must be null or an RFC 3339 date and time with 'Z' or an offset, e.g. \"2023-04-21T00:00:00Z\"")]
    [InlineData("validUntil", "\"tomorrow\"", "must be null or an RFC 3339 date and time with 'Z' or an offset, e.g. \"2023-04-21T00:00:00Z\"")]
    [InlineData("monthlyCapPerAccount", "0", "must be greater than 0")]
    [InlineData("monthlyCapPerAccount", "-1", "must be greater than 0")]
    [InlineData("monthlyCapPerAccount", "10.005", "must be a whole number of cents")]
    [InlineData("monthlyCapPerAccount", "\"10\"", "must be null or a number")]
    [InlineData("description", "[]", "must be null or a string")]
    [InlineData("minAmount", "15", "is not a field of a rule")]
    public void a_bad_field_of_a_rule_is_reported_with_the_rule_and_the_field(string field, string? jsonValue, string message)
    {
        var document = SeedDocumentWith(rule => Set(rule, field, jsonValue));

        var result = RuleSetDocument.Parse(document);

        Assert.False(result.IsValid);
        Assert.Null(result.RuleSet);
        Assert.Equal(new RuleSetFault(SeedRuleId, field, message), Assert.Single(result.Faults));
    }

    [Theory]
    [InlineData("\"Eastern Standard Time\"")]
    [InlineData("\"america/new_york\"")]
    public void a_time_zone_must_be_an_iana_id_as_spelled_in_the_database(string jsonValue)
    {
        var result = RuleSetDocument.Parse(SeedDocumentWith(rule => Set(rule, "timeZone", jsonValue)));

        var fault = Assert.Single(result.Faults);
        Assert.Equal((SeedRuleId, "timeZone"), (fault.RuleId, fault.Field));
    }

    [Fact]
    public void a_validity_window_ending_before_it_starts_is_a_fault_of_its_end()
    {
        var document = SeedDocumentWith(rule =>
        {
            rule["validFrom"] = "2023-05-01T00:00:00Z";
            rule["validUntil"] = "2023-04-30T23:59:59Z";
        });

        var fault = Assert.Single(RuleSetDocument.Parse(document).Faults);

        Assert.Equal(new RuleSetFault(SeedRuleId, "validUntil", "must not be before validFrom"), fault);
    }

    [Fact]
    public void a_validity_window_may_start_and_end_at_the_same_moment()
    {
        var document = SeedDocumentWith(rule =>
        {
            rule["validFrom"] = "2023-05-01T02:00:00+02:00";
            rule["validUntil"] = "2023-05-01T00:00:00Z";
        });

        Assert.True(RuleSetDocument.Parse(document).IsValid);
    }

    [Theory]
    [InlineData("\"Merchant X\"", "Merchant X")]
    [InlineData("\"UPPER\"", "UPPER")]
    [InlineData("\"\"", null)]
    [InlineData("5", null)]
    [InlineData(null, null)]
    public void a_bad_rule_id_is_reported_with_the_position_of_the_rule_when_it_cannot_name_it(string? jsonId, string? reportedRuleId)
    {
        var document = SeedDocumentWith(rule => Set(rule, "id", jsonId));

        var fault = Assert.Single(RuleSetDocument.Parse(document).Faults);

        Assert.Equal(reportedRuleId, fault.RuleId);
        Assert.Equal(reportedRuleId is null ? "rules[0].id" : "id", fault.Field);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("merchant-x_friday.2023")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void rule_ids_of_1_to_64_allowed_characters_are_accepted(string id)
    {
        Assert.True(RuleSetDocument.Parse(SeedDocumentWith(rule => rule["id"] = id)).IsValid);
    }

    [Fact]
    public void a_rule_id_of_65_characters_is_a_fault()
    {
        var id = new string('a', 65);

        var fault = Assert.Single(RuleSetDocument.Parse(SeedDocumentWith(rule => rule["id"] = id)).Faults);

        Assert.Equal(new RuleSetFault(id, "id", "must be 1 to 64 characters of a-z, 0-9, '-', '_' or '.'"), fault);
    }

    [Fact]
    public void a_duplicate_rule_id_is_reported_on_its_second_use()
    {
        var document = JsonNode.Parse(SeedDocument())!;
        var rules = document["rules"]!.AsArray();
        rules.Add(rules[0]!.DeepClone());

        var fault = Assert.Single(RuleSetDocument.Parse(document.ToJsonString()).Faults);

        Assert.Equal(new RuleSetFault(SeedRuleId, "id", "is used by more than one rule"), fault);
    }

    [Fact]
    public void a_field_given_twice_in_a_rule_is_a_fault()
    {
        var document = SeedDocument().Replace("\"percentage\": 10,", "\"percentage\": 10, \"percentage\": 20,", StringComparison.Ordinal);

        var fault = Assert.Single(RuleSetDocument.Parse(document).Faults);

        Assert.Equal(new RuleSetFault(SeedRuleId, "percentage", "appears more than once"), fault);
    }

    [Fact]
    public void every_fault_of_every_rule_is_reported_at_once()
    {
        var document = JsonNode.Parse(SeedDocument())!;
        var rules = document["rules"]!.AsArray();
        var second = rules[0]!.DeepClone();
        second["id"] = "second";
        second["currency"] = "dollars";
        rules.Add(second);
        rules[0]!["percentage"] = 0;
        rules[0]!["daysOfWeek"] = new JsonArray("Friday", "Caturday");
        document["version"] = -1;

        var faults = RuleSetDocument.Parse(document.ToJsonString()).Faults;

        Assert.Equal<RuleSetFault>(
            [
                new RuleSetFault(null, "version", "must be at least 1"),
                new RuleSetFault(SeedRuleId, "daysOfWeek", "'Caturday' is not a day of the week (Monday to Sunday)"),
                new RuleSetFault(SeedRuleId, "percentage", "must be greater than 0 and at most 100"),
                new RuleSetFault("second", "currency", "must be a three-letter ISO 4217 code, not 'dollars'"),
            ],
            faults);
    }

    [Theory]
    [InlineData("{\"version\": 1, \"rules\": [{\"id\": {\"nested\": [1, 2, 3]}}]}")]
    [InlineData("{\"version\": 1, \"rules\": [[[[[[]]]]]]}")]
    [InlineData("{\"version\": 99999999999999999999, \"rules\": [null]}")]
    [InlineData("{\"version\": 1, \"rules\": [{\"id\": \"x\", \"merchants\": [null], \"daysOfWeek\": [null], \"validFrom\": 5}]}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void hostile_documents_are_reported_as_faults_and_never_throw(string json)
    {
        var result = RuleSetDocument.Parse(json);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Faults);
    }

    private static string SeedDocument()
    {
        using var stream = typeof(DefaultRuleSet).Assembly.GetManifestResourceStream(DefaultRuleSet.ResourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string SeedDocumentWith(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(SeedDocument())!;
        change(document["rules"]![0]!.AsObject());
        return document.ToJsonString();
    }

    /// <summary>Sets a field to raw JSON, or removes it when <paramref name="jsonValue"/> is null.</summary>
    private static void Set(JsonObject rule, string field, string? jsonValue)
    {
        if (jsonValue is null)
        {
            rule.Remove(field);
        }
        else
        {
            rule[field] = JsonNode.Parse(jsonValue);
        }
    }
}
