using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Platform.Hosting;

namespace MineGuard.AlertBench;

/// <summary>The real application for a benchmark: on its own database, Production settings, demo data, its own audit files.</summary>
internal static class BenchHost
{
    /// <summary>Starts the app on the engine's database; <paramref name="configure"/> adds the benchmark's own settings and services.</summary>
    public static async Task<WebApplication> StartAsync(string engine, string cs, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = engine == "postgres" ? "Postgres" : "Sqlite",
            [engine == "postgres" ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"] = cs,
            ["Demo:Enabled"] = "true",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
        });
        builder.Configuration.AddInMemoryCollection(BenchDatabase.OwnAuditFiles());
        builder.AddMineGuard();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseMineGuard();
        await app.StartAsync();
        // The demo data (divisions, users) loads at start; wait for its users.
        while (await WithDbAsync(app.Services, db => db.Users.CountAsync()) == 0) await Task.Delay(100);
        return app;
    }

    /// <summary>A unit of work as the system: its own scope and context.</summary>
    public static async Task<T> WithDbAsync<T>(IServiceProvider services, Func<AppDbContext, Task<T>> work)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("bench");
        return await work(db);
    }
}
