using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MineGuard.PatrolBench;

/// <summary>A clock the red-team run sets before each request, so a patrol's data arrives when its phone would send it.</summary>
public sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Set(DateTimeOffset to) => now = to;
}

/// <summary>
/// The real app in process (TestServer) on a fresh SQLite file with the demo data, its clock replaced by
/// <see cref="BenchClock"/>: the presence red team sends weeks of patrols in the order and at the times a phone would.
/// </summary>
public sealed class PresenceApp : WebApplicationFactory<Program>
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"mineguard-presence-{Guid.NewGuid():N}.db");

    public PresenceApp(DateTimeOffset start) => Clock = new BenchClock(start);

    public BenchClock Clock { get; }

    public static PresenceApp Start(DateTimeOffset start)
    {
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var app = new PresenceApp(start);
        _ = app.Server;
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = $"Data Source={file}",
            ["Demo:Enabled"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(BenchDatabase.OwnAuditFiles()));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public Task<HttpClient> LoginAsync(string userName) =>
        MineGuard.Bench.BenchApp.LogInThroughFormAsync(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), userName);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
    }
}
