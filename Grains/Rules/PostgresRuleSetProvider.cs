using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cashback.Grains.Rules;

/// <summary>
/// The rule set in force, from PostgreSQL. Loaded (and the default seeded as version 1 on an empty table) before the
/// silo takes any grain call, then refreshed by polling the latest version, so a new version applies on every silo
/// without a restart. <see cref="Current"/> is a plain read of an immutable value: nothing on the hot path waits.
/// </summary>
public sealed partial class PostgresRuleSetProvider(
    RuleSetStore store,
    RuleSet defaultRuleSet,
    IOptions<RuleSetOptions> options,
    TimeProvider timeProvider,
    ILogger<PostgresRuleSetProvider> logger) : IRuleSetProvider, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile RuleSet? _current;
    private int? _rejectedVersion;
    private Task _polling = Task.CompletedTask;

    public RuleSet Current => _current ?? throw new InvalidOperationException("The rule set is not loaded yet: the silo has not started.");

    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresRuleSetProvider), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    /// <summary>Seeds the default rule set if none is stored and loads the latest version.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.SeedAsync(defaultRuleSet, cancellationToken);
        await RefreshAsync(cancellationToken);
        if (_current is null)
        {
            throw new InvalidOperationException("No valid rule set is stored in rule_sets; the silo cannot judge transactions.");
        }

        _polling = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _polling.WaitAsync(cancellationToken);
    }

    /// <summary>Applies the latest stored version if it is newer than the current one.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var latest = await store.LatestVersionAsync(cancellationToken);
            if (latest is not { } version || version <= (_current?.Version ?? 0) || version == _rejectedVersion)
            {
                return;
            }

            var stored = await store.ReadAsync(version, cancellationToken);
            if (stored is null)
            {
                return;
            }

            var parsed = RuleSetDocument.Parse(stored.Document);
            if (!parsed.IsValid || parsed.RuleSet.Version != version)
            {
                // Only a hand-made row can be invalid (the API validates): keep judging with the last good version.
                _rejectedVersion = version;
                LogInvalidStoredRuleSet(logger, version, string.Join("; ", parsed.Faults));
                return;
            }

            var previous = _current?.Version;
            _current = parsed.RuleSet;
            LogRuleSetApplied(logger, version, previous);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _refreshing.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        var interval = options.Value.PollInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, stopping);
                await RefreshAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // PostgreSQL may be away for a while; the current rule set stays in force meanwhile.
                LogRefreshFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule set version {Version} is in force (was {PreviousVersion})")]
    private static partial void LogRuleSetApplied(ILogger logger, int version, int? previousVersion);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rule set version {Version} in rule_sets is invalid and is ignored: {Faults}")]
    private static partial void LogInvalidStoredRuleSet(ILogger logger, int version, string faults);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check PostgreSQL for a newer rule set")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
