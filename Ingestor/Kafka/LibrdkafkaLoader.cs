using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Cashback.Ingestor.Kafka;

/// <summary>
/// Pins every use of librdkafka in the process to one native file shipped in the <c>librdkafka.redist</c> package.
/// </summary>
/// <remarks>
/// The package's default linux-x64 <c>librdkafka.so</c> needs <c>libsasl2.so.3</c>, which Debian 12 lacks; Confluent.Kafka
/// then silently falls back to whatever librdkafka the system has (Debian ships 2.0.2). The package also carries
/// <c>centos8-librdkafka.so</c>, which needs nothing beyond glibc (no GSSAPI/Kerberos; PLAIN, SCRAM and OAUTHBEARER are
/// built in), so on glibc Linux we load that file, by full path, and route every librdkafka import to it.
/// Every Kafka client in the product calls <see cref="EnsureLoaded"/> before it is built.
/// </remarks>
public static partial class LibrdkafkaLoader
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Assembly> RoutedAssemblies = [];
    private static nint handle;
    private static bool loaded;

    /// <summary>The full path of the pinned native file, or null before <see cref="EnsureLoaded"/> or when nothing was pinned.</summary>
    public static string? PinnedPath { get; private set; }

    /// <summary>Loads the packaged librdkafka once and makes Confluent.Kafka use it; later calls do nothing.</summary>
    /// <returns>librdkafka's version string, e.g. <c>2.16.0</c>.</returns>
    public static string EnsureLoaded(ILogger? logger = null)
    {
        lock (Gate)
        {
            if (loaded)
            {
                return Library.VersionString;
            }

            if (Library.IsLoaded)
            {
                throw new InvalidOperationException(
                    "Confluent.Kafka loaded librdkafka before LibrdkafkaLoader.EnsureLoaded was called, so the library in use " +
                    $"({Library.VersionString}) may not be the packaged one. Call EnsureLoaded before building any Kafka client.");
            }

            (string Path, nint Handle)? pinned = LoadFirstUsableCandidate();
            if (pinned is { } found)
            {
                PinnedPath = found.Path;
                handle = found.Handle;
                RouteImportsOf(typeof(Library).Assembly);
            }

            string version = Library.VersionString;
            loaded = true;
            if (logger is not null)
            {
                if (PinnedPath is null)
                {
                    LogNothingPinned(logger, version, RuntimeInformation.RuntimeIdentifier);
                }
                else
                {
                    LogPinned(logger, version, PinnedPath);
                }
            }

            return version;
        }
    }

    /// <summary>
    /// Routes the <c>[LibraryImport("librdkafka")]</c> declarations of <paramref name="assembly"/> to the pinned file.
    /// Takes the assembly's one native-import resolver; imports of other libraries keep the default lookup.
    /// </summary>
    public static void RouteNativeImportsOf(Assembly assembly, ILogger? logger = null)
    {
        EnsureLoaded(logger);
        lock (Gate)
        {
            if (handle != 0 && !RoutedAssemblies.Contains(assembly))
            {
                RouteImportsOf(assembly);
            }
        }
    }

    private static void RouteImportsOf(Assembly assembly)
    {
        NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => IsLibrdkafka(name) ? handle : 0);
        RoutedAssemblies.Add(assembly);
    }

    // Confluent.Kafka imports "librdkafka", "centos8-librdkafka" and "alpine-librdkafka"; other names (libdl, kernel32) keep the default lookup.
    private static bool IsLibrdkafka(string libraryName) =>
        libraryName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase);

    private static (string Path, nint Handle)? LoadFirstUsableCandidate()
    {
        foreach (string path in CandidatePaths())
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint loaded))
            {
                return (path, loaded);
            }
        }

        return null;
    }

    private static IEnumerable<string> CandidatePaths()
    {
        string[] fileNames = RuntimeInformation.RuntimeIdentifier switch
        {
            var rid when rid.StartsWith("linux-musl", StringComparison.Ordinal) => ["alpine-librdkafka.so"],
            var rid when rid.StartsWith("linux", StringComparison.Ordinal) =>
                ["centos8-librdkafka.so", "librdkafka.so", "alpine-librdkafka.so"],
            var rid when rid.StartsWith("osx", StringComparison.Ordinal) => ["librdkafka.dylib"],
            var rid when rid.StartsWith("win", StringComparison.Ordinal) => ["librdkafka.dll"],
            _ => [],
        };

        string architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] nativeFolders =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", $"{PlatformPrefix()}-{architecture}", "native"),
            AppContext.BaseDirectory, // a RID-specific publish puts native files next to the app
        ];

        return nativeFolders.SelectMany(folder => fileNames.Select(file => Path.Combine(folder, file)));
    }

    private static string PlatformPrefix() =>
        OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";

    [LoggerMessage(Level = LogLevel.Information, Message = "librdkafka {Version} pinned from {Path}")]
    private static partial void LogPinned(ILogger logger, string version, string path);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No packaged librdkafka found for {RuntimeIdentifier}; Confluent.Kafka chose librdkafka {Version} by itself")]
    private static partial void LogNothingPinned(ILogger logger, string version, string runtimeIdentifier);
}
