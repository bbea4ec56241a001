namespace Cashback.Silo.Api;

/// <summary>
/// <c>GET /accounts/{customerId}/notifications/live?access_token=…</c>: a small page that shows an account's live
/// notifications in a browser. The page itself holds no data, so it is served to anyone; the stream it opens needs the
/// token (passed as <c>access_token</c>, since a browser's EventSource cannot send headers).
/// </summary>
public static class NotificationsPage
{
    private const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Cashback notifications</title>
          <style>body{font-family:sans-serif;margin:2em}li{font-family:monospace}</style>
        </head>
        <body>
          <h1>Cashback notifications of <span id="account"></span></h1>
          <p>Stream: <span id="status">connecting</span></p>
          <ul id="events"></ul>
          <script>
            const query = new URLSearchParams(location.search);
            const account = decodeURIComponent(location.pathname.split('/')[2]);
            document.getElementById('account').textContent = account;
            const streamQuery = new URLSearchParams();
            if (query.has('access_token')) streamQuery.set('access_token', query.get('access_token'));
            if (query.has('lastEventId')) streamQuery.set('lastEventId', query.get('lastEventId'));
            const source = new EventSource('/accounts/' + encodeURIComponent(account) + '/notifications?' + streamQuery);
            const status = document.getElementById('status');
            source.onopen = () => status.textContent = 'connected';
            source.onerror = () => status.textContent = 'disconnected, retrying';
            const show = message => {
              const e = JSON.parse(message.data);
              const item = document.createElement('li');
              item.dataset.eventId = e.event_id;
              item.textContent = `${e.event_type} ${e.event_id}: cashback ${e.cashback} ${e.currency}, balance ${e.balance}`;
              document.getElementById('events').appendChild(item);
            };
            source.addEventListener('cashback_credited', show);
            source.addEventListener('cashback_reversed', show);
          </script>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapNotificationsPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/accounts/{customerId}/notifications/live", () => TypedResults.Content(Html, "text/html; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}
