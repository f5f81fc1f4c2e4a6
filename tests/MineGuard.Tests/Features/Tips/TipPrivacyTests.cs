using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>
/// No IP address, user agent or cookie of a tipster reaches the database or the logs. The app runs with every log
/// category at Trace and a provider that keeps what the JSON console formatter would write (message, state values,
/// scopes); the caller's address is a distinctive one set on the connection, its browser string and cookie unique.
/// </summary>
public sealed class TipPrivacyTests
{
    private const string Address = "203.0.113.77";
    private const string ForwardedAddress = "198.51.100.231";

    [Theory, OnSqlite, OnPostgres]
    public async Task No_address_user_agent_or_cookie_reaches_the_database_or_the_logs(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var logs = new CapturingLoggerProvider();
        await using var factory = app.WithWebHostBuilder(b =>
        {
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            }));
            b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new FixedAddress(IPAddress.Parse(Address))));
        });
        var agent = "Mozilla/5.0 (Linux; Android 9; TipsterPhone-" + Guid.NewGuid().ToString("N")[..10] + ")";
        var cookie = "trk" + Guid.NewGuid().ToString("N")[..12];
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", agent);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Cookie", "tracker=" + cookie);

        var page = await client.GetAsync("/report");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var photo = ExifJpeg.Create(new DateTime(2026, 10, 31, 8, 0, 0), 110.4, 27.3);
        var sent = await SubmitAsync(client, Fields(description: "隐私测试", name: "张三丰", phone: "13900001111"), pow: true,
            files: [("IMG_张三的手机.jpg", photo)], source: ForwardedAddress);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var (status, _) = await ReceiptAsync(client, sent.Code!, source: ForwardedAddress);
        Assert.Equal(HttpStatusCode.OK, status);
        await ReceiptAsync(client, sent.Code!, "answer", new() { ["text"] = "补充：夜里有货车" }, source: ForwardedAddress);
        await ReceiptAsync(client, "AAAAAA-BBBB-CCCC-DDDD-EEEE-F", source: ForwardedAddress);

        string[] needles = [Address, ForwardedAddress, agent, "TipsterPhone", cookie, "张三丰", "13900001111", "张三的手机"];
        Assert.True(logs.Lines.Count > 50, $"expected the request logs, got {logs.Lines.Count} lines");
        Assert.Contains(logs.Lines, l => l.Contains("/report", StringComparison.Ordinal));
        var inLogs = logs.Lines.Where(l => needles.Any(n => l.Contains(n, StringComparison.Ordinal))).ToList();
        Assert.True(inLogs.Count == 0, "in the logs:\n" + string.Join("\n", inLogs.Take(5)));
        var inDb = await ScanDatabaseAsync(app, needles);
        Assert.True(inDb.Count == 0, "in the database:\n" + string.Join("\n", inDb.Take(5)));
        // The name was given: it is kept, encrypted.
        var tip = await app.WithDbAsync(db => db.Set<Tip>().SingleAsync(t => t.Description == "隐私测试"));
        Assert.True(tip.IsNamed);
        Assert.NotNull(tip.TipsterProtected);
    }

    /// <summary>Every text-like value in every table, searched for the needles.</summary>
    private static Task<List<string>> ScanDatabaseAsync(TestApp app, string[] needles) => app.WithDbAsync(async db =>
    {
        var hits = new List<string>();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = db.IsPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) tables.Add(r.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{table}\"";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                for (var i = 0; i < r.FieldCount; i++)
                {
                    if (r.IsDBNull(i)) continue;
                    var value = r.GetValue(i) switch
                    {
                        byte[] b => System.Text.Encoding.UTF8.GetString(b),
                        var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    foreach (var n in needles.Where(n => value.Contains(n, StringComparison.Ordinal))) hits.Add($"{table}.{r.GetName(i)} contains {n}");
                }
            }
        }
        return hits;
    });

    private sealed class FixedAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, nxt) =>
            {
                ctx.Connection.RemoteIpAddress = address;
                return nxt(ctx);
            });
            next(app);
        };
    }
}

/// <summary>Keeps every log entry as the JSON console formatter would render its content: message, state values, scopes, exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Entries { get; } = new();

    public List<string> Lines => [.. Entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { category, formatter(state, exception) };
            if (state is IEnumerable<KeyValuePair<string, object?>> values) parts.AddRange(values.Select(kv => $"{kv.Key}={kv.Value}"));
            owner.scopes.ForEachScope((scope, list) =>
            {
                list.Add(scope?.ToString() ?? "");
                if (scope is IEnumerable<KeyValuePair<string, object?>> kvs) list.AddRange(kvs.Select(kv => $"{kv.Key}={kv.Value}"));
            }, parts);
            if (exception is not null) parts.Add(exception.ToString());
            owner.Entries.Enqueue(string.Join(" | ", parts));
        }
    }
}
