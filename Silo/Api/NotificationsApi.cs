using Cashback.Silo.Api.Security;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Silo.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cashback.Silo.Api;

public static partial class NotificationsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>
    /// <c>GET /accounts/{customerId}/notifications</c>: the account's cashback events as Server-Sent Events (SPEC §8).
    /// Returns its group, so that an authorisation policy can be put on it.
    /// </summary>
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder endpoints)
    {
        var notifications = endpoints.MapGroup("/accounts/{customerId}").RequireAccountAccess();
        notifications.MapGet("/notifications", SubscribeAsync)
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEventWriter.ContentType);
        return notifications;
    }

    // Browsers' EventSource cannot set headers on its first request, hence the lastEventId query parameter too.
    private static async Task<Results<CashbackEventStream, ProblemHttpResult>> SubscribeAsync(
        string customerId,
        [FromHeader(Name = LastEventIdHeader)] string? lastEventIdHeader,
        [FromQuery(Name = "lastEventId")] string? lastEventIdQuery,
        AccountNotificationHub notifications,
        ILogger<CashbackEventStream> logger,
        CancellationToken cancellationToken)
    {
        if (!CustomerId.IsValid(customerId))
        {
            return Problems.InvalidCustomerId(customerId);
        }

        AccountNotificationFeed feed;
        try
        {
            feed = await notifications.SubscribeAsync(customerId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSubscribeFailed(logger, exception, customerId);
            return NotificationProblems.Unavailable(customerId);
        }

        return new CashbackEventStream(feed, lastEventIdHeader ?? lastEventIdQuery);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to the notifications of account {CustomerId}")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string customerId);
}
