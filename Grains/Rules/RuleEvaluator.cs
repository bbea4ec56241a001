using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Rules;

/// <summary>Judges a transaction against a rule set (SPEC §3). Pure: same inputs, same decision.</summary>
public static class RuleEvaluator
{
    public static RuleDecision Evaluate(RuleSet ruleSet, CardTransaction transaction, IMonthlyCapUsage capUsage)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(capUsage);

        if (transaction.Type != TransactionType.Purchase)
        {
            return RuleDecision.Nothing(DecisionReasons.NotAPurchase);
        }

        if (ruleSet.Rules.IsDefaultOrEmpty)
        {
            return RuleDecision.Nothing(DecisionReasons.NoRules);
        }

        Verdict? best = null;
        Verdict? furthest = null;
        foreach (var rule in ruleSet.Rules)
        {
            var verdict = Judge(rule, transaction, capUsage);
            if (verdict.Stage == Stage.Earned && (best is null || verdict.Cashback > best.Cashback))
            {
                best = verdict;
            }

            if (furthest is null || verdict.Stage > furthest.Stage)
            {
                furthest = verdict;
            }
        }

        if (best is not null)
        {
            return new RuleDecision(best.Cashback, best.Rule.Id, DecisionReasons.Earned, best.CapPeriod);
        }

        return new RuleDecision(0m, null, ReasonOf(furthest!.Stage), furthest.CapPeriod);
    }

    private static Verdict Judge(CashbackRule rule, CardTransaction transaction, IMonthlyCapUsage capUsage)
    {
        if (!rule.AcceptsMerchant(transaction.MerchantId))
        {
            return new Verdict(rule, Stage.MerchantNotEligible);
        }

        if (!rule.AcceptsCurrency(transaction.Currency))
        {
            return new Verdict(rule, Stage.CurrencyNotEligible);
        }

        if (transaction.Amount < rule.MinimumAmount)
        {
            return new Verdict(rule, Stage.AmountBelowMinimum);
        }

        if (!rule.AcceptsDayOf(transaction.Timestamp))
        {
            return new Verdict(rule, Stage.DayNotEligible);
        }

        if (!rule.IsInForceAt(transaction.Timestamp))
        {
            return new Verdict(rule, Stage.OutsideValidityWindow);
        }

        var cashback = rule.CashbackFor(transaction.Amount);
        string? capPeriod = null;
        if (rule.MonthlyCapPerAccount is { } cap)
        {
            capPeriod = rule.CapPeriodOf(transaction.Timestamp);
            var room = cap - capUsage.CreditedInMonth(rule.Id, capPeriod);
            if (room <= 0m)
            {
                return new Verdict(rule, Stage.MonthlyCapReached, CapPeriod: capPeriod);
            }

            cashback = Cents.Round(Math.Min(cashback, room));
        }

        return cashback > 0m
            ? new Verdict(rule, Stage.Earned, cashback, capPeriod)
            : new Verdict(rule, Stage.CashbackBelowOneCent, CapPeriod: capPeriod);
    }

    private static string ReasonOf(Stage stage) => stage switch
    {
        Stage.MerchantNotEligible => DecisionReasons.MerchantNotEligible,
        Stage.CurrencyNotEligible => DecisionReasons.CurrencyNotEligible,
        Stage.AmountBelowMinimum => DecisionReasons.AmountBelowMinimum,
        Stage.DayNotEligible => DecisionReasons.DayNotEligible,
        Stage.OutsideValidityWindow => DecisionReasons.OutsideValidityWindow,
        Stage.MonthlyCapReached => DecisionReasons.MonthlyCapReached,
        Stage.CashbackBelowOneCent => DecisionReasons.CashbackBelowOneCent,
        _ => DecisionReasons.Earned,
    };

    /// <summary>How far a rule got; a later stage means the rule was closer to paying.</summary>
    private enum Stage
    {
        MerchantNotEligible,
        CurrencyNotEligible,
        AmountBelowMinimum,
        DayNotEligible,
        OutsideValidityWindow,
        MonthlyCapReached,
        CashbackBelowOneCent,
        Earned,
    }

    private sealed record Verdict(CashbackRule Rule, Stage Stage, decimal Cashback = 0m, string? CapPeriod = null);
}
