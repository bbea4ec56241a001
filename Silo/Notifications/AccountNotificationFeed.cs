using System.Threading.Channels;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Notifications;
using Orleans.Streams;

namespace Cashback.Silo.Notifications;

/// <summary>
/// One client's subscription to an account's notification stream, through this silo's hosted Orleans client: the
/// stream's pulling agents deliver here from whichever silo holds the grain. Notifications wait in a bounded buffer;
/// a client that lets it overflow is cut off (the reader completes with <see cref="NotificationBufferOverflowException"/>)
/// instead of holding up delivery to everyone else.
/// </summary>
public sealed partial class AccountNotificationFeed : IAsyncDisposable
{
    private readonly StreamSubscriptionHandle<CashbackNotification> _subscription;
    private readonly ILogger _logger;

    private AccountNotificationFeed(string customerId, Channel<CashbackNotification> buffer, StreamSubscriptionHandle<CashbackNotification> subscription, ILogger logger)
    {
        CustomerId = customerId;
        Notifications = buffer.Reader;
        _subscription = subscription;
        _logger = logger;
    }

    public string CustomerId { get; }

    public ChannelReader<CashbackNotification> Notifications { get; }

    /// <summary>Subscribes; once this returns, every notification the account publishes reaches <see cref="Notifications"/>.</summary>
    public static async Task<AccountNotificationFeed> SubscribeAsync(
        IClusterClient cluster, string customerId, int bufferCapacity, ILogger logger)
    {
        var buffer = Channel.CreateBounded<CashbackNotification>(new BoundedChannelOptions(bufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var stream = cluster.GetStreamProvider(AccountNotificationStreams.ProviderName)
            .GetStream<CashbackNotification>(AccountNotificationStreams.For(customerId));
        var subscription = await stream.SubscribeAsync(new BufferingObserver(buffer.Writer));
        return new AccountNotificationFeed(customerId, buffer, subscription, logger);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _subscription.UnsubscribeAsync();
        }
        catch (Exception exception)
        {
            // The silo may be shutting down; a subscription left behind only costs a failed delivery later.
            LogUnsubscribeFailed(_logger, exception, CustomerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from the notifications of account {CustomerId}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string customerId);

    private sealed class BufferingObserver(ChannelWriter<CashbackNotification> buffer) : IAsyncObserver<CashbackNotification>
    {
        public Task OnNextAsync(CashbackNotification item, StreamSequenceToken? token = null)
        {
            if (!buffer.TryWrite(item))
            {
                buffer.TryComplete(new NotificationBufferOverflowException());
            }

            return Task.CompletedTask;
        }

        public Task OnCompletedAsync()
        {
            buffer.TryComplete();
            return Task.CompletedTask;
        }

        public Task OnErrorAsync(Exception ex)
        {
            buffer.TryComplete(ex);
            return Task.CompletedTask;
        }
    }
}

/// <summary>A client read its notifications more slowly than they arrived and was cut off.</summary>
public sealed class NotificationBufferOverflowException() : Exception("The client fell too far behind its notifications.");
