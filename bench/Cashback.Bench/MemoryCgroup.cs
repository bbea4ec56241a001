using System.Globalization;

namespace Cashback.Bench;

/// <summary>
/// A memory cgroup that silo processes run in, limited like a container (docker-compose gives each silo 1 GiB): the
/// kernel enforces the limit and .NET sizes its heap from it (75 % by default), so a silo that needs more is killed
/// and the bench fails. Needs root and the cgroup v1 memory controller or cgroup v2 with memory delegated.
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private readonly string _directory;
    private readonly string _peakFile;

    private MemoryCgroup(string directory, string peakFile)
    {
        _directory = directory;
        _peakFile = peakFile;
    }

    /// <summary>The file a process writes its pid to, to join the group.</summary>
    public string ProcsFile => Path.Combine(_directory, "cgroup.procs");

    /// <summary>The most memory the group's processes have used at once, as the kernel counts it (page cache included).</summary>
    public long PeakBytes => long.Parse(File.ReadAllText(_peakFile).Trim(), CultureInfo.InvariantCulture);

    public static MemoryCgroup Create(string name, long limitBytes)
    {
        var limit = limitBytes.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists("/sys/fs/cgroup/memory"))
        {
            var directory = Path.Combine("/sys/fs/cgroup/memory" + OwnGroup("memory"), name);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "memory.limit_in_bytes"), limit);
            return new MemoryCgroup(directory, Path.Combine(directory, "memory.max_usage_in_bytes"));
        }

        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            var directory = Path.Combine("/sys/fs/cgroup" + OwnGroup(""), name);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "memory.max"), limit);
            return new MemoryCgroup(directory, Path.Combine(directory, "memory.peak"));
        }

        throw new InvalidOperationException("No memory cgroup controller is mounted: run without --silo-memory-limit-mib.");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory);
        }
        catch (IOException)
        {
            // A process is still in it; the kernel keeps the empty group until then and it costs nothing.
        }
    }

    /// <summary>This process's group in the given v1 hierarchy (or the v2 one for an empty name), e.g. "/user/1".</summary>
    private static string OwnGroup(string controller)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (controller.Length == 0 ? parts[0] == "0" : parts[1].Split(',').Contains(controller))
            {
                return parts[2].TrimEnd('/');
            }
        }

        return "";
    }
}
