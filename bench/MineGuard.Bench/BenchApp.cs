using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MineGuard.Bench;

/// <summary>
/// The real application on Kestrel at 127.0.0.1 (a random port), on its own fresh database with the demo data set,
/// so requests go through sockets, authentication, scoping and JSON as in production.
/// </summary>
public sealed partial class BenchApp : WebApplicationFactory<Program>
{
    private readonly bool postgres;
    private readonly string connectionString;
    private readonly Func<Task> drop;

    private BenchApp(bool postgres, string connectionString, Func<Task> drop)
    {
        this.postgres = postgres;
        this.connectionString = connectionString;
        this.drop = drop;
    }

    public bool IsPostgres => postgres;

    public string ConnectionString => connectionString;

    public string BaseUrl { get; private set; } = "";

    /// <summary>True when <see cref="StartAsync"/> was given the name of a PostgreSQL database that already existed.</summary>
    public bool Reused { get; private set; }

    /// <summary>
    /// Creates the database (a temp SQLite file, or a new PostgreSQL database on the given server) and starts the app.
    /// With <paramref name="database"/> (PostgreSQL only) the database has that name, is created only when missing
    /// (<see cref="Reused"/> says which) and is kept.
    /// </summary>
    public static async Task<BenchApp> StartAsync(string? postgresServer, bool keep, string? database = null)
    {
        var reused = false;
        BenchApp app;
        if (postgresServer is null)
        {
            var file = Path.Combine(Path.GetTempPath(), $"mineguard-bench-{Guid.NewGuid():N}.db");
            app = new BenchApp(false, $"Data Source={file}", () =>
            {
                if (keep) return Task.CompletedTask;
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                return Task.CompletedTask;
            });
        }
        else
        {
            var name = database ?? $"mg_bench_{Guid.NewGuid():N}";
            keep |= database is not null;
            reused = database is not null && await ExistsAsync(postgresServer, name);
            if (!reused) await ExecuteAsync(postgresServer, $"CREATE DATABASE \"{name}\"");
            var cs = new NpgsqlConnectionStringBuilder(postgresServer) { Database = name }.ConnectionString;
            app = new BenchApp(true, cs, async () =>
            {
                if (keep) return;
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(postgresServer, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            });
        }
        // WebApplicationFactory finds the app's content root through a manifest it looks for in the working directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        app.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.Reused = reused;
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Sqlite"] = postgres ? null : connectionString,
            ["ConnectionStrings:Postgres"] = postgres ? connectionString : null,
            ["Demo:Enabled"] = "true",
            ["Database:StrictQueries"] = "true",
            // Production logs warnings and up; per-request information lines would be timed too.
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(BenchDatabase.OwnAuditFiles()));
    }

    /// <summary>A client holding the log-in cookie of a demo user, logged in through the real form.</summary>
    public async Task<HttpClient> LoginAsync(string userName)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl),
        };
        return await LogInThroughFormAsync(client, userName);
    }

    /// <summary>Logs a demo user in through the real log-in form (with its anti-forgery token) on a cookie-keeping client.</summary>
    public static async Task<HttpClient> LogInThroughFormAsync(HttpClient client, string userName)
    {
        var html = await client.GetStringAsync("/login");
        var token = TokenPattern().Match(html).Groups[1].Value;
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = MineGuard.Features.Demo.DemoData.Password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"log-in as {userName} failed: {(int)response.StatusCode}");
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await drop();
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<bool> ExistsAsync(string server, string database)
    {
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", conn);
        cmd.Parameters.AddWithValue("name", database);
        return await cmd.ExecuteScalarAsync() is not null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
