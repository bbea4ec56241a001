using Cashback.Grains.Interfaces.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Cashback.Grains.Notifications;

/// <summary>
/// Publishes on the account's Orleans stream. The memory stream provider only enqueues here; its pulling agents deliver
/// to subscribers on whichever silo they are, so a slow subscriber never holds up the grain. Even the enqueue is given
/// at most <see cref="PublishTimeout"/>: a queue whose silo just died must not stall the account.
/// </summary>
public sealed partial class StreamCashbackNotifier(
    [FromKeyedServices(AccountNotificationStreams.ProviderName)] IStreamProvider streams,
    TimeProvider timeProvider,
    ILogger<StreamCashbackNotifier> logger) : ICashbackNotifier
{
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(2);

    public async Task NotifyAsync(IReadOnlyList<CashbackNotification> notifications)
    {
        if (notifications.Count == 0)
        {
            return;
        }

        var customerId = notifications[0].Transaction.CustomerId;
        Task? publish = null;
        try
        {
            // Off the grain's scheduler: there Orleans would give every account activation a stream directory of its
            // own (~1 KB each, measured with dotnet-gcdump); the silo's shared one holds just the 64 bucket streams.
            // One enqueue for a busy account's whole batch: the queue grain takes it as one message, in order.
            publish = Task.Run(() =>
            {
                var stream = streams.GetStream<CashbackNotification>(AccountNotificationStreams.For(customerId));
                return notifications.Count == 1 ? stream.OnNextAsync(notifications[0]) : stream.OnNextBatchAsync(notifications);
            });
            await publish.WaitAsync(PublishTimeout, timeProvider);
        }
        catch (Exception exception)
        {
            // Live notifications are a convenience; the event on Kafka and the audit row are the record.
            LogNotificationsLost(logger, exception, notifications.Count, customerId, notifications[0].Transaction.TransactionId);
            if (publish is not null)
            {
                ObserveLateFailure(publish);
            }
        }
    }

    private static void ObserveLateFailure(Task publish) =>
        publish.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not publish {Count} live notification(s) for account {CustomerId}, from transaction {TransactionId}, in time")]
    private static partial void LogNotificationsLost(ILogger logger, Exception exception, int count, string customerId, string transactionId);
}
