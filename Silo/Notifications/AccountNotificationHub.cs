using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Notifications;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Cashback.Silo.Notifications;

/// <summary>
/// This silo's end of the notification streams. While any local client follows an account, the hub subscribes,
/// through the silo's hosted Orleans client, to that account's bucket stream, whose pulling agents deliver here from
/// whichever silo holds the grain; it hands each notification to the feeds of its account. One subscription per
/// bucket and silo, however many clients: the streams' pub-sub state stays small and nothing is delivered twice.
/// An account publishes only while followed (<see cref="IAccountGrain.FollowAsync"/>): the hub follows each account
/// it has feeds for and renews that lease every <see cref="NotificationOptions.FollowRenewal"/>.
/// </summary>
public sealed partial class AccountNotificationHub : IAsyncDisposable
{
    private readonly IClusterClient _cluster;
    private readonly NotificationOptions _options;
    private readonly ILogger<AccountNotificationHub> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<AccountNotificationFeed>> _feeds = new(StringComparer.Ordinal);
    private readonly Bucket[] _buckets = [.. Enumerable.Range(0, AccountNotificationStreams.BucketCount).Select(index => new Bucket(index))];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _renewing;

    public AccountNotificationHub(IClusterClient cluster, IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<AccountNotificationHub> logger)
    {
        _cluster = cluster;
        _options = options.Value;
        _logger = logger;
        _renewing = RenewFollowsAsync(timeProvider);
    }

    /// <summary>A lease outlives several renewals, so one late or failed renewal never silences an account.</summary>
    private TimeSpan Lease => _options.FollowRenewal * 5;

    /// <summary>Once this returns, every notification the account publishes reaches the feed.</summary>
    public async Task<AccountNotificationFeed> SubscribeAsync(string customerId, CancellationToken cancellationToken)
    {
        var feed = new AccountNotificationFeed(customerId, _options.BufferCapacity, this);
        lock (_gate)
        {
            if (!_feeds.TryGetValue(customerId, out var feeds))
            {
                _feeds[customerId] = feeds = [];
            }

            feeds.Add(feed);
        }

        try
        {
            await BucketOf(customerId).AcquireAsync(this, cancellationToken);
        }
        catch
        {
            Remove(feed);
            throw;
        }

        try
        {
            // After subscribing: from the moment the account publishes, its stream delivers here.
            await _cluster.GetGrain<IAccountGrain>(customerId).FollowAsync(Lease).WaitAsync(cancellationToken);
        }
        catch
        {
            await ReleaseAsync(feed);
            throw;
        }

        return feed;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _renewing;
        _stopping.Dispose();
    }

    internal async ValueTask ReleaseAsync(AccountNotificationFeed feed)
    {
        if (!Remove(feed))
        {
            return;
        }

        try
        {
            await BucketOf(feed.CustomerId).ReleaseAsync(this);
        }
        catch (Exception exception)
        {
            // The silo may be shutting down; a subscription left behind only costs failed deliveries later.
            LogUnsubscribeFailed(_logger, exception, AccountNotificationStreams.BucketOf(feed.CustomerId));
        }
    }

    private async Task RenewFollowsAsync(TimeProvider timeProvider)
    {
        using var timer = new PeriodicTimer(_options.FollowRenewal, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                string[] followed;
                lock (_gate)
                {
                    followed = [.. _feeds.Keys];
                }

                await Task.WhenAll(followed.Select(RenewAsync));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync(string customerId)
    {
        try
        {
            await _cluster.GetGrain<IAccountGrain>(customerId).FollowAsync(Lease);
        }
        catch (Exception exception)
        {
            // The lease outlives this renewal; the next one tries again.
            LogRenewalFailed(_logger, exception, customerId);
        }
    }

    private Bucket BucketOf(string customerId) => _buckets[AccountNotificationStreams.BucketOf(customerId)];

    private bool Remove(AccountNotificationFeed feed)
    {
        lock (_gate)
        {
            if (!_feeds.TryGetValue(feed.CustomerId, out var feeds) || !feeds.Remove(feed))
            {
                return false;
            }

            if (feeds.Count == 0)
            {
                _feeds.Remove(feed.CustomerId);
            }

            return true;
        }
    }

    private void Deliver(CashbackNotification notification)
    {
        lock (_gate)
        {
            if (_feeds.TryGetValue(notification.Transaction.CustomerId, out var feeds))
            {
                foreach (var feed in feeds)
                {
                    feed.Offer(notification);
                }
            }
        }
    }

    private void EndBucket(int bucket, Exception? error)
    {
        lock (_gate)
        {
            foreach (var feed in _feeds.Values.SelectMany(feeds => feeds))
            {
                if (AccountNotificationStreams.BucketOf(feed.CustomerId) == bucket)
                {
                    feed.End(error);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the follow of account {CustomerId}")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from notification bucket {Bucket}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, int bucket);

    /// <summary>The subscription to one bucket stream, held while any local feed needs it.</summary>
    private sealed class Bucket(int index)
    {
        private readonly SemaphoreSlim _changing = new(1, 1);
        private int _feeds;
        private StreamSubscriptionHandle<CashbackNotification>? _subscription;

        public async Task AcquireAsync(AccountNotificationHub hub, CancellationToken cancellationToken)
        {
            await _changing.WaitAsync(cancellationToken);
            try
            {
                if (_subscription is null)
                {
                    var stream = hub._cluster.GetStreamProvider(AccountNotificationStreams.ProviderName)
                        .GetStream<CashbackNotification>(AccountNotificationStreams.ForBucket(index));
                    _subscription = await stream.SubscribeAsync(new Observer(hub, index));
                }

                _feeds++;
            }
            finally
            {
                _changing.Release();
            }
        }

        public async Task ReleaseAsync(AccountNotificationHub hub)
        {
            await _changing.WaitAsync();
            try
            {
                if (--_feeds > 0 || _subscription is null)
                {
                    return;
                }

                var subscription = _subscription;
                _subscription = null;
                await subscription.UnsubscribeAsync();
            }
            finally
            {
                _changing.Release();
            }
        }
    }

    private sealed class Observer(AccountNotificationHub hub, int bucket) : IAsyncObserver<CashbackNotification>
    {
        public Task OnNextAsync(CashbackNotification item, StreamSequenceToken? token = null)
        {
            hub.Deliver(item);
            return Task.CompletedTask;
        }

        public Task OnCompletedAsync()
        {
            hub.EndBucket(bucket, null);
            return Task.CompletedTask;
        }

        public Task OnErrorAsync(Exception ex)
        {
            hub.EndBucket(bucket, ex);
            return Task.CompletedTask;
        }
    }
}
