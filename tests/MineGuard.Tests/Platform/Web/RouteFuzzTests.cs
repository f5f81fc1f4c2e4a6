using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Demo;
using MineGuard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MineGuard.Tests.Platform.Web;

/// <summary>
/// Every route of the app (from its endpoint list: API routes and pages, each method), fed malformed JSON, wrong types,
/// huge numbers, NaN, out-of-range dates, overlong strings, empty bodies and odd query strings as two logged-in writers,
/// answers below 500. Two planted bugs (test-only endpoints in this host, of the kinds the product had) show that the
/// fuzzer finds a 500 and names the route and the input.
/// </summary>
public sealed class RouteFuzzTests(ITestOutputHelper output)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task No_route_answers_500_to_malformed_input_and_the_planted_bugs_are_found(string provider)
    {
        // A private app: the fuzzer posts to real records (undo, retire, close…), which shared tests must not see.
        await using var app = await TestApp.StartAsync(provider);
        await using var host = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, PlantedBugs>()));
        var ids = await RealIdsAsync(app);
        var routes = RouteFuzzer.Routes(host.Services.GetRequiredService<EndpointDataSource>());
        Assert.Contains(routes, r => r.Pattern == PlantedBugs.Month);
        Assert.True(routes.Count > 150, $"only {routes.Count} routes");

        var clock = Stopwatch.StartNew();
        var failures = new List<RouteFuzzer.Failure>();
        var requests = 0;
        foreach (var (user, variants) in new[] { ("sx-office", 6), ("sx-patrol", 2) })
        {
            var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            // Each user from a source of its own (through the test's trusted loopback proxy): the fuzzer's wrong log-ins
            // throttle their source, as they should, and must not throttle the next user's log-in.
            client.DefaultRequestHeaders.Add("X-Forwarded-For", user == "sx-office" ? "10.77.0.1" : "10.77.0.2");
            var login = await TestApp.PostLoginAsync(client, user, DemoData.Password);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            // The layout's log-out form carries the user's anti-forgery token; every page form accepts it.
            var token = await TestApp.AntiForgeryTokenAsync(client, "/");
            var fuzzer = new RouteFuzzer(ids, seed: 2026);
            failures.AddRange(await fuzzer.RunAsync(client, token, routes, variants));
            requests += fuzzer.Sent;
            // Still logged in: the fuzzing did not lock itself out halfway.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }
        output.WriteLine($"{routes.Count} routes, {requests} requests in {clock.Elapsed.TotalSeconds:F0} s");

        var planted = failures.Where(f => f.Url.StartsWith("/api/test-only/", StringComparison.Ordinal)).ToList();
        var real = failures.Except(planted).ToList();
        output.WriteLine(RouteFuzzer.Describe(failures));
        Assert.True(real.Count == 0, $"{real.Count} requests answered 500 or failed:\n" + RouteFuzzer.Describe(real.Take(60)));
        Assert.Contains(planted, f => f.Url.StartsWith(PlantedBugs.Month, StringComparison.Ordinal) && f.Status == 500 && f.Url.Contains("9999-12", StringComparison.Ordinal));
        Assert.Contains(planted, f => f.Url.StartsWith(PlantedBugs.Measure, StringComparison.Ordinal) && f.Status == 500 && f.Input.Contains("shaped", StringComparison.Ordinal));
    }

    /// <summary>Up to three ids of every table keyed by a Guid "Id", keyed by table name.</summary>
    private static Task<Dictionary<string, List<Guid>>> RealIdsAsync(TestApp app) => app.WithDbAsync(async db =>
    {
        var ids = new Dictionary<string, List<Guid>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var key = entity.FindPrimaryKey()?.Properties;
            if (key is not [{ Name: "Id" } id] || id.ClrType != typeof(Guid) || entity.GetTableName() is not { } table || entity.GetSchema() is not null) continue;
            if (ids.ContainsKey(table)) continue;
            var column = id.GetColumnName();
            // Names from the EF model, not input: nothing to inject.
            var sql = "SELECT CAST(\"" + column + "\" AS TEXT) AS \"Value\" FROM \"" + table + "\" ORDER BY 1 LIMIT 3";
            var rows = await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
            ids[table] = [.. rows.Select(Guid.Parse)];
        }
        return ids;
    });

    /// <summary>Two bugs of the kinds the product had, mapped in the test host only (no input check wraps them).</summary>
    private sealed class PlantedBugs : IStartupFilter
    {
        public const string Month = "/api/test-only/month-report";
        public const string Measure = "/api/test-only/measure";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseAuthorization();
            app.UseEndpoints(e =>
            {
                // Compliance's bug: the month parses, the month after it does not exist (9999-12).
                e.MapGet(Month, (string? month) => DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", out var first)
                    ? Results.Ok(first.AddMonths(1)) : Results.BadRequest()).RequireAuthorization();
                // The field API's bug: a number taken as a Unix time without a range check.
                e.MapPost(Measure, (PlantedMeasure m) => Results.Ok(DateTimeOffset.FromUnixTimeMilliseconds((long)(m.At ?? 0)))).RequireAuthorization();
            });
        };
    }
}

public sealed record PlantedMeasure(double? At);
