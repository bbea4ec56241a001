using System.Diagnostics;

namespace Cashback.Silo.LocalMode;

/// <summary>
/// <c>--LocalMode:ParentProcessId=N</c>: stops this silo gracefully once process N is gone. A local cluster and the
/// tests start silos this way, so a silo never outlives the broker and database its parent owned.
/// </summary>
public sealed partial class ParentProcessWatch(int parentProcessId, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ParentProcessWatch> logger)
    : BackgroundService
{
    public const string ConfigurationKey = "LocalMode:ParentProcessId";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!IsAlive(parentProcessId))
                {
                    ParentGone(logger, parentProcessId);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsAlive(int processId)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parent process {ProcessId} is gone: stopping")]
    private static partial void ParentGone(ILogger logger, int processId);
}
