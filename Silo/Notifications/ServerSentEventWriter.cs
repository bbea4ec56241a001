using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Cashback.Silo.Notifications;

/// <summary>
/// Writes the <c>text/event-stream</c> format (WHATWG HTML, "Server-sent events") to a response. Frames are buffered
/// until <see cref="FlushAsync"/>, so a burst of events goes out in one write.
/// </summary>
public sealed class ServerSentEventWriter(HttpResponse response)
{
    public const string ContentType = "text/event-stream";

    /// <summary>Sends the headers now, so the client knows it is connected before the first event.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // Tells nginx-style proxies not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return response.StartAsync(cancellationToken);
    }

    /// <param name="id">Omitted when it cannot be carried on one line (the client then cannot resume from it).</param>
    public void WriteEvent(string? id, string type, string data)
    {
        var frame = new StringBuilder(data.Length + 128);
        if (id is not null && id.AsSpan().IndexOfAny('\r', '\n', '\0') < 0)
        {
            frame.Append("id: ").Append(id).Append('\n');
        }

        frame.Append("event: ").Append(type).Append('\n');
        foreach (var line in data.ReplaceLineEndings("\n").Split('\n'))
        {
            frame.Append("data: ").Append(line).Append('\n');
        }

        Write(frame.Append('\n').ToString());
    }

    /// <summary>A comment line: clients ignore it, but it keeps idle connections open through proxies.</summary>
    public void WriteComment(string text) => Write($": {text.ReplaceLineEndings(" ")}\n\n");

    public async Task FlushAsync(CancellationToken cancellationToken) => await response.BodyWriter.FlushAsync(cancellationToken);

    private void Write(string text) => response.BodyWriter.Write(Encoding.UTF8.GetBytes(text));
}
