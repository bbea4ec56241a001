using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Tests.Campaigns;

/// <summary>What the oracle says applying one unique transaction must do.</summary>
public sealed record ExpectedOutcome(
    string CustomerId,
    string TransactionId,
    TransactionType Type,
    decimal Cashback,
    string Reason,
    string? RuleId,
    int RuleSetVersion,
    string? CapPeriod,
    decimal BalanceAfter)
{
    public string? EventId => Cashback switch
    {
        > 0 => TransactionId,
        < 0 => $"{TransactionId}:reversal",
        _ => null,
    };

    public string EventType => Cashback > 0 ? "cashback_credited" : "cashback_reversed";
}

/// <summary>
/// SPEC §3 and §6 written again for <see cref="CampaignRuleSet"/>, independently of the rule engine and the account
/// grain: best rule wins, conditions checked in the documented order, caps per rule and local month, proportional
/// reversals in exact integer arithmetic. Feed it the transactions of each account in order.
/// </summary>
public sealed class CampaignOracle
{
    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    private static readonly OracleRule[] Rules =
    [
        new("merchant-x-friday", ["MerchantX", "Merchant X"], 15.00m, "USD", [DayOfWeek.Friday], null, 10, null, null, null),
        new("ny-weekend", ["MerchantX", "Corner Store"], 5.00m, "USD", [DayOfWeek.Saturday, DayOfWeek.Sunday], "America/New_York", 5, null, null, 12.00m),
        new("berlin-summer", ["Berliner Shop", "MerchantX"], 10.00m, "EUR", EveryDay, "Europe/Berlin", 15,
            new DateTimeOffset(2023, 3, 20, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2023, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), 20.00m),
        new("tokyo-everyday", ["MerchantX", "Tokyo Mart"], 1.00m, "USD", EveryDay, "Asia/Tokyo", 2, null, null, null),
        new("ny-friday-boost", ["MerchantX"], 50.00m, "USD", [DayOfWeek.Friday], "America/New_York", 12,
            new DateTimeOffset(2023, 3, 1, 0, 0, 0, TimeSpan.FromHours(-5)), new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.FromHours(-5)), 8.00m),
    ];

    private readonly Dictionary<string, Account> _accounts = [];

    /// <summary>The outcome of <paramref name="transaction"/>, or null when its id was applied before (a duplicate).</summary>
    public ExpectedOutcome? Apply(CardTransaction transaction)
    {
        if (!_accounts.TryGetValue(transaction.CustomerId, out var account))
        {
            account = _accounts[transaction.CustomerId] = new Account();
        }

        if (account.Applied.ContainsKey(transaction.TransactionId))
        {
            return null;
        }

        var (cashback, reason, ruleId, version, capPeriod) = transaction.Type == TransactionType.Purchase
            ? JudgePurchase(account, transaction)
            : JudgeRefund(account, transaction);

        account.Balance += cashback;
        if (ruleId is not null && capPeriod is not null && cashback != 0)
        {
            account.CapUsed[(ruleId, capPeriod)] = account.CapUsed.GetValueOrDefault((ruleId, capPeriod)) + cashback;
        }

        if (transaction.Type == TransactionType.Refund && cashback != 0)
        {
            account.Reversed[transaction.OriginalTransactionId!] = account.Reversed.GetValueOrDefault(transaction.OriginalTransactionId!) - cashback;
        }

        account.Applied[transaction.TransactionId] = new Applied(transaction, cashback, ruleId, version, capPeriod);
        return new ExpectedOutcome(transaction.CustomerId, transaction.TransactionId, transaction.Type, cashback, reason, ruleId, version, capPeriod, account.Balance);
    }

    private static Judgement JudgePurchase(Account account, CardTransaction purchase)
    {
        (OracleRule Rule, decimal Cashback, string? Period)? best = null;
        (int Stage, string? Period) furthest = (-1, null);
        foreach (var rule in Rules)
        {
            var local = OracleClock.LocalTime(purchase.Timestamp, rule.Zone);
            var period = rule.Cap is null ? null : $"{local.Year:D4}-{local.Month:D2}";
            int stage;
            decimal cashback = 0m;
            if (!rule.Merchants.Any(m => string.Equals(m.Trim(), purchase.MerchantId.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                stage = 0;
            }
            else if (rule.Currency != purchase.Currency)
            {
                stage = 1;
            }
            else if (purchase.Amount < rule.MinimumAmount)
            {
                stage = 2;
            }
            else if (!rule.Days.Contains(local.DayOfWeek))
            {
                stage = 3;
            }
            else if ((rule.From is { } from && purchase.Timestamp < from) || (rule.Until is { } until && purchase.Timestamp >= until))
            {
                stage = 4;
            }
            else
            {
                cashback = PercentOf(purchase.Amount, rule.Percentage);
                var room = rule.Cap - account.CapUsed.GetValueOrDefault((rule.Id, period ?? ""));
                if (room <= 0m)
                {
                    stage = 5;
                }
                else
                {
                    cashback = room is { } left && left < cashback ? left : cashback;
                    stage = cashback == 0m ? 6 : 7;
                }
            }

            if (stage == 7 && (best is null || cashback > best.Value.Cashback))
            {
                best = (rule, cashback, period);
            }

            if (stage > furthest.Stage)
            {
                furthest = (stage, stage >= 5 ? period : null);
            }
        }

        if (best is { } winner)
        {
            return new Judgement(winner.Cashback, "earned", winner.Rule.Id, CampaignRuleSet.Version, winner.Period);
        }

        string[] reasons =
        [
            "merchant_not_eligible", "currency_not_eligible", "amount_below_minimum", "day_not_eligible",
            "outside_validity_window", "monthly_cap_reached", "cashback_below_one_cent",
        ];
        return new Judgement(0m, reasons[furthest.Stage], null, CampaignRuleSet.Version, furthest.Period);
    }

    private static Judgement JudgeRefund(Account account, CardTransaction refund)
    {
        static Judgement Nothing(string reason) => new(0m, reason, null, CampaignRuleSet.Version, null);

        if (!account.Applied.TryGetValue(refund.OriginalTransactionId!, out var original))
        {
            return Nothing("refund_of_unknown_purchase");
        }

        if (original.Transaction.Type != TransactionType.Purchase)
        {
            return Nothing("refund_of_a_refund");
        }

        if (original.Cashback == 0m)
        {
            return Nothing("refund_of_non_earning_purchase");
        }

        if (original.Transaction.Currency != refund.Currency)
        {
            return Nothing("refund_currency_mismatch");
        }

        var left = original.Cashback - account.Reversed.GetValueOrDefault(refund.OriginalTransactionId!);
        if (left <= 0m)
        {
            return Nothing("cashback_already_reversed");
        }

        var reversal = Math.Min(ProportionOf(original.Cashback, refund.Amount, original.Transaction.Amount), left);
        return reversal == 0m
            ? Nothing("reversal_below_one_cent")
            : new Judgement(-reversal, "reversed", original.RuleId, original.RuleSetVersion, original.CapPeriod);
    }

    /// <summary><paramref name="percentage"/> % of <paramref name="amount"/> in cents, half a cent rounded up, in integers.</summary>
    private static decimal PercentOf(decimal amount, int percentage)
    {
        var tenThousandths = ToInteger(amount * 10_000m);
        return (decimal)HalfUp(tenThousandths * percentage, 10_000) / 100m;
    }

    /// <summary><c>cashback × refund / original</c> in cents, half a cent rounded up, in integers.</summary>
    private static decimal ProportionOf(decimal cashback, decimal refund, decimal original)
    {
        var cents = ToInteger(cashback * 100m);
        return (decimal)HalfUp(cents * ToInteger(refund * 10_000m), ToInteger(original * 10_000m)) / 100m;
    }

    private static Int128 HalfUp(Int128 numerator, Int128 denominator) => (2 * numerator + denominator) / (2 * denominator);

    private static Int128 ToInteger(decimal whole) =>
        decimal.Truncate(whole) == whole ? (Int128)whole : throw new ArgumentException($"{whole} is not whole.", nameof(whole));

    private sealed record OracleRule(
        string Id, string[] Merchants, decimal MinimumAmount, string Currency, DayOfWeek[] Days, string? Zone, int Percentage,
        DateTimeOffset? From, DateTimeOffset? Until, decimal? Cap);

    private sealed record Judgement(decimal Cashback, string Reason, string? RuleId, int RuleSetVersion, string? CapPeriod);

    private sealed record Applied(CardTransaction Transaction, decimal Cashback, string? RuleId, int RuleSetVersion, string? CapPeriod);

    private sealed class Account
    {
        public decimal Balance { get; set; }

        public Dictionary<string, Applied> Applied { get; } = [];

        public Dictionary<(string RuleId, string Period), decimal> CapUsed { get; } = [];

        public Dictionary<string, decimal> Reversed { get; } = [];
    }
}
