using System.Diagnostics;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// A Playwright script of <c>tests/browser</c> driving Debian's chromium, for checks that must wait on what a page
/// shows over time (a live stream), which chromium's own <c>--dump-dom</c> cannot. Installs its npm packages on first use.
/// </summary>
public sealed class BrowserScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private BrowserScript(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<BrowserScript> StartAsync(string script, params string[] arguments)
    {
        var directory = FindBrowserDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "playwright-core")))
        {
            await RunAsync("npm", directory, "install", "--no-audit", "--no-fund");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new BrowserScript(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>Waits for the first output line starting with <paramref name="prefix"/> and returns the rest of it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        while (true)
        {
            lock (_lines)
            {
                var line = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[prefix.Length..].Trim();
                }
            }

            try
            {
                await _lineArrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_lines)
                {
                    throw new TimeoutException($"No '{prefix}' line within {within}; the script said:\n{string.Join('\n', _lines)}");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _lineArrived.Release();
    }

    private static string FindBrowserDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "browser");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/browser not found above " + AppContext.BaseDirectory);
    }

    private static async Task RunAsync(string command, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed: {await errors}");
    }
}
