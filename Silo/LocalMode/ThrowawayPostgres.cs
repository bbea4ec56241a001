using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// A private PostgreSQL server for local mode and tests, built from the machine's PostgreSQL binaries in a temporary
/// directory, listening on 127.0.0.1 only, trusting every local connection. Disposing it stops the server and deletes
/// the directory. So does a process-exit handler, and, should the process be killed first, a detached watchdog
/// (<see cref="OrphanWatchdog"/>); a later start also removes leftovers of owners that are gone.
/// </summary>
public sealed partial class ThrowawayPostgres : IAsyncDisposable
{
    private const string DirectoryPrefix = "cashback-pg-";
    private const string OwnerFileName = "owner.pid";
    private const string SuperUser = "postgres";
    private const string DefaultDatabase = "cashback";
    private const int PortAttempts = 3;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    private readonly EventHandler _onProcessExit;
    private int _stopped;

    private ThrowawayPostgres(PostgresBinaries binaries, string rootDirectory, int port, ILogger logger)
    {
        _binaries = binaries;
        _logger = logger;
        RootDirectory = rootDirectory;
        Port = port;
        AdminConnectionString = BuildConnectionString("postgres");
        ConnectionString = BuildConnectionString(DefaultDatabase);
        // Exit handlers get little time and cannot be awaited (hence the one blocking wait); the data is about to be
        // deleted, so skip the shutdown checkpoint.
        _onProcessExit = (_, _) => StopAndDeleteAsync(ShutdownMode.Immediate).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>Connection string (Npgsql format) of the <c>cashback</c> database, created empty at start.</summary>
    public string ConnectionString { get; }

    /// <summary>Connection string of the <c>postgres</c> maintenance database, for creating and dropping databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The temporary directory holding the data directory, the Unix socket and <c>server.log</c>.</summary>
    public string RootDirectory { get; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    public static Task<ThrowawayPostgres> StartAsync(ILogger? logger, CancellationToken ct) =>
        StartAsync(new ThrowawayPostgresOptions(), logger, ct);

    public static async Task<ThrowawayPostgres> StartAsync(ThrowawayPostgresOptions options, ILogger? logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var binaries = PostgresBinaries.Locate();
        var baseDirectory = BaseDirectory(binaries);
        await RemoveAbandonedServersAsync(binaries, baseDirectory, logger, ct);

        var rootDirectory = Path.Combine(baseDirectory, DirectoryPrefix + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal));
        Directory.CreateDirectory(rootDirectory);
        ThrowawayPostgres? server = null;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(rootDirectory, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct);
            await binaries.GiveAwayAsync(rootDirectory, ct);
            await InitialiseAsync(binaries, rootDirectory, options, ct);

            using var startDeadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            startDeadline.CancelAfter(options.StartTimeout);
            server = await StartServerAsync(binaries, rootDirectory, options, logger, startDeadline.Token);
            OrphanWatchdog.Start(binaries, server.DataDirectory, rootDirectory);
            await server.WaitUntilAcceptingConnectionsAsync(startDeadline.Token);
            await server.ExecuteAdminAsync($"CREATE DATABASE {DefaultDatabase}", startDeadline.Token);
            LogStarted(logger, server.Port, server.RootDirectory, binaries.BinDirectory);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            else
            {
                await StopAfterFailedStartAsync(binaries, rootDirectory, logger);
            }

            throw;
        }
    }

    /// <summary>Creates an empty database (lower-case letters, digits, underscores) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        if (!DatabaseNamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid database name: use a-z, 0-9 and _, starting with a letter or _.", nameof(name));
        }

        await ExecuteAdminAsync($"CREATE DATABASE {name}", ct);
        return BuildConnectionString(name);
    }

    /// <summary>Stops the server but keeps its data: an outage, for tests. <see cref="ResumeAsync"/> ends it.</summary>
    public async Task SuspendAsync(CancellationToken ct = default) =>
        await _binaries.RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], RootDirectory, StopTimeout, ct);

    /// <summary>Starts a suspended server again on the same port and waits until it accepts connections.</summary>
    public async Task ResumeAsync(CancellationToken ct = default)
    {
        await _binaries.RunAsync(
            "pg_ctl",
            ["-D", DataDirectory, "-l", Path.Combine(RootDirectory, "server.log"), "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}", "-w", "start"],
            RootDirectory,
            StopTimeout,
            ct);
        await WaitUntilAcceptingConnectionsAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        await StopAndDeleteAsync(ShutdownMode.Fast);
    }

    private static string BaseDirectory(PostgresBinaries binaries) =>
        // Under root the server runs as `postgres`, which must be able to walk down to its directory: root's own
        // TMPDIR may be private, /tmp never is.
        binaries.RunAsServiceUser ? "/tmp" : Path.GetTempPath();

    private static async Task InitialiseAsync(PostgresBinaries binaries, string rootDirectory, ThrowawayPostgresOptions options, CancellationToken ct)
    {
        var dataDirectory = Path.Combine(rootDirectory, "data");
        await binaries.RunAsync(
            "initdb",
            ["-D", dataDirectory, "-U", SuperUser, "-E", "UTF8", "--locale=C", "--auth=trust", "--no-sync"],
            rootDirectory,
            options.StartTimeout,
            ct);

        var durability = options.Fsync
            ? string.Empty
            : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
        // Appending keeps the file's owner (postgres, when we run as root).
        await File.AppendAllTextAsync(
            Path.Combine(dataDirectory, "postgresql.conf"),
            $"""

             # Throw-away server for Cashback.Orleans local mode and tests.
             listen_addresses = '127.0.0.1'
             unix_socket_directories = '{rootDirectory}'
             max_connections = {options.MaxConnections.ToString(CultureInfo.InvariantCulture)}
             timezone = 'UTC'
             log_timezone = 'UTC'
             {durability}
             """,
            ct);
    }

    private static async Task<ThrowawayPostgres> StartServerAsync(
        PostgresBinaries binaries, string rootDirectory, ThrowawayPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        // The free port we find may be taken before the server binds it; then pick another.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.NextFree();
            try
            {
                await binaries.RunAsync(
                    "pg_ctl",
                    ["-D", Path.Combine(rootDirectory, "data"), "-l", Path.Combine(rootDirectory, "server.log"),
                     "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)}", "-w", "-t",
                     ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), "start"],
                    rootDirectory,
                    options.StartTimeout,
                    ct);
                return new ThrowawayPostgres(binaries, rootDirectory, port, logger);
            }
            catch (ThrowawayPostgresException exception) when (attempt < PortAttempts && ServerLog(rootDirectory).Contains("could not bind", StringComparison.Ordinal))
            {
                LogPortTaken(logger, exception, port);
            }
            catch (ThrowawayPostgresException exception)
            {
                throw new ThrowawayPostgresException($"{exception.Message}\nServer log:\n{ServerLog(rootDirectory)}", exception);
            }
        }
    }

    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken ct)
    {
        var probe = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or SocketException && !ct.IsCancellationRequested)
            {
                LogNotYetAccepting(_logger, exception.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }

    private async Task ExecuteAdminAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private enum ShutdownMode
    {
        Fast,
        Immediate,
    }

    private async Task StopAndDeleteAsync(ShutdownMode mode)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            await StopAsync(_binaries, DataDirectory, RootDirectory, mode);
            LogStopped(_logger, Port);
        }
        catch (ThrowawayPostgresException exception)
        {
            LogStopFailed(_logger, exception, Port);
        }

        DeleteDirectory(RootDirectory);
    }

    private static async Task StopAsync(PostgresBinaries binaries, string dataDirectory, string rootDirectory, ShutdownMode mode)
    {
        try
        {
            var modeName = mode == ShutdownMode.Fast ? "fast" : "immediate";
            await binaries.RunAsync("pg_ctl", ["-D", dataDirectory, "-m", modeName, "-w", "-t", "20", "stop"], rootDirectory, StopTimeout, CancellationToken.None);
        }
        catch (ThrowawayPostgresException) when (mode == ShutdownMode.Fast)
        {
            // Nothing on a throw-away server is worth waiting for.
            await binaries.RunAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], rootDirectory, StopTimeout, CancellationToken.None);
        }
    }

    private static async Task StopIfRunningAsync(PostgresBinaries binaries, string rootDirectory)
    {
        var dataDirectory = Path.Combine(rootDirectory, "data");
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await binaries.RunAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], rootDirectory, StopTimeout, CancellationToken.None);
        }
    }

    // Cleaning up after a failed start must not hide why it failed.
    private static async Task StopAfterFailedStartAsync(PostgresBinaries binaries, string rootDirectory, ILogger logger)
    {
        try
        {
            await StopIfRunningAsync(binaries, rootDirectory);
            DeleteDirectory(rootDirectory);
        }
        catch (Exception exception) when (exception is ThrowawayPostgresException or IOException or UnauthorizedAccessException)
        {
            LogRemoveAbandonedFailed(logger, exception, rootDirectory);
        }
    }

    // Servers whose owner died without disposing them (killed test runs) would otherwise live until reboot.
    private static async Task RemoveAbandonedServersAsync(PostgresBinaries binaries, string baseDirectory, ILogger logger, CancellationToken ct)
    {
        foreach (var directory in Directory.EnumerateDirectories(baseDirectory, DirectoryPrefix + "*"))
        {
            ct.ThrowIfCancellationRequested();
            var ownerFile = Path.Combine(directory, OwnerFileName);
            if (!File.Exists(ownerFile)
                || !int.TryParse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture, out var owner)
                || IsRunning(owner))
            {
                continue;
            }

            try
            {
                await StopIfRunningAsync(binaries, directory);
                DeleteDirectory(directory);
                LogRemovedAbandoned(logger, directory, owner);
            }
            catch (Exception exception) when (exception is ThrowawayPostgresException or IOException or UnauthorizedAccessException)
            {
                LogRemoveAbandonedFailed(logger, exception, directory);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }


    private static string ServerLog(string rootDirectory)
    {
        var path = Path.Combine(rootDirectory, "server.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no server log)";
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string BuildConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
        }.ConnectionString;

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Throw-away PostgreSQL listening on 127.0.0.1:{Port}, data in {Directory} (binaries: {BinDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, string directory, string binDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Throw-away PostgreSQL on port {Port} stopped and deleted")]
    private static partial void LogStopped(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Throw-away PostgreSQL on port {Port} did not stop cleanly")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Port {Port} was taken before PostgreSQL could bind it; trying another")]
    private static partial void LogPortTaken(ILogger logger, Exception exception, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL not accepting connections yet: {Reason}")]
    private static partial void LogNotYetAccepting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed abandoned throw-away PostgreSQL in {Directory} (owner process {Owner} is gone)")]
    private static partial void LogRemovedAbandoned(ILogger logger, string directory, int owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove abandoned throw-away PostgreSQL in {Directory}")]
    private static partial void LogRemoveAbandonedFailed(ILogger logger, Exception exception, string directory);
}
