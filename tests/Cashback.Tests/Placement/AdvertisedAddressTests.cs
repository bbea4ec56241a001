using System.Net;
using System.Net.NetworkInformation;
using Cashback.Silo.Hosting;

namespace Cashback.Tests.Placement;

public sealed class AdvertisedAddressTests
{
    [Fact]
    public void an_ip_address_is_advertised_as_given() =>
        Assert.Equal(IPAddress.Parse("10.1.2.3"), AdvertisedAddress.Resolve("10.1.2.3"));

    [Fact]
    public void a_host_name_is_advertised_as_the_address_it_resolves_to() =>
        Assert.True(IPAddress.IsLoopback(AdvertisedAddress.Resolve("localhost")));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void nothing_advertises_an_address_of_this_machine_as_in_a_container(string? configured)
    {
        var resolved = AdvertisedAddress.Resolve(configured);

        var ownAddresses = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address);
        Assert.Contains(resolved, ownAddresses);
    }
}
