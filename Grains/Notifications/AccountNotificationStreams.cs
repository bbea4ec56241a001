using System.Globalization;

namespace Cashback.Grains.Notifications;

/// <summary>
/// Where an account's <see cref="Interfaces.Notifications.CashbackNotification"/>s are published. Accounts share
/// <see cref="BucketCount"/> streams, chosen by a stable hash of the customer id: the pub-sub state then stays a few
/// dozen rows however many accounts earn, instead of a registration (a grain and a database write) per account.
/// Subscribers pick their account's notifications out of its bucket.
/// </summary>
public static class AccountNotificationStreams
{
    /// <summary>The stream provider, and the grain storage that keeps its subscriptions (pub-sub state).</summary>
    public const string ProviderName = "AccountNotifications";

    public const string Namespace = "cashback-account-notifications";

    /// <summary>Every silo must agree on it: changing it sends notifications to streams old silos do not read.</summary>
    public const int BucketCount = 64;

    public static StreamId For(string customerId) => ForBucket(BucketOf(customerId));

    public static StreamId ForBucket(int bucket) => StreamId.Create(Namespace, bucket.ToString(CultureInfo.InvariantCulture));

    /// <summary>FNV-1a of the id's characters: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static int BucketOf(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var hash = 2166136261u;
        foreach (var character in customerId)
        {
            hash = (hash ^ character) * 16777619u;
        }

        return (int)(hash % BucketCount);
    }
}
