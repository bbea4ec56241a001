using System.Collections.Concurrent;
using Cashback.Silo.Api.Security;
using Cashback.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cashback.Tests.Security;

/// <summary>
/// The silo's security wiring (<c>AddCashbackSecurity</c>, <c>UseCashbackSecurity</c>) in front of stub routes shaped
/// like endpoints built elsewhere (<c>/rules</c>, <c>/accounts/{customerId}/notifications</c>), so their policies are
/// tested without the rest of the silo. Everything logged is kept in <see cref="Log"/>.
/// </summary>
public sealed class SecuredStubApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecuredStubApp(WebApplication app, LogSink log)
    {
        _app = app;
        Log = log;
    }

    public LogSink Log { get; }

    public static async Task<SecuredStubApp> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        var log = new LogSink();
        builder.Logging.ClearProviders().AddProvider(log);
        builder.Services.AddProblemDetails();
        builder.AddCashbackSecurity();

        var app = builder.Build();
        app.UseStatusCodePages();
        app.UseCashbackSecurity();
        app.MapGet("/rules", () => TypedResults.Ok(new { version = 1 })).RequireAdmin();
        app.MapPut("/rules", () => TypedResults.Ok(new { version = 2 })).RequireAdmin();
        app.MapGet("/accounts/{customerId}/notifications", (string customerId) => TypedResults.Text($"data: {customerId}\n\n", "text/event-stream"))
            .RequireAccountAccess();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new SecuredStubApp(app, log);
    }

    public HttpClient CreateClient() => _app.GetTestClient();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class LogSink : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Sink(_messages);

        public void Dispose()
        {
        }

        private sealed class Sink(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}

/// <summary>A stub app with the test signing key, shared by the matrix over the stub routes.</summary>
public sealed class SecuredStubAppFixture : IAsyncLifetime
{
    private SecuredStubApp? _app;

    public SecuredStubApp App => _app ?? throw new InvalidOperationException("Not started yet.");

    public async Task InitializeAsync() => _app = await SecuredStubApp.StartAsync(TestTokens.Settings);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
