using System.Globalization;
using System.Text;

namespace Cashback.Bench;

/// <summary>
/// Transactions that all earn the seed rule's cashback (≥ 15 USD at MerchantX on a Friday), so every one of them
/// yields exactly one event; accounts drawn uniformly or from a Zipf distribution (s = 1, a few very hot accounts), or
/// <c>each-once</c>: every account in turn, so that each transaction is an account's first (a grain activation).
/// </summary>
public sealed class Workload(Ledger ledger, int accounts, string distribution, int seed)
{
    private static readonly DateTimeOffset Friday = new(2023, 4, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly Random _random = new(seed);
    private readonly double[]? _zipfCumulative = distribution == "zipf" ? ZipfCumulative(accounts) : null;
    private int _nextInTurn;

    public (byte[] Key, byte[] Value) Next(string transactionId)
    {
        var account = $"bench-{NextAccount():D6}";
        var amount = 15m + _random.Next(0, 8_500) / 100m;
        var cashback = Math.Round(amount / 10m, 2, MidpointRounding.AwayFromZero);
        ledger.Credit(account, cashback);
        var json = $$"""{"transaction_id":"{{transactionId}}","customer_id":"{{account}}","amount":{{amount.ToString(CultureInfo.InvariantCulture)}},"transaction_timestamp":"{{Friday.AddSeconds(_random.Next(0, 36_000)):yyyy-MM-dd'T'HH:mm:ss'Z'}}","merchant_id":"MerchantX"}""";
        return (Encoding.UTF8.GetBytes(account), Encoding.UTF8.GetBytes(json));
    }

    private int NextAccount()
    {
        if (distribution == "each-once")
        {
            return _nextInTurn++ % accounts;
        }

        if (_zipfCumulative is null)
        {
            return _random.Next(accounts);
        }

        var index = Array.BinarySearch(_zipfCumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, accounts - 1);
    }

    private static double[] ZipfCumulative(int n)
    {
        var weights = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += 1.0 / (k + 1);
            weights[k] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            weights[k] /= sum;
        }

        return weights;
    }
}

/// <summary>What every account's balance must be after all the traffic the bench has sent, whatever the workload.</summary>
public sealed class Ledger
{
    private readonly Dictionary<string, decimal> _balances = [];

    public IReadOnlyDictionary<string, decimal> Balances => _balances;

    public decimal Total { get; private set; }

    public void Credit(string account, decimal cashback)
    {
        lock (_balances)
        {
            _balances[account] = _balances.GetValueOrDefault(account) + cashback;
            Total += cashback;
        }
    }
}
