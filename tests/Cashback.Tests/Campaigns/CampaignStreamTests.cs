using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Ingestor.Publishing;
using Cashback.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cashback.Tests.Campaigns;

[Collection(PostgresCollection.Name)]
public sealed class CampaignStreamTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    private const int IdempotencyWindow = 8; // small, so that most refunds and duplicates reach back past it
    private static readonly TimeSpan ProcessingDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task a_long_campaign_stream_gives_exactly_the_oracle_outcomes_balances_events_and_audit_rows()
    {
        var stream = CampaignStream.Create(transactions: 3_000, accounts: 24, seed: 2023);
        AssertTheStreamExercisesEveryCase(stream);
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database, CampaignRuleSet.SettingsLoadingIt(IdempotencyWindow));

        var firstOutcomes = new ConcurrentDictionary<string, (CardTransaction Transaction, TransactionOutcome Outcome)>();
        var duplicatesAnswered = 0;
        await Parallel.ForEachAsync(stream.Sent.GroupBy(t => t.CustomerId), async (account, _) =>
        {
            var grain = cluster.Grains.GetGrain<IAccountGrain>(account.Key);
            foreach (var transaction in account)
            {
                var outcome = await grain.ApplyAsync(transaction, null);
                if (outcome.WasDuplicate)
                {
                    Interlocked.Increment(ref duplicatesAnswered);
                }
                else
                {
                    Assert.True(firstOutcomes.TryAdd(transaction.TransactionId, (transaction, outcome)), $"{transaction.TransactionId} applied twice");
                }
            }
        });

        Assert.Equal(stream.Duplicates, duplicatesAnswered);
        foreach (var expected in stream.Expected)
        {
            var (transaction, outcome) = firstOutcomes[expected.TransactionId];
            Assert.Equal(
                Describe(expected.TransactionId, expected.Cashback, expected.Reason, expected.RuleId, expected.RuleSetVersion, expected.BalanceAfter),
                Describe(transaction.TransactionId, outcome.Cashback, outcome.Reason, outcome.RuleId, outcome.RuleSetVersion, outcome.Balance));
            var cashbackEvent = outcome.OwesEventFor(null) ? CashbackEvent.From(transaction, outcome) : null;
            Assert.Equal(expected.EventId, cashbackEvent?.EventId);
            if (cashbackEvent is not null)
            {
                Assert.Equal(ExpectedEvent(expected), Describe(cashbackEvent));
            }
        }

        await AssertBalancesMatchAsync(cluster.Grains, stream);
        await AssertAuditRowsMatchAsync(database, stream);
    }

    [Fact]
    public async Task a_campaign_stream_through_kafka_gives_exactly_the_oracle_events_balances_and_audit_rows()
    {
        var stream = CampaignStream.Create(transactions: 1_500, accounts: 12, seed: 1103);
        AssertTheStreamExercisesEveryCase(stream);
        await using var pipeline = await PipelineHarness.StartAsync(postgres, CampaignRuleSet.SettingsLoadingIt(IdempotencyWindow));

        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Sent.Select(CampaignStream.MessageOf));
        await Eventually.ReachesAsync(pipeline.AuditRowCountAsync, count => count >= stream.Expected.Count, ProcessingDeadline,
            $"{stream.Expected.Count} audit rows");
        var expectedEvents = stream.Expected.Where(e => e.EventId is not null).ToDictionary(e => e.EventId!);
        var events = await Eventually.ReachesAsync(() => Task.FromResult(pipeline.Kafka.ReadAll("cashback_events")),
            all => all.Count >= expectedEvents.Count, ProcessingDeadline, $"{expectedEvents.Count} cashback events");

        var published = events.Select(e => JsonDocument.Parse(e.Message.Value!).RootElement).ToList();
        Assert.Equal(expectedEvents.Count, published.Count); // nothing repeated on a clean run
        Assert.Equal(expectedEvents.Keys.Order(), published.Select(e => e.GetProperty("event_id").GetString()!).Order());
        foreach (var body in published)
        {
            var expected = expectedEvents[body.GetProperty("event_id").GetString()!];
            Assert.Equal(ExpectedEvent(expected), Describe(body));
            Assert.Equal(expected.CustomerId, body.GetProperty("customer_id").GetString());
        }

        await AssertBalancesMatchAsync(pipeline.Grains, stream);
        await AssertAuditRowsMatchAsync(pipeline.Database, stream);
        Assert.Empty(pipeline.Kafka.ReadAll("transactions.dlq"));
        output.WriteLine($"{stream.Sent.Count} messages ({stream.Duplicates} duplicates), {expectedEvents.Count} events");
    }

    private void AssertTheStreamExercisesEveryCase(CampaignStream stream)
    {
        var reasons = stream.Expected.GroupBy(e => e.Reason).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", reasons.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}")));
        string[] mustOccur =
        [
            "earned", "merchant_not_eligible", "currency_not_eligible", "amount_below_minimum", "day_not_eligible",
            "outside_validity_window", "monthly_cap_reached", "reversed", "refund_of_unknown_purchase", "refund_of_a_refund",
            "refund_of_non_earning_purchase", "refund_currency_mismatch", "cashback_already_reversed", "reversal_below_one_cent",
        ];
        Assert.All(mustOccur, reason => Assert.True(reasons.ContainsKey(reason), $"the stream never gives {reason}"));

        var winners = stream.Expected.Where(e => e.Cashback > 0).Select(e => e.RuleId).ToHashSet();
        Assert.Equal(["berlin-summer", "merchant-x-friday", "ny-friday-boost", "ny-weekend", "tokyo-everyday"], winners.Order());
        Assert.Contains(stream.Expected, e => e.Cashback < 0 && e.CapPeriod is not null); // a reversal gives cap room back
        Assert.Contains(stream.Expected, e => e.Cashback > 0 && e.CapPeriod is not null && e.Cashback % 1m != 0 && e.Reason == "earned");
    }

    private static async Task AssertBalancesMatchAsync(IGrainFactory grains, CampaignStream stream)
    {
        foreach (var account in stream.Expected.GroupBy(e => e.CustomerId))
        {
            var balance = await grains.GetGrain<IAccountGrain>(account.Key).GetBalanceAsync();
            Assert.NotNull(balance);
            Assert.Equal(
                (account.Last().BalanceAfter, account.Where(e => e.Cashback > 0).Sum(e => e.Cashback), (long)account.Count()),
                (balance.Balance, balance.LifetimeCashback, balance.TransactionsProcessed));
        }
    }

    private static async Task AssertAuditRowsMatchAsync(string database, CampaignStream stream)
    {
        var rows = await Sql.QueryAsync(database,
            """
            SELECT transaction_id, type, eligible, cashback, reason, rule_id, rule_set_version, cap_period, balance_after
            FROM cashback_transactions
            """,
            r => new
            {
                TransactionId = r.GetString(0),
                Row = string.Join(" ",
                    r.GetString(1), r.GetBoolean(2) ? "eligible" : "not-eligible", r.GetDecimal(3).ToString("0.00", CultureInfo.InvariantCulture),
                    r.GetString(4), r.IsDBNull(5) ? "-" : r.GetString(5), $"v{r.GetInt32(6)}", r.IsDBNull(7) ? "-" : r.GetString(7),
                    r.GetDecimal(8).ToString("0.00", CultureInfo.InvariantCulture)),
            });
        var actual = rows.ToDictionary(r => r.TransactionId, r => r.Row);

        Assert.Equal(stream.Expected.Count, actual.Count);
        foreach (var expected in stream.Expected)
        {
            var row = string.Join(" ",
                expected.Type == TransactionType.Refund ? "refund" : "purchase", expected.Cashback > 0 ? "eligible" : "not-eligible",
                expected.Cashback.ToString("0.00", CultureInfo.InvariantCulture), expected.Reason, expected.RuleId ?? "-",
                $"v{expected.RuleSetVersion}", expected.CapPeriod ?? "-", expected.BalanceAfter.ToString("0.00", CultureInfo.InvariantCulture));
            Assert.Equal($"{expected.TransactionId}: {row}", $"{expected.TransactionId}: {actual.GetValueOrDefault(expected.TransactionId)}");
        }
    }

    private static string Describe(string transactionId, decimal cashback, string reason, string? ruleId, int ruleSetVersion, decimal balance) =>
        $"{transactionId}: {Money(cashback)} {reason} {ruleId} v{ruleSetVersion} -> {Money(balance)}";

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string ExpectedEvent(ExpectedOutcome expected) => string.Join(" ",
        expected.EventId, expected.EventType, expected.TransactionId, expected.Cashback.ToString("0.00", CultureInfo.InvariantCulture),
        expected.RuleId, $"v{expected.RuleSetVersion}", expected.BalanceAfter.ToString("0.00", CultureInfo.InvariantCulture));

    private static string Describe(CashbackEvent published) => string.Join(" ",
        published.EventId, published.EventType, published.TransactionId, published.Cashback, published.RuleId, $"v{published.RuleSetVersion}", published.Balance);

    private static string Describe(JsonElement published) => string.Join(" ",
        published.GetProperty("event_id").GetString(), published.GetProperty("event_type").GetString(),
        published.GetProperty("transaction_id").GetString(), published.GetProperty("cashback").GetString(),
        published.GetProperty("rule_id").GetString(), $"v{published.GetProperty("rule_set_version").GetInt32()}",
        published.GetProperty("balance").GetString());
}
