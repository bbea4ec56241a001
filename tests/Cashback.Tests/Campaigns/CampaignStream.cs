using System.Globalization;
using System.Text;
using System.Text.Json;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Tests.Campaigns;

/// <summary>
/// A deterministic stream for <see cref="CampaignRuleSet"/>: purchases around month ends and daylight-saving changes in
/// New York and Berlin, seen from many offsets; partial, full, excessive and tiny refunds, refunds of unknown, future,
/// non-earning and refunded transactions; duplicates resent later. Each account's transactions keep their order.
/// </summary>
public sealed class CampaignStream
{
    // Month ends in the rules' zones, the validity window's edges and the daylight-saving changes of 2023.
    private static readonly DateTimeOffset[] Anchors =
    [
        At("2023-03-01T05:00:00Z"), // 1 March in New York (EST), the boost's validFrom
        At("2023-03-11T05:00:00Z"), // Saturday in New York, the last midnight in EST
        At("2023-03-12T07:00:00Z"), // New York springs forward
        At("2023-03-13T04:00:00Z"), // Monday in New York, the first midnight in EDT: the weekend ends an hour earlier in UTC
        At("2023-03-19T23:00:00Z"), // Berlin summer campaign starts
        At("2023-03-26T01:00:00Z"), // Berlin springs forward
        At("2023-03-31T15:00:00Z"), // 1 April in Tokyo
        At("2023-03-31T22:00:00Z"), // 1 April in Berlin (CEST)
        At("2023-04-01T04:00:00Z"), // 1 April in New York (EDT)
        At("2023-10-29T01:00:00Z"), // Berlin falls back
        At("2023-10-31T23:00:00Z"), // 1 November in Berlin (CET), the Berlin campaign ends
        At("2023-11-01T04:00:00Z"), // 1 November in New York (EDT)
        At("2023-11-04T04:00:00Z"), // Saturday in New York, the last midnight in EDT
        At("2023-11-05T06:00:00Z"), // New York falls back
        At("2023-11-06T05:00:00Z"), // Monday in New York, the first midnight in EST: the weekend ends an hour later in UTC
        At("2023-12-01T05:00:00Z"), // 1 December in New York (EST), the boost ends
    ];

    private static readonly TimeSpan[] PointOfSaleOffsets =
    [
        TimeSpan.Zero, TimeSpan.FromHours(-5), TimeSpan.FromHours(-4), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(9), new(5, 30, 0), TimeSpan.FromHours(-8), TimeSpan.FromHours(14),
    ];

    private static readonly string[] Merchants =
        ["MerchantX", "Merchant X", " merchantx ", "Corner Store", "Berliner Shop", "Tokyo Mart", "MerchantY", "MERCHANTX"];

    /// <summary>Everything sent, in order, duplicates included.</summary>
    public List<CardTransaction> Sent { get; } = [];

    public int Duplicates { get; private set; }

    /// <summary>What the oracle expects of each unique transaction, in the order sent.</summary>
    public List<ExpectedOutcome> Expected { get; } = [];

    public static CampaignStream Create(int transactions, int accounts, int seed)
    {
        var stream = new CampaignStream();
        var random = new Random(seed);
        var oracle = new CampaignOracle();
        var purchases = Enumerable.Range(0, accounts).Select(_ => new List<CardTransaction>()).ToArray();
        var refunds = Enumerable.Range(0, accounts).Select(_ => new List<CardTransaction>()).ToArray();
        var nextPurchase = new int[accounts];
        for (var i = 0; i < transactions; i++)
        {
            var account = random.Next(accounts);
            var customer = $"campaign-{seed}-{account}";
            CardTransaction transaction;
            var roll = random.NextDouble();
            if (roll < 0.05 && stream.Sent.Count > 0)
            {
                transaction = stream.Sent[random.Next(stream.Sent.Count)];
                stream.Duplicates++;
            }
            else if (roll < 0.27 && purchases[account].Count > 0)
            {
                transaction = Refund(random, customer, $"{customer}-r{i}", purchases[account], refunds[account], nextPurchase[account]);
                refunds[account].Add(transaction);
            }
            else
            {
                transaction = Purchase(random, customer, $"{customer}-p{nextPurchase[account]++}");
                purchases[account].Add(transaction);
            }

            stream.Sent.Add(transaction);
            if (oracle.Apply(transaction) is { } expected)
            {
                stream.Expected.Add(expected);
            }
        }

        return stream;
    }

    /// <summary>The message a producer would send for <paramref name="transaction"/> (SPEC §2).</summary>
    public static (byte[]? Key, byte[]? Value) MessageOf(CardTransaction transaction)
    {
        var fields = new Dictionary<string, string>
        {
            ["transaction_id"] = transaction.TransactionId,
            ["customer_id"] = transaction.CustomerId,
            ["amount"] = transaction.Amount.ToString(CultureInfo.InvariantCulture),
            ["transaction_timestamp"] = transaction.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["merchant_id"] = transaction.MerchantId,
            ["currency"] = transaction.Currency,
        };
        if (transaction.Type == TransactionType.Refund)
        {
            fields["type"] = "refund";
            fields["original_transaction_id"] = transaction.OriginalTransactionId!;
        }

        return (Encoding.UTF8.GetBytes(transaction.CustomerId), JsonSerializer.SerializeToUtf8Bytes(fields));
    }

    private static CardTransaction Purchase(Random random, string customer, string id)
    {
        var anchor = Anchors[random.Next(Anchors.Length)];
        var moment = random.Next(10) == 0
            ? anchor.AddSeconds(-random.Next(2)) // the very edge: the last second before or the first at the anchor
            : anchor.AddMinutes(random.Next(-48 * 60, 48 * 60));
        var offset = PointOfSaleOffsets[random.Next(PointOfSaleOffsets.Length)];
        var amount = random.Next(4) == 0
            ? random.Next(1, 3_000_000) / 10_000m // up to 4 decimals, from 0.0001
            : random.Next(100, 30_000) / 100m;
        var currency = random.Next(5) == 0 ? "EUR" : "USD";
        return new CardTransaction(id, customer, amount, moment.ToOffset(offset), Merchants[random.Next(Merchants.Length)], currency,
            TransactionType.Purchase, null);
    }

    private static CardTransaction Refund(
        Random random, string customer, string id, List<CardTransaction> purchases, List<CardTransaction> refunds, int nextPurchase)
    {
        var roll = random.NextDouble();
        var original = roll switch
        {
            < 0.05 => null, // names a purchase nobody made
            < 0.10 => purchases[^1] with { TransactionId = $"{customer}-p{nextPurchase + random.Next(3)}" }, // a purchase still to come
            < 0.15 when refunds.Count > 0 => refunds[random.Next(refunds.Count)],
            < 0.60 => purchases[Math.Max(0, purchases.Count - 1 - random.Next(6))], // a recent purchase
            _ => purchases[random.Next(purchases.Count)],
        };
        var amount = (original?.Amount ?? 20m) * random.Next(4) switch
        {
            0 => 1m, // in full
            1 => random.Next(1, 100) / 100m, // in part
            2 => 1.5m, // more than was paid
            _ => 0.01m,
        };
        amount = Math.Max(0.0001m, Math.Round(amount, 4, MidpointRounding.AwayFromZero));
        var currency = random.Next(20) == 0 ? "GBP" : original?.Currency ?? "USD";
        var when = (original?.Timestamp ?? Anchors[0]).AddDays(random.Next(1, 20));
        return new CardTransaction(id, customer, amount, when, original?.MerchantId ?? "MerchantX", currency, TransactionType.Refund,
            original?.TransactionId ?? $"{customer}-nobody-{random.Next(1_000)}");
    }

    private static DateTimeOffset At(string timestamp) => DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture);
}
