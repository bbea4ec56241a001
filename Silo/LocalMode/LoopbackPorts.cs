using System.Net;
using System.Net.Sockets;

namespace Cashback.Silo.LocalMode;

public static class LoopbackPorts
{
    /// <summary>A loopback port nobody listens on right now (it may be taken before the caller binds it).</summary>
    public static int NextFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
