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

    public async Task NotifyAsync(CashbackNotification notification)
    {
        var customerId = notification.Transaction.CustomerId;
        Task? publish = null;
        try
        {
            publish = streams.GetStream<CashbackNotification>(AccountNotificationStreams.For(customerId)).OnNextAsync(notification);
            await publish.WaitAsync(PublishTimeout, timeProvider);
        }
        catch (Exception exception)
        {
            // Live notifications are a convenience; the event on Kafka and the audit row are the record.
            LogNotificationLost(logger, exception, customerId, notification.Transaction.TransactionId);
            if (publish is not null)
            {
                ObserveLateFailure(publish);
            }
        }
    }

    private static void ObserveLateFailure(Task publish) =>
        publish.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not publish the live notification for account {CustomerId}, transaction {TransactionId} in time")]
    private static partial void LogNotificationLost(ILogger logger, Exception exception, string customerId, string transactionId);
}
