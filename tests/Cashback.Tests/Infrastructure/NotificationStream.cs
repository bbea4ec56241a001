using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Cashback.Tests.Infrastructure;

/// <summary>One received Server-Sent Event: its <c>id</c>, <c>event</c> type and JSON <c>data</c>.</summary>
public sealed record ReceivedEvent(string? Id, string Type, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    public override string ToString() => $"{Type} {Id}";
}

/// <summary>Received events, printed by id when a wait times out.</summary>
internal sealed record EventList(IReadOnlyList<ReceivedEvent> Items)
{
    public override string ToString() => $"[{string.Join(", ", Items)}]";
}

/// <summary>
/// A client of <c>GET /accounts/{id}/notifications</c>, parsed with the BCL's <see cref="SseParser"/>. Open returns
/// once the response headers arrived, which the silo sends only after its stream subscription is in place.
/// </summary>
public sealed class NotificationStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<ReceivedEvent> _received = [];
    private readonly Task _reading;

    private NotificationStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reading = Task.Run(() => ReadAsync(body));
    }

    public IReadOnlyList<ReceivedEvent> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<NotificationStream> OpenAsync(HttpClient client, string customerId, string? lastEventId = null, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/accounts/{customerId}/notifications{query}");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new NotificationStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>Waits until at least <paramref name="count"/> events arrived and returns all received so far.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(int count, TimeSpan within)
    {
        var events = await Eventually.ReachesAsync(
            () => Task.FromResult(new EventList(Received)), events => events.Items.Count >= count, within, $"{count} notifications");
        return events.Items;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
        }

        _closing.Dispose();
    }

    private async Task ReadAsync(Stream body)
    {
        await foreach (var item in SseParser.Create(body).EnumerateAsync(_closing.Token))
        {
            lock (_received)
            {
                _received.Add(new ReceivedEvent(item.EventId, item.EventType, item.Data));
            }
        }
    }
}
