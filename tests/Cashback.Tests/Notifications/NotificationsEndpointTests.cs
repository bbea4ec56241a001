using System.Net;
using System.Text;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Notifications;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Notifications;

// In the PostgreSQL collection, so that its silos never hold connections while other classes' silos run.
[Collection(PostgresCollection.Name)]
public sealed class NotificationsEndpointTests(NotificationsClusterFixture fixture) : IClassFixture<NotificationsClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private TwoSiloCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task a_subscriber_hears_its_accounts_credits_and_nothing_else_not_even_from_an_account_sharing_its_stream()
    {
        var mine = NewAccount();
        var other = AnotherAccountInTheBucketOf(mine);
        using var client = Cluster.First.CreateClient();
        await using var myStream = await NotificationStream.OpenAsync(client, mine);
        await using var otherStream = await NotificationStream.OpenAsync(client, other);
        var grains = TwoSiloCluster.GrainsOf(Cluster.First);

        await grains.GetGrain<IAccountGrain>(other).ApplyAsync(Purchase("o-1", other, 40m), null);
        await grains.GetGrain<IAccountGrain>(mine).ApplyAsync(Purchase("m-1", mine, 27.50m), null);
        await grains.GetGrain<IAccountGrain>(mine).ApplyAsync(Purchase("m-earns-nothing", mine, 14.99m), null);
        await grains.GetGrain<IAccountGrain>(mine).ApplyAsync(Purchase("m-2", mine, 15.55m), null);
        await grains.GetGrain<IAccountGrain>(other).ApplyAsync(Purchase("o-2", other, 50m), null);

        await otherStream.WaitForAsync(2, Deadline);
        var received = await myStream.WaitForAsync(2, Deadline);
        Assert.Equal(["m-1", "m-2"], received.Select(e => e.Id));
        Assert.Equal(["cashback_credited", "cashback_credited"], received.Select(e => e.Type));
        Assert.All(received, e => Assert.Equal(mine, e.Json.GetProperty("customer_id").GetString()));
        Assert.Equal(("2.75", "2.75"), (received[0].Json.GetProperty("cashback").GetString(), received[0].Json.GetProperty("balance").GetString()));
        Assert.Equal(("1.56", "4.31"), (received[1].Json.GetProperty("cashback").GetString(), received[1].Json.GetProperty("balance").GetString()));
        Assert.Equal(["o-1", "o-2"], otherStream.Received.Select(e => e.Id));
    }

    [Fact]
    public async Task the_credits_of_one_batch_reach_the_subscriber_together_in_order()
    {
        var account = NewAccount();
        using var client = Cluster.First.CreateClient();
        await using var stream = await NotificationStream.OpenAsync(client, account);
        var grains = TwoSiloCluster.GrainsOf(Cluster.First);

        await grains.GetGrain<IAccountGrain>(account).ApplyBatchAsync(
        [
            new(Purchase("b-1", account, 20m), null),
            new(Purchase("b-earns-nothing", account, 10m), null),
            new(Purchase("b-2", account, 30m), null),
            new(Purchase("b-3", account, 40m), null),
        ]);

        var received = await stream.WaitForAsync(3, Deadline);
        Assert.Equal(["b-1", "b-2", "b-3"], received.Select(e => e.Id));
        Assert.Equal(["2.00", "5.00", "9.00"], received.Select(e => e.Json.GetProperty("balance").GetString()));
    }

    [Fact]
    public async Task subscribers_on_either_silo_hear_the_account_wherever_its_grain_lives()
    {
        var account = NewAccount();
        using var firstClient = Cluster.First.CreateClient();
        using var secondClient = Cluster.Second.CreateClient();
        await using var onFirst = await NotificationStream.OpenAsync(firstClient, account);
        await using var onSecond = await NotificationStream.OpenAsync(secondClient, account);
        var grain = TwoSiloCluster.GrainsOf(Cluster.Second).GetGrain<IAccountGrain>(account);

        await grain.ApplyAsync(Purchase("p-1", account, 20m), null);
        await grain.ApplyAsync(Purchase("p-2", account, 30m), null);

        // The grain lives on one silo, so one of the two subscribers is on the other.
        Assert.Equal(["p-1", "p-2"], (await onFirst.WaitForAsync(2, Deadline)).Select(e => e.Id));
        Assert.Equal(["p-1", "p-2"], (await onSecond.WaitForAsync(2, Deadline)).Select(e => e.Id));
        var host = await TwoSiloCluster.GrainsOf(Cluster.First).GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        Assert.NotNull(host);
        var onTheOtherSilo = host == TwoSiloCluster.AddressOf(Cluster.First) ? onSecond : onFirst;
        Assert.Equal(2, onTheOtherSilo.Received.Count);
        Assert.All(onFirst.Received.Concat(onSecond.Received), e => Assert.Equal(account, e.Json.GetProperty("customer_id").GetString()));
    }

    [Fact]
    public async Task a_reconnect_with_last_event_id_first_replays_what_was_missed_then_goes_live()
    {
        var account = NewAccount();
        using var client = Cluster.First.CreateClient();
        var grain = TwoSiloCluster.GrainsOf(Cluster.First).GetGrain<IAccountGrain>(account);
        string lastSeen;
        await using (var first = await NotificationStream.OpenAsync(client, account))
        {
            await grain.ApplyAsync(Purchase("1", account, 20m), null);
            lastSeen = Assert.Single(await first.WaitForAsync(1, Deadline)).Id!;
        }

        // Missed while disconnected: a credit, a purchase that earns nothing, another credit.
        await grain.ApplyAsync(Purchase("2", account, 30m), null);
        await grain.ApplyAsync(Purchase("3", account, 5m), null);
        await grain.ApplyAsync(Purchase("4", account, 25m), null);

        await using var resumed = await NotificationStream.OpenAsync(client, account, lastEventId: lastSeen);
        await resumed.WaitForAsync(2, Deadline);
        await grain.ApplyAsync(Purchase("5", account, 40m), null);

        var received = await resumed.WaitForAsync(3, Deadline);
        Assert.Equal(["2", "4", "5"], received.Select(e => e.Id));
        Assert.Equal(["3.00", "2.50", "4.00"], received.Select(e => e.Json.GetProperty("cashback").GetString()));
        Assert.Equal(["5.00", "7.50", "11.50"], received.Select(e => e.Json.GetProperty("balance").GetString()));
    }

    [Fact]
    public async Task a_first_connection_resumes_from_the_lastEventId_query_parameter_as_browsers_cannot_send_the_header()
    {
        var account = NewAccount();
        using var client = Cluster.First.CreateClient();
        var grain = TwoSiloCluster.GrainsOf(Cluster.First).GetGrain<IAccountGrain>(account);
        await grain.ApplyAsync(Purchase("seen", account, 20m), null);
        await grain.ApplyAsync(Purchase("missed", account, 20m), null);

        await using var stream = await NotificationStream.OpenAsync(client, account, query: "?lastEventId=seen");

        Assert.Equal(["missed"], (await stream.WaitForAsync(1, Deadline)).Select(e => e.Id));
    }

    [Fact]
    public async Task a_replayed_event_is_the_same_json_as_the_live_one()
    {
        var account = NewAccount();
        using var client = Cluster.First.CreateClient();
        var grain = TwoSiloCluster.GrainsOf(Cluster.First).GetGrain<IAccountGrain>(account);
        await using var live = await NotificationStream.OpenAsync(client, account);
        await grain.ApplyAsync(Purchase("first", account, 20m), null);
        await grain.ApplyAsync(Purchase("second", account, 33.33m, at: new DateTimeOffset(2023, 4, 21, 23, 30, 0, TimeSpan.FromHours(-5))), null);
        var heard = await live.WaitForAsync(2, Deadline);

        await using var replay = await NotificationStream.OpenAsync(client, account, lastEventId: "first");
        var replayed = Assert.Single(await replay.WaitForAsync(1, Deadline));

        Assert.Equal((heard[1].Id, heard[1].Type), (replayed.Id, replayed.Type));
        var (expected, actual) = (heard[1].Json, replayed.Json);
        foreach (var field in expected.EnumerateObject().Where(f => f.Name != "processed_at"))
        {
            Assert.Equal(field.Value.ToString(), actual.GetProperty(field.Name).ToString());
        }

        // The audit table keeps microseconds; the live event has the clock's full precision.
        Assert.Equal(
            expected.GetProperty("processed_at").GetDateTimeOffset().UtcTicks / 10,
            actual.GetProperty("processed_at").GetDateTimeOffset().UtcTicks / 10);
        Assert.Equal("2023-04-21T23:30:00-05:00", actual.GetProperty("transaction_timestamp").GetString());
        Assert.Equal("33.33", actual.GetProperty("amount").GetString());
    }

    [Fact]
    public async Task an_event_id_unknown_to_the_account_streams_live_events_only()
    {
        var account = NewAccount();
        using var client = Cluster.First.CreateClient();
        var grain = TwoSiloCluster.GrainsOf(Cluster.First).GetGrain<IAccountGrain>(account);
        await using (var earlier = await NotificationStream.OpenAsync(client, account))
        {
            // Heard, hence delivered: an event published just before a subscription may still reach it.
            await grain.ApplyAsync(Purchase("before", account, 20m), null);
            await earlier.WaitForAsync(1, Deadline);
        }

        await using var stream = await NotificationStream.OpenAsync(client, account, lastEventId: "never-happened");
        await grain.ApplyAsync(Purchase("after", account, 20m), null);

        Assert.Equal(["after"], (await stream.WaitForAsync(1, Deadline)).Select(e => e.Id));
    }

    [Fact]
    public async Task the_events_of_a_transaction_from_kafka_carry_the_same_json_as_cashback_events()
    {
        var account = NewAccount();
        using var client = Cluster.First.CreateClient();
        await using var stream = await NotificationStream.OpenAsync(client, account);
        using var kafka = new KafkaTestClient(Cluster.Broker.BootstrapServers);

        await kafka.ProduceAsync("transactions", account,
            $$"""{"transaction_id": "k-1", "customer_id": "{{account}}", "amount": 20, "transaction_timestamp": "2023-04-21T09:30:00Z", "merchant_id": "MerchantX"}""");

        var heard = Assert.Single(await stream.WaitForAsync(1, Deadline));
        var published = await Eventually.ReachesAsync(
            () => Task.FromResult(kafka.ReadAll("cashback_events").Where(m => Encoding.UTF8.GetString(m.Message.Key!) == account).ToList()),
            messages => messages.Count >= 1, Deadline, "the event on cashback_events");
        Assert.Equal(Encoding.UTF8.GetString(Assert.Single(published).Message.Value!), heard.Data);
        Assert.Equal("k-1", heard.Id);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("semi;colon")]
    public async Task an_invalid_customer_id_is_a_bad_request_as_problem_json(string customerId)
    {
        using var client = Cluster.First.CreateClient();

        using var response = await client.GetAsync($"/accounts/{customerId}/notifications");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    private static string NewAccount() => $"sse-{Guid.NewGuid():N}";

    private static string AnotherAccountInTheBucketOf(string account)
    {
        var bucket = AccountNotificationStreams.BucketOf(account);
        return Enumerable.Range(0, 10_000).Select(i => $"{account}-{i}").First(other => AccountNotificationStreams.BucketOf(other) == bucket);
    }

    private static CardTransaction Purchase(string id, string customerId, decimal amount, DateTimeOffset? at = null) =>
        TestTransactions.Purchase(id, customerId, amount, at);
}
