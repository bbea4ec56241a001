using System.Globalization;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Tests.Infrastructure;
using static Cashback.Tests.Infrastructure.TestTransactions;

namespace Cashback.Tests.Refunds;

[Collection(PostgresCollection.Name)]
public sealed class RefundTests(PostgresServerFixture postgres)
{
    /// <summary>10 % every day in New York time, at most $5.00 per account and month.</summary>
    private const string CappedRuleSet = """
        {
          "version": 3,
          "rules": [
            {
              "id": "ny-capped",
              "merchants": ["MerchantX"],
              "minimumAmount": 0.01,
              "currency": "USD",
              "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
              "timeZone": "America/New_York",
              "percentage": 10,
              "monthlyCapPerAccount": 5.00
            }
          ]
        }
        """;

    [Fact]
    public async Task two_half_refunds_reverse_the_cashback_and_a_third_reverses_nothing_more()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("halves");
        await account.ApplyAsync(Purchase("p-1", "halves", 27.50m), null); // earns 2.75

        var first = await account.ApplyAsync(Refund("r-1", "halves", 13.75m, "p-1"), null); // 1.375 → 1.38
        var second = await account.ApplyAsync(Refund("r-2", "halves", 13.75m, "p-1"), null); // 1.38 again, only 1.37 left
        var third = await account.ApplyAsync(Refund("r-3", "halves", 13.75m, "p-1"), null);

        Assert.Equal((-1.38m, "reversed", "merchant-x-friday", 1.37m), (first.Cashback, first.Reason, first.RuleId, first.Balance));
        Assert.Equal((-1.37m, "reversed", "merchant-x-friday", 0.00m), (second.Cashback, second.Reason, second.RuleId, second.Balance));
        Assert.Equal((0m, "cashback_already_reversed", (string?)null, 0.00m), (third.Cashback, third.Reason, third.RuleId, third.Balance));
        Assert.True(first.OwesEventFor(null) && second.OwesEventFor(null));
        Assert.False(third.OwesEventFor(null));

        var rows = await AuditRowsAsync(database, "halves");
        Assert.Equal(
            [
                ("p-1", "purchase", null, true, 2.75m, "earned", "merchant-x-friday", 2.75m),
                ("r-1", "refund", "p-1", false, -1.38m, "reversed", "merchant-x-friday", 1.37m),
                ("r-2", "refund", "p-1", false, -1.37m, "reversed", "merchant-x-friday", 0.00m),
                ("r-3", "refund", "p-1", false, 0.00m, "cashback_already_reversed", null, 0.00m),
            ],
            rows);
        var balance = await account.GetBalanceAsync();
        Assert.Equal((0.00m, 2.75m, 4L), (balance!.Balance, balance.LifetimeCashback, balance.TransactionsProcessed));
    }

    [Fact]
    public async Task a_refund_of_more_than_was_paid_reverses_exactly_the_original_cashback()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("over");
        await account.ApplyAsync(Purchase("p-1", "over", 15.55m), null); // earns 1.56
        await account.ApplyAsync(Purchase("p-2", "over", 20m), null); // earns 2.00

        var refund = await account.ApplyAsync(Refund("r-1", "over", 100m, "p-1"), null);

        Assert.Equal((-1.56m, 2.00m), (refund.Cashback, refund.Balance));
    }

    [Fact]
    public async Task a_refund_before_its_purchase_is_recorded_as_of_an_unknown_purchase_and_the_purchase_then_earns_in_full()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("early");

        var refund = await account.ApplyAsync(Refund("r-1", "early", 20m, "p-1"), null);
        var purchase = await account.ApplyAsync(Purchase("p-1", "early", 20m), null);

        Assert.Equal((0m, "refund_of_unknown_purchase", (string?)null), (refund.Cashback, refund.Reason, refund.RuleId));
        Assert.False(refund.OwesEventFor(null));
        Assert.Equal((2.00m, "earned", 2.00m), (purchase.Cashback, purchase.Reason, purchase.Balance));
        Assert.Equal(("r-1", "refund", "p-1", false, 0.00m, "refund_of_unknown_purchase", (string?)null, 0.00m), (await AuditRowsAsync(database, "early"))[1]);
    }

    [Fact]
    public async Task refunds_of_a_purchase_that_earned_nothing_of_a_refund_or_in_another_currency_reverse_nothing_and_are_audited()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("nothing");
        await account.ApplyAsync(Purchase("p-small", "nothing", 14.99m), null);
        await account.ApplyAsync(Purchase("p-big", "nothing", 30m), null); // earns 3.00
        await account.ApplyAsync(Refund("r-1", "nothing", 15m, "p-big"), null); // -1.50

        var ofNonEarning = await account.ApplyAsync(Refund("r-2", "nothing", 14.99m, "p-small"), null);
        var ofRefund = await account.ApplyAsync(Refund("r-3", "nothing", 15m, "r-1"), null);
        var inEuros = await account.ApplyAsync(Refund("r-4", "nothing", 15m, "p-big", currency: "EUR"), null);
        var tiny = await account.ApplyAsync(Refund("r-5", "nothing", 0.01m, "p-big"), null); // 0.001 rounds to nothing

        Assert.Equal(
            ["refund_of_non_earning_purchase", "refund_of_a_refund", "refund_currency_mismatch", "reversal_below_one_cent"],
            [ofNonEarning.Reason, ofRefund.Reason, inEuros.Reason, tiny.Reason]);
        Assert.All([ofNonEarning, ofRefund, inEuros, tiny], outcome => Assert.Equal((0m, 1.50m), (outcome.Cashback, outcome.Balance)));
        var rows = await AuditRowsAsync(database, "nothing");
        Assert.Equal(7, rows.Count);
        Assert.Equal(1.50m, rows.Sum(r => r.Cashback));
    }

    [Fact]
    public async Task a_refund_sent_again_changes_nothing_and_answers_with_its_first_reversal()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database);
        var account = cluster.Grains.GetGrain<IAccountGrain>("again");
        await account.ApplyAsync(Purchase("p-1", "again", 40m), null);
        var refund = Refund("r-1", "again", 10m, "p-1");
        var source = new SourcePosition("transactions", 0, 7);

        var first = await account.ApplyAsync(refund, source);
        var redelivered = await account.ApplyAsync(refund, source);
        var resent = await account.ApplyAsync(refund, new SourcePosition("transactions", 0, 8));

        Assert.Equal(-1.00m, first.Cashback);
        Assert.Equal(first with { WasDuplicate = true }, redelivered);
        Assert.True(redelivered.OwesEventFor(source)); // the reversal event may have been lost with a silo
        Assert.False(resent.OwesEventFor(new SourcePosition("transactions", 0, 8)));
        Assert.Equal(3.00m, (await account.GetBalanceAsync())!.Balance);
    }

    [Fact]
    public async Task a_refund_of_a_purchase_older_than_the_idempotency_window_is_found_in_the_audit_table_with_its_earlier_refunds()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database, new Dictionary<string, string?> { ["Accounts:IdempotencyWindow"] = "2" });
        var account = cluster.Grains.GetGrain<IAccountGrain>("old");
        await account.ApplyAsync(Purchase("p-old", "old", 50m), null); // earns 5.00
        await ApplyPurchasesAsync(account, "old", "a", count: 3);

        var firstRefund = await account.ApplyAsync(Refund("r-1", "old", 20m, "p-old"), null); // 2.00, p-old out of the window
        await ApplyPurchasesAsync(account, "old", "b", count: 3);
        var secondRefund = await account.ApplyAsync(Refund("r-2", "old", 50m, "p-old"), null); // r-1 is out of the window too
        var thirdRefund = await account.ApplyAsync(Refund("r-3", "old", 50m, "p-old"), null); // r-2 in the window, p-old not

        Assert.Equal(-2.00m, firstRefund.Cashback);
        Assert.Equal(-3.00m, secondRefund.Cashback);
        Assert.Equal((0m, "cashback_already_reversed"), (thirdRefund.Cashback, thirdRefund.Reason));
        Assert.Equal(6 * 2.00m, (await account.GetBalanceAsync())!.Balance);
    }

    [Fact]
    public async Task a_refund_of_an_unknown_purchase_is_told_apart_from_an_old_one_once_the_account_outgrew_its_window()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database, new Dictionary<string, string?> { ["Accounts:IdempotencyWindow"] = "1" });
        var account = cluster.Grains.GetGrain<IAccountGrain>("outgrown");
        await ApplyPurchasesAsync(account, "outgrown", "a", count: 3);

        var unknown = await account.ApplyAsync(Refund("r-1", "outgrown", 20m, "nobody-bought-this"), null);
        var old = await account.ApplyAsync(Refund("r-2", "outgrown", 20m, "a-0"), null);

        Assert.Equal("refund_of_unknown_purchase", unknown.Reason);
        Assert.Equal((-2.00m, "reversed"), (old.Cashback, old.Reason));
    }

    [Fact]
    public async Task a_reversal_gives_the_monthly_cap_room_back_to_the_month_of_the_purchase_in_the_rule_zone()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var cluster = await AccountTestCluster.StartAsync(database, RuleSetFile.SettingsLoading(CappedRuleSet, idempotencyWindow: 2));
        var account = cluster.Grains.GetGrain<IAccountGrain>("capped");
        var lastHourOfMarchInNewYork = DateTimeOffset.Parse("2023-04-01T03:30:00Z", CultureInfo.InvariantCulture); // 23:30 EDT on 31 March
        var firstHourOfAprilInNewYork = DateTimeOffset.Parse("2023-04-01T04:30:00Z", CultureInfo.InvariantCulture);

        var march1 = await account.ApplyAsync(Purchase("m-1", "capped", 40m, lastHourOfMarchInNewYork), null);
        var march2 = await account.ApplyAsync(Purchase("m-2", "capped", 40m, lastHourOfMarchInNewYork), null);
        var march3 = await account.ApplyAsync(Purchase("m-3", "capped", 40m, lastHourOfMarchInNewYork), null);
        var april1 = await account.ApplyAsync(Purchase("a-1", "capped", 40m, firstHourOfAprilInNewYork), null);
        var refund = await account.ApplyAsync(Refund("r-1", "capped", 40m, "m-1", firstHourOfAprilInNewYork), null); // via the audit table
        var march4 = await account.ApplyAsync(Purchase("m-4", "capped", 60m, lastHourOfMarchInNewYork), null);
        var april2 = await account.ApplyAsync(Purchase("a-2", "capped", 40m, firstHourOfAprilInNewYork), null);

        Assert.Equal((4.00m, "earned"), (march1.Cashback, march1.Reason));
        Assert.Equal((1.00m, "earned"), (march2.Cashback, march2.Reason)); // trimmed to the cap
        Assert.Equal((0m, "monthly_cap_reached"), (march3.Cashback, march3.Reason));
        Assert.Equal((4.00m, "earned"), (april1.Cashback, april1.Reason));
        Assert.Equal((-4.00m, "ny-capped", 3), (refund.Cashback, refund.RuleId, refund.RuleSetVersion));
        Assert.Equal((4.00m, "earned"), (march4.Cashback, march4.Reason)); // room given back to March: 6.00 trimmed to 4.00
        Assert.Equal((1.00m, "earned"), (april2.Cashback, april2.Reason)); // April's room untouched by the reversal

        var capPeriods = await Sql.QueryAsync(database,
            "SELECT transaction_id, cap_period FROM cashback_transactions WHERE customer_id = 'capped' ORDER BY processed_at, transaction_id",
            r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
        Assert.Equal(
            [("a-1", "2023-04"), ("a-2", "2023-04"), ("m-1", "2023-03"), ("m-2", "2023-03"), ("m-3", "2023-03"), ("m-4", "2023-03"), ("r-1", "2023-03")],
            capPeriods.Order());
    }

    private static async Task ApplyPurchasesAsync(IAccountGrain account, string customerId, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await account.ApplyAsync(Purchase($"{prefix}-{i}", customerId, 20m), null); // each earns 2.00
        }
    }

    private static Task<List<(string TransactionId, string Type, string? Original, bool Eligible, decimal Cashback, string Reason, string? RuleId, decimal BalanceAfter)>> AuditRowsAsync(
        string database, string customerId) =>
        Sql.QueryAsync(database,
            $"""
            SELECT transaction_id, type, original_transaction_id, eligible, cashback, reason, rule_id, balance_after
            FROM cashback_transactions WHERE customer_id = '{customerId}' ORDER BY transaction_id
            """,
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3), r.GetDecimal(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetDecimal(7)));
}
