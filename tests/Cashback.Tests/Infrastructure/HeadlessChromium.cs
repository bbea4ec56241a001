using System.Diagnostics;

namespace Cashback.Tests.Infrastructure;

/// <summary>Debian's <c>chromium</c>, headless, with a fresh profile per page: what a person's browser would show.</summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Loads <paramref name="url"/>, lets its scripts run and fetch for a while, and returns the resulting DOM.</summary>
    public static async Task<string> DumpDomAsync(string url)
    {
        var profile = Directory.CreateTempSubdirectory("cashback-chromium-");
        try
        {
            var startInfo = new ProcessStartInfo("chromium")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile.FullName}",
                         // Virtual time runs scripts and timers ahead but waits for the page's own requests.
                         "--virtual-time-budget=10000",
                         "--dump-dom", url,
                     })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var chromium = Process.Start(startInfo) ?? throw new InvalidOperationException("chromium did not start");
            var dom = chromium.StandardOutput.ReadToEndAsync();
            var errors = chromium.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await chromium.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish {url} within {Timeout}: {await errors}");
            }

            Assert.True(chromium.ExitCode == 0, $"chromium exited with {chromium.ExitCode}: {await errors}");
            return await dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
