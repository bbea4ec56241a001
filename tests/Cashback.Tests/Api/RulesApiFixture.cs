using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Api;

/// <summary>One silo host for the rule administration tests, and the rule set it served before any test changed it.</summary>
public sealed class RulesApiFixture : IAsyncLifetime
{
    private PipelineHarness? _pipeline;

    public PostgresServerFixture Postgres { get; } = new();

    public PipelineHarness Pipeline => _pipeline ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    public string InitialDocument { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        _pipeline = await PipelineHarness.StartAsync(Postgres);
        using var client = _pipeline.Silo.CreateClient();
        InitialDocument = await client.GetStringAsync("/rules");
    }

    public async Task DisposeAsync()
    {
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
    }
}
