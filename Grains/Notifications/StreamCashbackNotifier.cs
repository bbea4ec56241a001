using Cashback.Grains.Interfaces.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Cashback.Grains.Notifications;

/// <summary>
/// Publishes on the account's Orleans stream. The memory stream provider only enqueues here; its pulling agents deliver
/// to subscribers on whichever silo they are, so a slow subscriber never holds up the grain.
/// </summary>
public sealed partial class StreamCashbackNotifier(
    [FromKeyedServices(AccountNotificationStreams.ProviderName)] IStreamProvider streams,
    ILogger<StreamCashbackNotifier> logger) : ICashbackNotifier
{
    public async Task NotifyAsync(CashbackNotification notification)
    {
        var customerId = notification.Transaction.CustomerId;
        try
        {
            await streams.GetStream<CashbackNotification>(AccountNotificationStreams.For(customerId)).OnNextAsync(notification);
        }
        catch (Exception exception)
        {
            // Live notifications are a convenience; the event on Kafka and the audit row are the record.
            LogNotificationLost(logger, exception, customerId, notification.Transaction.TransactionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not publish the live notification for account {CustomerId}, transaction {TransactionId}")]
    private static partial void LogNotificationLost(ILogger logger, Exception exception, string customerId, string transactionId);
}
