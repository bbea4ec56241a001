using System.ComponentModel.DataAnnotations;

namespace Cashback.Silo.Hosting;

/// <summary>How this silo joins the cluster. Bound from the <c>Orleans</c> configuration section.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Orleans";

    [Required]
    public string ClusterId { get; set; } = "cashback-local";

    [Required]
    public string ServiceId { get; set; } = "cashback";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos reach this one at: an IP address, a host name, or empty for this machine's own address
    /// (in a container, the container's IP). Loopback by default (local mode).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Whether to listen on all interfaces (in containers) rather than only the advertised address.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>
    /// Grain addresses each silo caches (Orleans' default is 1,000,000, which grows with every account ever served).
    /// A key of its own: Orleans reads <c>Orleans:GrainDirectory</c> itself, as grain-directory providers.
    /// </summary>
    [Range(0, 10_000_000)]
    public int GrainDirectoryCacheSize { get; set; } = 100_000;
}
