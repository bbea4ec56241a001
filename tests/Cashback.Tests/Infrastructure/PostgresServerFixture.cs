using Cashback.Silo.Database;
using Cashback.Silo.LocalMode;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cashback.Tests.Infrastructure;

/// <summary>
/// Gives tests a fresh PostgreSQL database each. All fixtures of the test run share one throw-away server (started on
/// first use, stopped when the test process exits), so test classes can use it as a collection fixture
/// (<see cref="PostgresCollection"/>) or as a class fixture and still run in parallel.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<ThrowawayPostgres>> SharedServer = new(StartSharedServerAsync);

    private ThrowawayPostgres? _server;

    public ThrowawayPostgres Server => _server ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    /// <summary>A new, empty database.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync(NewDatabaseName());

    /// <summary>A new database with every migration of <c>Silo/Database/Migrations</c> applied.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).ApplyAsync(connectionString, CancellationToken.None);
        return connectionString;
    }

    public async Task InitializeAsync()
    {
        NpgsqlRegistration.Register();
        _server = await SharedServer.Value;
    }

    // The shared server outlives any one fixture; ThrowawayPostgres stops it when the test process exits.
    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<ThrowawayPostgres> StartSharedServerAsync() =>
        ThrowawayPostgres.StartAsync(new ThrowawayPostgresOptions { Fsync = false }, logger: null, CancellationToken.None);

    private static string NewDatabaseName() => $"test_{Guid.NewGuid():N}";
}
