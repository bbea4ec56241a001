using System.Net;
using System.Net.Sockets;

namespace Cashback.Tests.Infrastructure;

public static class FreeTcpPort
{
    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
