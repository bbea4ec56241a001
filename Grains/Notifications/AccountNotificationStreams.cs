namespace Cashback.Grains.Notifications;

/// <summary>Where an account's <see cref="Interfaces.Notifications.CashbackNotification"/>s are published: one Orleans stream per account.</summary>
public static class AccountNotificationStreams
{
    /// <summary>The stream provider, and the grain storage that keeps its subscriptions (pub-sub state).</summary>
    public const string ProviderName = "AccountNotifications";

    public const string Namespace = "cashback-account-notifications";

    public static StreamId For(string customerId) => StreamId.Create(Namespace, customerId);
}
