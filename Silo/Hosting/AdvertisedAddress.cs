using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Cashback.Silo.Hosting;

/// <summary>
/// Turns <see cref="SiloOptions.AdvertisedAddress"/> into the IP address other silos reach this one at: an IP address
/// as given, a host name through DNS, and nothing at all as this machine's own address (in a container: the
/// container's IP, which is what replicas of one compose service need, each having its own).
/// </summary>
public static class AdvertisedAddress
{
    public static IPAddress Resolve(string? configured)
    {
        if (IPAddress.TryParse(configured, out var literal))
        {
            return literal;
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            var addresses = Dns.GetHostAddresses(configured.Trim());
            return Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault()
                ?? throw new InvalidOperationException($"'{configured}' resolves to no IP address to advertise to other silos.");
        }

        // Containers map their host name to their own IP; some machines map it to 127.0.1.1, so ask the interfaces next.
        return Array.Find(Dns.GetHostAddresses(Dns.GetHostName()), IsReachableFromOutside)
            ?? NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.OperationalStatus == OperationalStatus.Up)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .FirstOrDefault(IsReachableFromOutside)
            ?? IPAddress.Loopback;
    }

    private static bool IsReachableFromOutside(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address);
}
