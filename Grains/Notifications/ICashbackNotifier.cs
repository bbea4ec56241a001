using Cashback.Grains.Interfaces.Notifications;

namespace Cashback.Grains.Notifications;

/// <summary>Tells live subscribers of an account about its credits and reversals.</summary>
public interface ICashbackNotifier
{
    /// <summary>Best effort: never throws, because the transaction it reports is already durable.</summary>
    Task NotifyAsync(CashbackNotification notification);
}
