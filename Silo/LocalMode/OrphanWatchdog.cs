using System.Diagnostics;
using System.Globalization;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// A detached shell loop that stops the server and deletes its directory once the owning process is gone, however it
/// went: test runners kill their host shortly after the last test, before process-exit handlers finish, and a killed
/// process runs none at all. It quits on its own when the directory disappears (a normal dispose).
/// </summary>
internal static class OrphanWatchdog
{
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        owner="$1"; pg_ctl="$2"; data="$3"; root="$4"; as_user="$5"
        while kill -0 "$owner" && [ -d "$root" ]; do sleep 1; done
        [ -d "$root" ] || exit 0
        if [ -n "$as_user" ]; then
            runuser -u "$as_user" -- "$pg_ctl" -D "$data" -m immediate -w stop
        else
            "$pg_ctl" -D "$data" -m immediate -w stop
        fi
        rm -rf "$root"
        """;

    public static void Start(PostgresBinaries binaries, string dataDirectory, string rootDirectory)
    {
        // setsid -f puts the loop in its own session, outside our process tree, so killing our tree spares it.
        var startInfo = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = rootDirectory,
        };
        string[] arguments =
        [
            "-c", Script, "cashback-pg-watchdog",
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            Path.Combine(binaries.BinDirectory, "pg_ctl"),
            dataDirectory,
            rootDirectory,
            binaries.RunAsServiceUser ? PostgresBinaries.ServiceUser : string.Empty,
        ];
        if (startInfo.FileName.EndsWith("setsid", StringComparison.Ordinal))
        {
            startInfo.ArgumentList.Add("-f");
            startInfo.ArgumentList.Add("/bin/sh");
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new ThrowawayPostgresException("Could not start the watchdog that cleans up after a killed process.");
    }
}
