namespace Cashback.Silo.Placement;

/// <summary>Logs <see cref="AccountCallLocality"/> every few seconds while it changes, and once more on stop.</summary>
public sealed partial class AccountCallLocalityReport(AccountCallLocality locality, TimeProvider time, ILogger<AccountCallLocalityReport> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private long _reported = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Report();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Report();
    }

    private void Report()
    {
        var (local, remote) = (locality.Local, locality.Remote);
        if (local + remote == _reported)
        {
            return;
        }

        _reported = local + remote;
        AccountCalls(logger, local, remote, (double)local / (local + remote));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ingestor calls to account grains served here: {Local} local, {Remote} remote ({LocalShare:P1} local)")]
    private static partial void AccountCalls(ILogger logger, long local, long remote, double localShare);
}
