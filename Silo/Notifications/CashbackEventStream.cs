using System.Text.Json;
using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Notifications;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Ingestor.Publishing;
using Microsoft.Extensions.Options;

namespace Cashback.Silo.Notifications;

/// <summary>
/// The response of <c>GET /accounts/{customerId}/notifications</c>: the account's credits and reversals as Server-Sent
/// Events, each with <c>id</c> = <c>event_id</c>, <c>event</c> = <c>event_type</c> and the JSON of <c>cashback_events</c>.
/// After a <c>Last-Event-ID</c> it first replays what the account earned since, from the audit table, then goes live;
/// the feed was subscribed before the replay is read, so nothing falls between the two, and live notifications the
/// replay already covered are skipped, so the client sees each event once and in the account's order.
/// </summary>
public sealed partial class CashbackEventStream(AccountNotificationFeed feed, string? lastEventId) : IResult
{
    private const int ReplayPageSize = 500;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILogger<CashbackEventStream>>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ending.Token;

        await using (feed)
        {
            var writer = new ServerSentEventWriter(httpContext.Response);
            try
            {
                await writer.StartAsync(cancellationToken);
                writer.WriteComment($"notifications of account {feed.CustomerId}");
                var sentUpTo = await ReplayAsync(writer, services.GetRequiredService<AuditHistory>(), logger, cancellationToken);
                await writer.FlushAsync(cancellationToken);
                await StreamLiveAsync(writer, sentUpTo, options.HeartbeatInterval, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The client went away or the silo is stopping; a client reconnects elsewhere with Last-Event-ID.
            }
            catch (NotificationBufferOverflowException)
            {
                LogClientTooSlow(logger, feed.CustomerId);
                writer.WriteComment("too far behind: reconnect with Last-Event-ID to catch up");
                await writer.FlushAsync(CancellationToken.None);
            }
        }
    }

    /// <returns>Where the client is now in the account's processing order: the last event replayed, or the one it
    /// named; null when it named none (or one this account never had).</returns>
    private async Task<CashbackPosition?> ReplayAsync(
        ServerSentEventWriter writer, AuditHistory history, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(lastEventId))
        {
            return null;
        }

        var eventId = CashbackEventId.Parse(lastEventId);
        var position = await history.FindCashbackPositionAsync(
            feed.CustomerId, eventId.CreditTransactionId, eventId.ReversalTransactionId, cancellationToken);
        if (position is null)
        {
            LogUnknownLastEventId(logger, feed.CustomerId, lastEventId);
            writer.WriteComment("Last-Event-ID is not an event of this account: live events only");
            return null;
        }

        while (true)
        {
            var page = await history.ReadCashbackAfterAsync(feed.CustomerId, position, ReplayPageSize, cancellationToken);
            foreach (var entry in page)
            {
                Write(writer, FromAudit(feed.CustomerId, entry));
                position = new CashbackPosition(entry.ProcessedAt, entry.TransactionId);
            }

            await writer.FlushAsync(cancellationToken);
            if (page.Count < ReplayPageSize)
            {
                return position;
            }
        }
    }

    private async Task StreamLiveAsync(
        ServerSentEventWriter writer, CashbackPosition? sentUpTo, TimeSpan heartbeatInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        var notifications = feed.Notifications;
        Task<bool>? waiting = null;
        while (true)
        {
            waiting ??= notifications.WaitToReadAsync(cancellationToken).AsTask();
            using (var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var quiet = Task.Delay(heartbeatInterval, time, heartbeat.Token);
                if (await Task.WhenAny(waiting, quiet) != waiting)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    writer.WriteComment("heartbeat");
                    await writer.FlushAsync(cancellationToken);
                    continue;
                }

                await heartbeat.CancelAsync();
            }

            if (!await waiting)
            {
                // Completed: rethrows the overflow (or stream error) that ended the feed.
                await notifications.Completion;
                return;
            }

            waiting = null;
            while (notifications.TryRead(out var notification))
            {
                // A live notification may overlap the replay, or even precede it: it can still have been on its way
                // when the feed subscribed. The client has everything up to sentUpTo already.
                if (sentUpTo is null || IsAfter(notification, sentUpTo))
                {
                    Write(writer, CashbackEvent.From(notification.Transaction, notification.Outcome));
                }
            }

            await writer.FlushAsync(cancellationToken);
        }
    }

    // The audit table orders by processed_at at PostgreSQL's microsecond precision (Npgsql truncates), then by id.
    private static bool IsAfter(CashbackNotification notification, CashbackPosition position)
    {
        var ticks = notification.Outcome.ProcessedAt.UtcTicks;
        var processedAt = new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
        var order = processedAt.CompareTo(position.ProcessedAt);
        return order > 0 || (order == 0 && string.CompareOrdinal(notification.Transaction.TransactionId, position.TransactionId) > 0);
    }

    private static void Write(ServerSentEventWriter writer, CashbackEvent cashbackEvent) =>
        writer.WriteEvent(cashbackEvent.EventId, cashbackEvent.EventType, JsonSerializer.Serialize(cashbackEvent, CashbackEventJson.Default.CashbackEvent));

    private static CashbackEvent FromAudit(string customerId, AuditEntry entry) => CashbackEvent.From(
        new CardTransaction(
            entry.TransactionId,
            customerId,
            entry.Amount,
            entry.TransactionTimestamp,
            entry.MerchantId,
            entry.Currency,
            entry.Type == "refund" ? TransactionType.Refund : TransactionType.Purchase,
            entry.OriginalTransactionId),
        new TransactionOutcome(
            entry.TransactionId,
            entry.Cashback,
            entry.Reason,
            entry.RuleId,
            entry.RuleSetVersion,
            entry.BalanceAfter,
            entry.ProcessedAt,
            WasDuplicate: false,
            Source: null));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "A notification client of account {CustomerId} fell too far behind and was cut off; it can resume with Last-Event-ID")]
    private static partial void LogClientTooSlow(ILogger logger, string customerId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Last-Event-ID '{LastEventId}' is no event of account {CustomerId}; streaming live events only")]
    private static partial void LogUnknownLastEventId(ILogger logger, string customerId, string lastEventId);
}
