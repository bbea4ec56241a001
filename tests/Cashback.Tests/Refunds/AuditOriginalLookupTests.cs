using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Grains.Refunds;
using Cashback.Tests.Infrastructure;
using Npgsql;
using static Cashback.Tests.Infrastructure.TestTransactions;

namespace Cashback.Tests.Refunds;

[Collection(PostgresCollection.Name)]
public sealed class AuditOriginalLookupTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task the_original_of_a_refund_is_read_with_what_its_recorded_refunds_reversed_except_those_the_caller_counts()
    {
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var log = new PostgresAuditLog(dataSource);
        IAuditLog audit = log;
        await audit.RecordAsync([new AuditRecord(Purchase("p-1", "123", 50m), Outcome("p-1", 5.00m, "earned", "boost", 5.00m), null, "2023-04")]);
        await audit.RecordAsync([new AuditRecord(Refund("r-1", "123", 10m, "p-1"), Outcome("r-1", -1.00m, "reversed", "boost", 4.00m), null, "2023-04")]);
        await audit.RecordAsync([new AuditRecord(Refund("r-2", "123", 20m, "p-1"), Outcome("r-2", -2.00m, "reversed", "boost", 2.00m), null, "2023-04")]);
        await audit.RecordAsync([new AuditRecord(Refund("r-3", "456", 20m, "p-1"), Outcome("r-3", 0m, "refund_of_unknown_purchase", null, 0m), null, null)]);

        var all = await audit.FindOriginalAsync("123", "p-1", []);
        var withoutR2 = await audit.FindOriginalAsync("123", "p-1", ["r-2"]);

        Assert.Equal(new OriginalTransaction(TransactionType.Purchase, 50m, "USD", 5.00m, "boost", 2, "2023-04", 3.00m), all);
        Assert.Equal(1.00m, withoutR2!.AlreadyReversed);
        Assert.Null(await audit.FindOriginalAsync("456", "p-1", []));
        Assert.Equal(TransactionType.Refund, (await audit.FindOriginalAsync("123", "r-1", []))!.Type);
    }

    private static TransactionOutcome Outcome(string transactionId, decimal cashback, string reason, string? ruleId, decimal balance) =>
        new(transactionId, cashback, reason, ruleId, 2, balance, AFriday, WasDuplicate: false, Source: null);
}
