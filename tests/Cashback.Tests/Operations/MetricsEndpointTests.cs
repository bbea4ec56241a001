using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Operations;

/// <summary>The scrape of a silo in its own process, as Prometheus reads it.</summary>
[Collection(LocalSiloCollection.Name)]
public sealed partial class MetricsEndpointTests(LocalSiloFixture silo)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task after_a_few_transactions_the_scrape_holds_outcomes_cashback_dead_letters_lag_write_latency_and_platform_meters()
    {
        using var kafka = new KafkaTestClient(silo.Process.KafkaBootstrapServers);
        const string earning = """{"transaction_id": "m-1", "customer_id": "metrics-1", "amount": 20, "transaction_timestamp": "2023-04-21T09:30:00Z", "merchant_id": "MerchantX"}""";
        const string notEarning = """{"transaction_id": "m-2", "customer_id": "metrics-1", "amount": 20, "transaction_timestamp": "2023-04-22T09:30:00Z", "merchant_id": "MerchantX"}""";
        await kafka.ProduceAsync("transactions", "metrics-1", earning);
        await kafka.ProduceAsync("transactions", "metrics-1", notEarning);
        await kafka.ProduceAsync("transactions", "metrics-1", earning); // sent again: a duplicate
        await kafka.ProduceAsync("transactions", "metrics-1", "{not json");
        using var client = new HttpClient { BaseAddress = new Uri(silo.Process.BaseAddress) };

        await Eventually.ReachesAsync(
            () => ScrapeAsync(client),
            text => Value(text, "cashback_transactions_total", "outcome=\"duplicate\"") >= 1
                    && Value(text, "cashback_transactions_total", "outcome=\"dead_lettered\"") >= 1,
            Deadline,
            "the duplicate and the dead letter in the scrape");

        // ASP.NET Core records a request once it has ended, so the first scrapes may not show themselves yet.
        var scrape = await Eventually.ReachesAsync(
            () => ScrapeAsync(client), text => text.Contains("\nhttp_server_request_duration_seconds_bucket{", StringComparison.Ordinal),
            Deadline, "ASP.NET Core's request metrics in the scrape");

        Assert.True(Value(scrape, "cashback_transactions_total", "outcome=\"earned\"") >= 1);
        Assert.True(Value(scrape, "cashback_transactions_total", "outcome=\"not_earned\"") >= 1);
        Assert.True(Value(scrape, "cashback_credited_total", "currency=\"USD\"") >= 2.00);
        Assert.True(Value(scrape, "cashback_dead_letters_total", "error=\"invalid_json\"") >= 1);
        Assert.NotNull(Value(scrape, "cashback_consumer_lag", "topic=\"transactions\""));
        Assert.True(Value(scrape, "cashback_grain_write_duration_seconds_count", "") >= 1); // one call per batch: the three may share one
        Assert.Contains("cashback_grain_write_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
        Assert.Contains("\norleans_", scrape, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The largest value among the series of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double? Value(string scrape, string metric, string label) =>
        SampleLine().Matches(scrape)
            .Where(sample => sample.Groups["name"].Value == metric && sample.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            .Select(sample => (double?)double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture))
            .Max();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
