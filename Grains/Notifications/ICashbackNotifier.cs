using Cashback.Grains.Interfaces.Notifications;

namespace Cashback.Grains.Notifications;

/// <summary>Tells live subscribers of an account about its credits and reversals.</summary>
public interface ICashbackNotifier
{
    /// <summary>
    /// Publishes notifications of one account, in order, together. Best effort: never throws, because the transactions
    /// they report are already durable.
    /// </summary>
    Task NotifyAsync(IReadOnlyList<CashbackNotification> notifications);
}
