using System.ComponentModel.DataAnnotations;

namespace Cashback.Silo.Notifications;

/// <summary>How live notifications are served. Bound from the <c>Notifications</c> section.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How long a quiet stream waits before sending a comment line, so proxies keep the connection open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many events may wait for a slow client. When it falls further behind, its stream ends and it reconnects
    /// with <c>Last-Event-ID</c> to catch up from the audit table, rather than slowing anyone else down.
    /// </summary>
    [Range(16, 1_000_000)]
    public int BufferCapacity { get; set; } = 1024;

    /// <summary>
    /// How often the silo renews its follow of each account it has listening clients for; an account publishes live
    /// notifications only while followed. After the account's grain is reactivated elsewhere (a partition moving, a
    /// silo leaving), notifications resume within this time; until then a client recovers them with <c>Last-Event-ID</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan FollowRenewal { get; set; } = TimeSpan.FromSeconds(2);
}
