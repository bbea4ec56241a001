using System.Globalization;
using System.Text;

namespace Cashback.Tests.Pipeline;

/// <summary>
/// A deterministic stream of transactions over many accounts with duplicates and invalid messages mixed in, plus
/// what an oracle says must come out of it.
/// </summary>
public sealed class GeneratedStream
{
    private static readonly string[] Merchants = ["MerchantX", "Merchant X", " merchantx ", "MerchantY", "Coffee Corner", "MERCHANT X"];
    private static readonly TimeSpan[] Offsets = [TimeSpan.Zero, TimeSpan.FromHours(-5), TimeSpan.FromHours(2), TimeSpan.FromHours(9), TimeSpan.FromHours(-8)];

    public List<(byte[]? Key, byte[]? Value)> Messages { get; } = [];

    /// <summary>Unique valid transactions: (customer, transaction) → cashback per the oracle.</summary>
    public Dictionary<(string Customer, string Transaction), decimal> Expected { get; } = [];

    /// <summary>Invalid messages by the error code the dead-letter topic must carry, keyed by their value.</summary>
    public Dictionary<string, string> ExpectedDeadLetters { get; } = [];

    public int DuplicatesSent { get; private set; }

    public IEnumerable<string> Accounts => Expected.Keys.Select(k => k.Customer).Distinct();

    public static GeneratedStream Create(int transactions, int accounts, int seed)
    {
        var stream = new GeneratedStream();
        var random = new Random(seed);
        var sent = new List<(byte[]? Key, byte[]? Value)>();
        for (var i = 0; i < transactions; i++)
        {
            var roll = random.NextDouble();
            if (roll < 0.05 && sent.Count > 0)
            {
                stream.Messages.Add(sent[random.Next(sent.Count)]);
                stream.DuplicatesSent++;
                continue;
            }

            if (roll < 0.08)
            {
                stream.AddInvalid(i, random);
                continue;
            }

            var customer = $"acct-{random.Next(accounts)}";
            var transaction = $"tx-{i}";
            var amount = Math.Round((decimal)random.Next(500, 5_000) / 100m + (random.Next(4) == 0 ? 0.005m : 0m), 4);
            var offset = Offsets[random.Next(Offsets.Length)];
            var timestamp = new DateTimeOffset(2023, 4, 20, 0, 0, 0, offset).AddMinutes(random.Next(0, 3 * 24 * 60));
            var merchant = Merchants[random.Next(Merchants.Length)];
            var currency = random.Next(10) == 0 ? "EUR" : "USD";

            var json = $$"""{"transaction_id":"{{transaction}}","customer_id":"{{customer}}","amount":{{amount.ToString(CultureInfo.InvariantCulture)}},"transaction_timestamp":"{{timestamp.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}","merchant_id":"{{merchant}}","currency":"{{currency}}","channel":"pos"}""";
            var message = (Encoding.UTF8.GetBytes(customer), Encoding.UTF8.GetBytes(json));
            stream.Messages.Add(message);
            sent.Add(message);
            stream.Expected[(customer, transaction)] = SeedRuleOracle.CashbackFor(amount, timestamp, merchant, currency);
        }

        return stream;
    }

    private void AddInvalid(int i, Random random)
    {
        var customer = $"acct-bad-{i}";
        var (code, value) = random.Next(5) switch
        {
            0 => ("invalid_json", $"{{\"transaction_id\": \"bad-{i}\", "),
            1 => ("missing_field", $$"""{"transaction_id":"bad-{{i}}","customer_id":"{{customer}}","amount":20,"merchant_id":"MerchantX"}"""),
            2 => ("invalid_amount", $$"""{"transaction_id":"bad-{{i}}","customer_id":"{{customer}}","amount":-5,"transaction_timestamp":"2023-04-21T09:30:00Z","merchant_id":"MerchantX"}"""),
            3 => ("invalid_timestamp", $$"""{"transaction_id":"bad-{{i}}","customer_id":"{{customer}}","amount":20,"transaction_timestamp":"21/04/2023","merchant_id":"MerchantX"}"""),
            _ => ("key_mismatch", $$"""{"transaction_id":"bad-{{i}}","customer_id":"someone-else-{{i}}","amount":20,"transaction_timestamp":"2023-04-21T09:30:00Z","merchant_id":"MerchantX"}"""),
        };
        Messages.Add((Encoding.UTF8.GetBytes(customer), Encoding.UTF8.GetBytes(value)));
        ExpectedDeadLetters[value] = code;
    }
}
