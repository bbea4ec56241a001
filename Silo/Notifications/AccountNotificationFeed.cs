using System.Threading.Channels;
using Cashback.Grains.Interfaces.Notifications;

namespace Cashback.Silo.Notifications;

/// <summary>
/// One client's notifications of one account, handed over by the silo's <see cref="AccountNotificationHub"/>. They wait
/// in a bounded buffer; a client that lets it overflow is cut off (<see cref="Notifications"/> completes with
/// <see cref="NotificationBufferOverflowException"/>) instead of holding up delivery to everyone else.
/// </summary>
public sealed class AccountNotificationFeed : IAsyncDisposable
{
    private readonly Channel<CashbackNotification> _buffer;
    private readonly AccountNotificationHub _hub;

    internal AccountNotificationFeed(string customerId, int bufferCapacity, AccountNotificationHub hub)
    {
        CustomerId = customerId;
        _hub = hub;
        _buffer = Channel.CreateBounded<CashbackNotification>(new BoundedChannelOptions(bufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string CustomerId { get; }

    public ChannelReader<CashbackNotification> Notifications => _buffer.Reader;

    public ValueTask DisposeAsync() => _hub.ReleaseAsync(this);

    internal void Offer(CashbackNotification notification)
    {
        if (!_buffer.Writer.TryWrite(notification))
        {
            _buffer.Writer.TryComplete(new NotificationBufferOverflowException());
        }
    }

    internal void End(Exception? error = null) => _buffer.Writer.TryComplete(error);
}

/// <summary>A client read its notifications more slowly than they arrived and was cut off.</summary>
public sealed class NotificationBufferOverflowException() : Exception("The client fell too far behind its notifications.");
