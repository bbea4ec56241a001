using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Silo.Notifications;
using Cashback.Tests.Infrastructure;
using Npgsql;

namespace Cashback.Tests.Notifications;

/// <summary>What a reconnecting client is replayed: the account's credits and reversals after its Last-Event-ID.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CashbackReplayTests(PostgresServerFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2023, 4, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task after_a_credit_come_the_later_credits_and_reversals_oldest_first_without_the_ones_that_earned_nothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var history = await AccountWithHistoryAsync(dataSource);

        var after = await ReplayAfterAsync(history, "p1");

        Assert.Equal(["r1", "p3"], after.Select(e => e.TransactionId));
        Assert.Equal([-1.00m, 3.00m], after.Select(e => e.Cashback));
    }

    [Fact]
    public async Task a_reversal_event_id_resumes_after_that_reversal()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var history = await AccountWithHistoryAsync(dataSource);

        Assert.Equal(["p3"], (await ReplayAfterAsync(history, "r1:reversal")).Select(e => e.TransactionId));
    }

    [Fact]
    public async Task an_event_id_of_another_account_or_of_a_transaction_that_earned_nothing_is_unknown()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var history = await AccountWithHistoryAsync(dataSource);

        Assert.Null(await history.FindCashbackPositionAsync("someone-else", "p1", null));
        Assert.Null(await history.FindCashbackPositionAsync("acct", "p2", null));
        var reversalThatNeverHappened = CashbackEventId.Parse("p1:reversal");
        Assert.Null(await history.FindCashbackPositionAsync("acct", reversalThatNeverHappened.CreditTransactionId, reversalThatNeverHappened.ReversalTransactionId));
    }

    [Theory]
    [InlineData("p1", "p1", null)]
    [InlineData("r1:reversal", "r1:reversal", "r1")]
    [InlineData(":reversal", ":reversal", null)]
    public void an_event_id_names_a_credit_or_the_reversal_of_the_transaction_before_its_suffix(string eventId, string credit, string? reversal) =>
        Assert.Equal(new CashbackEventId(credit, reversal), CashbackEventId.Parse(eventId));

    private static async Task<IReadOnlyList<AuditEntry>> ReplayAfterAsync(AuditHistory history, string lastEventId)
    {
        var eventId = CashbackEventId.Parse(lastEventId);
        var position = await history.FindCashbackPositionAsync("acct", eventId.CreditTransactionId, eventId.ReversalTransactionId);
        Assert.NotNull(position);
        return await history.ReadCashbackAfterAsync("acct", position, limit: 100);
    }

    /// <summary>p1 earns 2.00, p2 nothing, r1 reverses 1.00 of p1, p3 earns 3.00, in that order.</summary>
    private static async Task<AuditHistory> AccountWithHistoryAsync(NpgsqlDataSource dataSource)
    {
        await using var auditLog = new PostgresAuditLog(dataSource);
        IAuditLog log = auditLog;
        var balance = 0m;
        var minute = 0;
        foreach (var (id, type, amount, cashback) in new[]
        {
            ("p1", TransactionType.Purchase, 20m, 2.00m),
            ("p2", TransactionType.Purchase, 5m, 0m),
            ("r1", TransactionType.Refund, 10m, -1.00m),
            ("p3", TransactionType.Purchase, 30m, 3.00m),
        })
        {
            balance += cashback;
            var transaction = new CardTransaction(id, "acct", amount, Start, "MerchantX", "USD", type, type == TransactionType.Refund ? "p1" : null);
            var outcome = new TransactionOutcome(id, cashback, cashback == 0 ? "below_minimum_amount" : "earned", cashback == 0 ? null : "merchant-x-friday",
                1, balance, Start.AddMinutes(++minute), WasDuplicate: false, Source: null);
            await log.RecordAsync([new AuditRecord(transaction, outcome, null, CapPeriod: null)]);
        }

        return new AuditHistory(dataSource);
    }
}
