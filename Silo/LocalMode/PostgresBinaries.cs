using System.Diagnostics;
using System.Globalization;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// Runs the machine's PostgreSQL programs (initdb, pg_ctl). PostgreSQL refuses to run as root, so under root
/// (CI, containers) every program runs as the <c>postgres</c> user through <c>runuser</c>.
/// </summary>
internal sealed class PostgresBinaries
{
    public const string ServiceUser = "postgres";
    private const string InstallHint =
        "install the `postgresql` package (apt-get install postgresql) or set ConnectionStrings:Postgres to a running server";

    private PostgresBinaries(string binDirectory, bool runAsServiceUser)
    {
        BinDirectory = binDirectory;
        RunAsServiceUser = runAsServiceUser;
    }

    public string BinDirectory { get; }

    public bool RunAsServiceUser { get; }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> (Debian, Ubuntu), else the directory of <c>pg_ctl</c> on PATH.</summary>
    public static PostgresBinaries Locate()
    {
        var binDirectory = FindDebianStyleInstall() ?? FindOnPath("pg_ctl")
            ?? throw new ThrowawayPostgresException(
                $"No PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin or on PATH: {InstallHint}.");

        if (!File.Exists(Path.Combine(binDirectory, "initdb")))
        {
            throw new ThrowawayPostgresException($"Found pg_ctl in {binDirectory} but no initdb next to it: {InstallHint}.");
        }

        var runAsServiceUser = Environment.IsPrivilegedProcess;
        if (runAsServiceUser && FindOnPath("runuser") is null)
        {
            throw new ThrowawayPostgresException(
                "Running as root, PostgreSQL must run as the `postgres` user, but `runuser` (util-linux) is missing.");
        }

        return new PostgresBinaries(binDirectory, runAsServiceUser);
    }

    /// <summary>Hands a directory to the user the server runs as.</summary>
    public Task GiveAwayAsync(string directory, CancellationToken ct) =>
        RunAsServiceUser
            ? RunProcessAsync("chown", ["-R", $"{ServiceUser}:", directory], directory, TimeSpan.FromSeconds(30), ct)
            : Task.CompletedTask;

    /// <summary>Runs a PostgreSQL program and returns its combined output; throws with that output if it fails.</summary>
    public Task<string> RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var path = Path.Combine(BinDirectory, program);
        return RunAsServiceUser
            ? RunProcessAsync("runuser", ["-u", ServiceUser, "--", path, .. arguments], workingDirectory, timeout, ct)
            : RunProcessAsync(path, arguments, workingDirectory, timeout, ct);
    }

    private static async Task<string> RunProcessAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            // The postgres user may not be allowed into our current directory, and initdb insists on reading it.
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = $"{fileName} {string.Join(' ', arguments)}";
        using var process = Process.Start(startInfo)
            ?? throw new ThrowawayPostgresException($"Could not start `{commandLine}`.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            throw new ThrowawayPostgresException(
                $"`{commandLine}` did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. Output:\n{await stdout}{await stderr}");
        }

        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            throw new ThrowawayPostgresException($"`{commandLine}` failed with exit code {process.ExitCode}. Output:\n{output}");
        }

        return output;
    }

    private static string? FindDebianStyleInstall()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.EnumerateDirectories(root)
            .Select(directory => (Directory: directory, Version: ParseVersion(Path.GetFileName(directory))))
            .Where(candidate => candidate.Version is not null && File.Exists(Path.Combine(candidate.Directory, "bin", "pg_ctl")))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => Path.Combine(candidate.Directory, "bin"))
            .FirstOrDefault();
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(directory => File.Exists(Path.Combine(directory, program)));
}
