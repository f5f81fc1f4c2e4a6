using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Demo;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// The real application over HTTP (WebApplicationFactory) on its own database of the given engine, started with the
/// demo data set. Shared instances (<see cref="Shared"/>) serve tests that create their own uniquely named data;
/// tests that change the clock or break things use <see cref="StartAsync"/> and dispose it.
/// </summary>
public sealed partial class TestApp : WebApplicationFactory<Program>
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<TestApp>>> SharedApps = new();

    private readonly string provider;
    private readonly string connectionString;
    private readonly Func<Task> drop;
    private readonly bool demo;
    private readonly Action<IServiceCollection>? extraServices;
    private readonly IReadOnlyDictionary<string, string?>? extraSettings;
    private string origin = "";

    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero));

    public string Provider => provider;

    public string ConnectionString => connectionString;

    private TestApp(string provider, string connectionString, Func<Task> drop, bool demo, Action<IServiceCollection>? extraServices = null,
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        this.extraServices = extraServices;
        this.extraSettings = extraSettings;
        this.provider = provider;
        this.connectionString = connectionString;
        this.drop = drop;
        this.demo = demo;
    }

    /// <summary>The shared app for an engine: started once per test run.</summary>
    public static Task<TestApp> Shared(string provider) =>
        SharedApps.GetOrAdd(provider, p => new Lazy<Task<TestApp>>(() => StartAsync(p))).Value;

    /// <param name="services">Test-only services (e.g. a startup filter that adds a deliberately broken route).</param>
    /// <param name="settings">Configuration the test needs beyond the defaults (e.g. <c>Map:TilesFile</c>).</param>
    /// <param name="caller">The test (or fixture) that starts it, filled in by the compiler: named in the error log.</param>
    public static async Task<TestApp> StartAsync(string provider, bool demo = true, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null, [CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        var app = new TestApp(provider, cs, drop, demo, services, settings) { origin = Origin(file, caller) };
        _ = app.Server; // start: applies the schema and loads divisions and demo data
        if (demo) await Spots.AvoidDemoAsync(app);
        return app;
    }

    private static string Origin(string file, string member) => $"{Path.GetFileNameWithoutExtension(file)}.{member}";

    /// <summary>An app on an existing database, which the caller drops.</summary>
    public static Task<TestApp> StartOnAsync(string provider, string connectionString, bool demo, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null, [CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        var app = new TestApp(provider, connectionString, () => Task.CompletedTask, demo, services, settings) { origin = Origin(file, caller) };
        _ = app.Server;
        return Task.FromResult(app);
    }

    /// <summary>Two nodes with the demo data starting at once on one existing database (which the caller drops), as a cluster does.</summary>
    public static async Task<(TestApp A, TestApp B)> StartTwoNodesAsync(string provider, string connectionString,
        Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var starting = await Task.WhenAll(
            Task.Run(() => StartOnAsync(provider, connectionString, demo: true, services, settings)),
            Task.Run(() => StartOnAsync(provider, connectionString, demo: true, services, settings)));
        return (starting[0], starting[1]);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider == Databases.Postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Sqlite"] = provider == Databases.Sqlite ? connectionString : null,
            ["ConnectionStrings:Postgres"] = provider == Databases.Postgres ? connectionString : null,
            ["Demo:Enabled"] = demo ? "true" : "false",
            ["Database:StrictQueries"] = "true",
            // Tests send the caller's address as X-Forwarded-For from the loopback "proxy" (TipClient, LoginThrottleTests),
            // and every app of a run keys tip sources alike, as the nodes of one deployment do.
            ["ReverseProxies:0"] = "127.0.0.1",
            ["Tips:SourceKey"] = "test-source-key-0123456789",
        }).AddInMemoryCollection(TestFiles.SettingsFor(connectionString)).AddInMemoryCollection(extraSettings ?? new Dictionary<string, string?>()));
        if (ErrorLog.Enabled) builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog(provider, origin)));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFilter>();
            extraServices?.Invoke(services);
        });
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see what the server said.</summary>
    public HttpClient Anonymous() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Logs in through the real log-in form (with its anti-forgery token) and returns the cookie-holding client.</summary>
    public async Task<HttpClient> LoginAsync(string userName, string password = DemoData.Password)
    {
        var client = Anonymous();
        var response = await PostLoginAsync(client, userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"log-in as {userName} failed: {(int)response.StatusCode}");
        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userName, string password)
    {
        var token = await AntiForgeryTokenAsync(client, "/login");
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    public static async Task<string> AntiForgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"no anti-forgery token on {page}");
    }

    /// <summary>A unit of work inside the app, acting as the system, for arranging and inspecting data.</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        return await work(db);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await drop();
        TestFiles.Delete(connectionString);
    }

    /// <summary>The in-memory test server has no socket; give requests the loopback address Kestrel would report.</summary>
    private sealed class RemoteAddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, nxt) =>
            {
                ctx.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nxt(ctx);
            });
            next(app);
        };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
