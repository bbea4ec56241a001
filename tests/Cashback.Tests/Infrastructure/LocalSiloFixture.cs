namespace Cashback.Tests.Infrastructure;

/// <summary>
/// One local silo process for a collection, and the tokens it printed at start-up. Its own process also keeps its
/// metrics its own: OpenTelemetry subscribes to meters by name, so every silo host in the test process would otherwise
/// report into every other host's scrape.
/// </summary>
public sealed class LocalSiloFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);
    private readonly PostgresServerFixture _postgres = new();
    private LocalSiloProcess? _process;

    public LocalSiloProcess Process => _process ?? throw new InvalidOperationException("Not started yet.");

    public string AdminToken { get; private set; } = "";

    public string CustomerToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _process = LocalSiloProcess.Start(await _postgres.CreateMigratedDatabaseAsync());
        AdminToken = await Process.WaitForOutputAsync(@"admin \(scope cashback\.admin\): (\S+)", StartDeadline);
        CustomerToken = await Process.WaitForOutputAsync(@"customer 123 \(reads only its own account\): (\S+)", StartDeadline);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalSiloCollection : ICollectionFixture<LocalSiloFixture>
{
    public const string Name = "Local silo process";
}
