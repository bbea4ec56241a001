using Cashback.Grains.Interfaces.Accounts;
using Cashback.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cashback.Tests.Security;

/// <summary>One real silo with auth on (test signing key) and account <c>123</c> holding a transaction, shared by a collection.</summary>
public sealed class SecuredSiloFixture : IAsyncLifetime
{
    private readonly PostgresServerFixture _postgres = new();
    private PipelineHarness? _pipeline;

    public PipelineHarness Pipeline => _pipeline ?? throw new InvalidOperationException("Not started yet.");

    /// <summary>A client that sends no token and follows no redirect: each test says who it is.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = Pipeline.Silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _pipeline = await PipelineHarness.StartAsync(_postgres);
        await Pipeline.Grains.GetGrain<IAccountGrain>(AuthMatrix.Account)
            .ApplyAsync(TestTransactions.Purchase("t-1", AuthMatrix.Account, 27.50m), null);
    }

    public async Task DisposeAsync()
    {
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SecuredSiloCollection : ICollectionFixture<SecuredSiloFixture>
{
    public const string Name = "Secured silo";
}
