using System.Net;
using System.Net.Sockets;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// Forwards every TCP connection accepted on a loopback port to one target endpoint, byte for byte.
/// Lets the mock broker, which binds a random port, be reached on a fixed one.
/// </summary>
internal sealed partial class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<RelayedConnection> connections = [];
    private readonly Task acceptLoop;

    private TcpRelay(TcpListener listener, IPEndPoint target, ILogger logger)
    {
        this.listener = listener;
        this.target = target;
        this.logger = logger;
        acceptLoop = AcceptConnectionsAsync(stopping.Token);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 picks a free port); throws if the port is taken.</summary>
    public static TcpRelay Start(int port, IPEndPoint target, ILogger logger)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new TcpRelay(listener, target, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await acceptLoop;

        RelayedConnection[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        foreach (var connection in open)
        {
            connection.Abort();
        }

        await Task.WhenAll(open.Select(connection => connection.Completion));
        stopping.Dispose();
    }

    private async Task AcceptConnectionsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket inbound;
            try
            {
                inbound = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException
                                              && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var connection = new RelayedConnection(inbound);
            lock (connections)
            {
                connections.RemoveAll(existing => existing.Completion.IsCompleted);
                connections.Add(connection);
            }

            connection.Completion = RelayAsync(connection, cancellationToken);
        }
    }

    private async Task RelayAsync(RelayedConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.Outbound.ConnectAsync(target, cancellationToken);
            using var eitherSideClosed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using var inboundStream = new NetworkStream(connection.Inbound, ownsSocket: false);
            await using var outboundStream = new NetworkStream(connection.Outbound, ownsSocket: false);

            Task clientToBroker = PumpAsync(inboundStream, outboundStream, eitherSideClosed.Token);
            Task brokerToClient = PumpAsync(outboundStream, inboundStream, eitherSideClosed.Token);
            await Task.WhenAny(clientToBroker, brokerToClient);
            await eitherSideClosed.CancelAsync();
            await Task.WhenAll(clientToBroker, brokerToClient);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                LogRelayFailed(logger, target, exception.Message);
            }
        }
        finally
        {
            connection.Close();
        }
    }

    private static async Task PumpAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            await source.CopyToAsync(destination, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away or the relay is stopping: the caller closes both sockets.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relayed connection to {Target} ended: {Reason}")]
    private static partial void LogRelayFailed(ILogger logger, IPEndPoint target, string reason);

    private sealed class RelayedConnection(Socket inbound)
    {
        public Socket Inbound { get; } = ConfigureForKafka(inbound);

        public Socket Outbound { get; } = ConfigureForKafka(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

        public Task Completion { get; set; } = Task.CompletedTask;

        // On shutdown, reset instead of a graceful close, so no TIME_WAIT keeps the fixed port from being bound again at once.
        public void Abort()
        {
            try
            {
                Inbound.LingerState = new LingerOption(enable: true, seconds: 0);
            }
            catch (ObjectDisposedException)
            {
                // Already closed by its own side.
            }

            Close();
        }

        public void Close()
        {
            Inbound.Dispose();
            Outbound.Dispose();
        }

        private static Socket ConfigureForKafka(Socket socket)
        {
            socket.NoDelay = true; // Kafka is request/response: Nagle would add latency to every small request.
            return socket;
        }
    }
}
