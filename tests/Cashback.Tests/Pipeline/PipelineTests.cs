using System.Text;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Silo.Database;
using Cashback.Silo.LocalMode;
using Cashback.Tests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Cashback.Tests.Pipeline;

[Collection(PostgresCollection.Name)]
public sealed class PipelineTests(PostgresServerFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessingDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task the_seed_samples_give_exactly_the_expected_events_and_balances()
    {
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        string[] samples =
        [
            """{"transaction_id": "1", "customer_id": "123", "amount": 20, "transaction_timestamp": "2023-04-21T09:30:00Z", "merchant_id": "MerchantX"}""",
            """{"transaction_id": "2", "customer_id": "456", "amount": 10, "transaction_timestamp": "2023-04-21T10:00:00Z", "merchant_id": "MerchantX"}""",
            """{"transaction_id": "3", "customer_id": "123", "amount": 30, "transaction_timestamp": "2023-04-22T11:00:00Z", "merchant_id": "MerchantX"}""",
            """{"transaction_id": "4", "customer_id": "789", "amount": 25, "transaction_timestamp": "2023-04-21T12:00:00Z", "merchant_id": "MerchantY"}""",
        ];
        foreach (var sample in samples)
        {
            var customer = JsonDocument.Parse(sample).RootElement.GetProperty("customer_id").GetString();
            await pipeline.Kafka.ProduceAsync("transactions", customer, sample);
        }

        await Eventually.ReachesAsync(pipeline.AuditRowCountAsync, count => count == 4, ProcessingDeadline, "4 audit rows");
        var events = await Eventually.ReachesAsync(
            () => Task.FromResult(pipeline.Kafka.ReadAll("cashback_events")), e => e.Count >= 1, ProcessingDeadline, "the cashback event");

        var credited = Assert.Single(events);
        Assert.Equal("123", Encoding.UTF8.GetString(credited.Message.Key!));
        var body = JsonDocument.Parse(credited.Message.Value!).RootElement;
        Assert.Equal("1", body.GetProperty("event_id").GetString());
        Assert.Equal("cashback_credited", body.GetProperty("event_type").GetString());
        Assert.Equal("1", body.GetProperty("transaction_id").GetString());
        Assert.Equal("123", body.GetProperty("customer_id").GetString());
        Assert.Equal("MerchantX", body.GetProperty("merchant_id").GetString());
        Assert.Equal("2023-04-21T09:30:00Z", body.GetProperty("transaction_timestamp").GetString());
        Assert.Equal("20.00", body.GetProperty("amount").GetString());
        Assert.Equal("2.00", body.GetProperty("cashback").GetString());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Equal("merchant-x-friday", body.GetProperty("rule_id").GetString());
        Assert.Equal(1, body.GetProperty("rule_set_version").GetInt32());
        Assert.Equal("2.00", body.GetProperty("balance").GetString());
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("processed_at").GetString(), out _));

        Assert.Equal(2.00m, (await pipeline.Grains.GetGrain<IAccountGrain>("123").GetBalanceAsync())!.Balance);
        Assert.Equal(0m, (await pipeline.Grains.GetGrain<IAccountGrain>("456").GetBalanceAsync())!.Balance);
        Assert.Equal(0m, (await pipeline.Grains.GetGrain<IAccountGrain>("789").GetBalanceAsync())!.Balance);
        Assert.Empty(pipeline.Kafka.ReadAll("transactions.dlq"));
    }

    [Fact]
    public async Task a_generated_stream_with_duplicates_and_invalid_messages_matches_the_oracle()
    {
        var stream = GeneratedStream.Create(transactions: 10_000, accounts: 1_000, seed: 20230421);
        await using var pipeline = await PipelineHarness.StartAsync(postgres);

        var started = DateTime.UtcNow;
        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Messages);
        await WaitUntilEverythingIsProcessedAsync(pipeline, stream);
        output.WriteLine($"{stream.Messages.Count} messages ({stream.DuplicatesSent} duplicates, {stream.ExpectedDeadLetters.Count} invalid) processed in {DateTime.UtcNow - started}");

        await AssertMatchesOracleAsync(pipeline, stream, maxRepeatedEvents: 0);
    }

    [Fact]
    public async Task a_silo_stopped_gracefully_mid_stream_and_replaced_loses_nothing_and_repeats_nothing()
    {
        var stream = GeneratedStream.Create(transactions: 6_000, accounts: 600, seed: 7);
        await using var pipeline = await PipelineHarness.StartAsync(postgres);
        var half = stream.Messages.Count / 2;

        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Messages.Take(half));
        await Eventually.ReachesAsync(pipeline.AuditRowCountAsync, count => count >= 500, ProcessingDeadline, "the first 500 audit rows");
        await pipeline.RestartSiloAsync();
        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Messages.Skip(half));
        await WaitUntilEverythingIsProcessedAsync(pipeline, stream);

        await AssertMatchesOracleAsync(pipeline, stream, maxRepeatedEvents: 0);
    }

    [Fact]
    public async Task postgresql_down_for_five_seconds_mid_stream_pauses_processing_which_then_resumes_losing_nothing()
    {
        var stream = GeneratedStream.Create(transactions: 4_000, accounts: 400, seed: 5);
        await using var server = await ThrowawayPostgres.StartAsync(new ThrowawayPostgresOptions { Fsync = false }, null, CancellationToken.None);
        var database = await server.CreateDatabaseAsync("outage");
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).ApplyAsync(database, CancellationToken.None);
        await using var pipeline = PipelineHarness.StartOn(database);
        var half = stream.Messages.Count / 2;

        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Messages.Take(half));
        await Eventually.ReachesAsync(pipeline.AuditRowCountAsync, count => count >= 300, ProcessingDeadline, "the first 300 audit rows");
        await server.SuspendAsync();
        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Messages.Skip(half));
        await Task.Delay(OutageLength); // the length of the outage under test, not a synchronisation
        await server.ResumeAsync();
        await WaitUntilEverythingIsProcessedAsync(pipeline, stream);

        await AssertMatchesOracleAsync(pipeline, stream, maxRepeatedEvents: null);
    }

    [Fact]
    public async Task kafka_down_for_five_seconds_mid_stream_pauses_processing_which_then_resumes_losing_nothing()
    {
        var stream = GeneratedStream.Create(transactions: 4_000, accounts: 400, seed: 11);
        await using var pipeline = await PipelineHarness.StartAsync(postgres);

        await pipeline.Kafka.ProduceAllAsync("transactions", stream.Messages);
        await Eventually.ReachesAsync(pipeline.AuditRowCountAsync, count => count >= 300, ProcessingDeadline, "the first 300 audit rows");
        pipeline.Broker.SetAvailable(false);
        await Task.Delay(OutageLength); // the length of the outage under test, not a synchronisation
        pipeline.Broker.SetAvailable(true);
        await WaitUntilEverythingIsProcessedAsync(pipeline, stream);

        await AssertMatchesOracleAsync(pipeline, stream, maxRepeatedEvents: null);
    }

    private static async Task WaitUntilEverythingIsProcessedAsync(PipelineHarness pipeline, GeneratedStream stream)
    {
        await Eventually.ReachesAsync(pipeline.AuditRowCountAsync, count => count >= stream.Expected.Count, ProcessingDeadline,
            $"{stream.Expected.Count} audit rows");
        var expectedEvents = stream.Expected.Values.Count(cashback => cashback != 0);
        await Eventually.ReachesAsync(() => Task.FromResult(pipeline.Kafka.ReadAll("cashback_events").Count), count => count >= expectedEvents,
            ProcessingDeadline, $"{expectedEvents} cashback events");
        await Eventually.ReachesAsync(() => Task.FromResult(pipeline.Kafka.ReadAll("transactions.dlq").Count), count => count >= stream.ExpectedDeadLetters.Count,
            ProcessingDeadline, $"{stream.ExpectedDeadLetters.Count} dead letters");
    }

    private async Task AssertMatchesOracleAsync(PipelineHarness pipeline, GeneratedStream stream, int? maxRepeatedEvents)
    {
        // Audit: exactly one row per unique valid transaction, with the oracle's cashback.
        Assert.Equal(stream.Expected.Count, await pipeline.AuditRowCountAsync());
        var expectedPerAccount = stream.Expected
            .GroupBy(e => e.Key.Customer)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        Assert.Equal(expectedPerAccount.OrderBy(e => e.Key), (await pipeline.AuditCashbackPerAccountAsync()).OrderBy(e => e.Key));

        // Balances: what the grains hold equals the oracle.
        foreach (var (account, expected) in expectedPerAccount)
        {
            var balance = await pipeline.Grains.GetGrain<IAccountGrain>(account).GetBalanceAsync();
            Assert.True(balance is not null && balance.Balance == expected, $"{account}: expected {expected}, got {balance?.Balance}");
        }

        // Events: one distinct event per earning transaction, with the oracle's cashback; repeats only counted.
        var events = pipeline.Kafka.ReadAll("cashback_events")
            .Select(e => JsonDocument.Parse(e.Message.Value!).RootElement)
            .ToList();
        var distinct = events
            .GroupBy(e => e.GetProperty("event_id").GetString()!)
            .ToDictionary(g => g.Key, g => g.First());
        var expectedEvents = stream.Expected.Where(e => e.Value != 0).ToDictionary(e => e.Key.Transaction, e => e.Value);
        Assert.Equal(expectedEvents.Keys.Order(), distinct.Keys.Order());
        foreach (var (eventId, body) in distinct)
        {
            Assert.Equal(expectedEvents[eventId], decimal.Parse(body.GetProperty("cashback").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }

        var repeated = events.Count - distinct.Count;
        output.WriteLine($"{distinct.Count} distinct events, {repeated} repeated");
        if (maxRepeatedEvents is { } max)
        {
            Assert.True(repeated <= max, $"{repeated} repeated events");
        }

        // Dead letters: every invalid message, with its error code and source headers; nothing else. A redelivered
        // invalid message is dead-lettered again with the same source position: counted like repeated events.
        var deadLetters = pipeline.Kafka.ReadAll("transactions.dlq");
        var distinctLetters = deadLetters
            .GroupBy(letter => (Header(letter, "source_partition"), Header(letter, "source_offset")))
            .Select(g => g.First())
            .ToList();
        Assert.Equal(stream.ExpectedDeadLetters.Count, distinctLetters.Count);
        foreach (var letter in distinctLetters)
        {
            var value = Encoding.UTF8.GetString(letter.Message.Value!);
            Assert.True(stream.ExpectedDeadLetters.TryGetValue(value, out var code), $"unexpected dead letter {value}");
            Assert.Equal(code, Header(letter, "error"));
            Assert.Equal("transactions", Header(letter, "source_topic"));
            Assert.NotNull(Header(letter, "source_partition"));
            Assert.NotNull(Header(letter, "source_offset"));
            Assert.False(string.IsNullOrEmpty(Header(letter, "error_detail")));
        }

        var repeatedLetters = deadLetters.Count - distinctLetters.Count;
        output.WriteLine($"{distinctLetters.Count} distinct dead letters, {repeatedLetters} repeated");
        if (maxRepeatedEvents is { } maxLetters)
        {
            Assert.True(repeatedLetters <= maxLetters, $"{repeatedLetters} repeated dead letters");
        }
    }

    private static string? Header(ConsumeResult<byte[]?, byte[]?> message, string name) =>
        message.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
