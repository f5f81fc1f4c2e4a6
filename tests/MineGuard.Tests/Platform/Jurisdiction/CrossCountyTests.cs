using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Jurisdiction;

/// <summary>
/// Every GET route and page, called by every role of 嵩县 with the real ids of 洪江市's records. The routes come from the
/// app's endpoint list and the ids from every entity that lives in a jurisdiction, so a new route or a new kind of record
/// is covered without anyone remembering it.
/// </summary>
public sealed partial class CrossCountyTests
{
    private const string Foreign = "431281"; // 洪江市
    private static readonly string[] Users = ["sx-office", "sx-patrol", "sx-police", "sx-leader", "sx-admin", "sx-resp"];

    [Theory, OnSqlite, OnPostgres]
    public async Task No_route_shows_another_countys_records(string provider)
    {
        var app = await TestApp.Shared(provider);
        var foreign = await ForeignRecord.CollectAsync(app, Foreign);
        var kinds = foreign.Select(f => f.Kind).Distinct().ToList();
        var listed = await ForeignRecord.IdsAsync(app, Foreign);
        Assert.True(kinds.Count >= 12, "too few kinds of 洪江市 records to test with: " + string.Join(", ", kinds));
        // The demo cases of 洪江市 (CaseDemo) are tried on every case route, their parties, evidence and seizures with them.
        Assert.Contains("Case", kinds);
        Assert.Contains("CaseSeizure", kinds);
        var routes = GetRoutes(app).ToList();
        Assert.True(routes.Count(r => r.Contains(":guid", StringComparison.Ordinal)) >= 15, "too few routes with an id");

        var leaks = new List<string>();
        foreach (var user in Users)
        {
            var client = await app.LoginAsync(user);
            // A user's own records (a notification to them about another county's matter) are theirs wherever filed.
            var me = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync());
            var notMine = listed.Where(l => !ForeignRecord.Owners.TryGetValue(l.Key, out var owner) || owner != me).ToDictionary();
            leaks.AddRange((await FindLeaksAsync(client, routes, foreign, notMine)).Select(l => $"{user}: {l}"));
        }
        Assert.True(leaks.Count == 0, "another county's records reached 嵩县 users:\n" + string.Join("\n", leaks.Take(40)));
    }

    /// <summary>The finder itself catches a route that forgets the scope: a test-only endpoint reads check-ins past it.</summary>
    [Theory, OnSqlite]
    public async Task The_leak_finder_catches_a_route_without_a_scope_check(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, services: s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, LeakyEndpoints>());
        var foreign = await ForeignRecord.CollectAsync(app, Foreign);
        Assert.Contains(foreign, f => f.Kind == "CheckIn");
        var client = await app.LoginAsync("sx-office");

        var leaks = await FindLeaksAsync(client, ["/test-leak/check-ins/{id:guid}", "/test-leak/check-ins", "/test-sound/check-ins/{id:guid}"], foreign,
            await ForeignRecord.IdsAsync(app, Foreign));

        Assert.Contains(leaks, l => l.StartsWith("/test-leak/check-ins/{id:guid}", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("/test-leak/check-ins ", StringComparison.Ordinal));
        Assert.DoesNotContain(leaks, l => l.StartsWith("/test-sound", StringComparison.Ordinal));
    }

    /// <summary>Lifting one set's filter leaves the other sets of the same query filtered (unlike IgnoreQueryFilters()).</summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task Lifting_one_sets_filter_keeps_the_others(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, services: s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, LeakyEndpoints>());
        var client = await app.LoginAsync("sx-office");
        var divisions = await client.GetStringAsync("/test-sound/joined-divisions");
        Assert.Contains("410325", divisions, StringComparison.Ordinal);
        Assert.DoesNotContain(Foreign, divisions, StringComparison.Ordinal);
    }

    /// <param name="listed">Ids of every foreign record (by kind), looked for in lists.</param>
    private static async Task<List<string>> FindLeaksAsync(HttpClient client, IEnumerable<string> routes, List<ForeignRecord> foreign,
        Dictionary<string, string> listed)
    {
        var leaks = new List<string>();
        foreach (var route in routes)
        {
            if (!route.Contains('{'))
            {
                var (status, body) = await GetAsync(client, route);
                if ((int)status < 300 && GuidText().Matches(body).Select(m => m.Value.ToLowerInvariant()).FirstOrDefault(listed.ContainsKey) is { } shown)
                    leaks.Add($"{route} lists {listed[shown]} {shown}");
                continue;
            }
            if (!route.Contains(":guid", StringComparison.Ordinal)) continue;
            var random = await GetAsync(client, Fill(route, Guid.NewGuid().ToString()));
            foreach (var record in foreign)
            {
                var (status, body) = await GetAsync(client, Fill(route, record.Id));
                if ((int)status < 300 && status != random.Status)
                    leaks.Add($"{route} answers {(int)status} for {record.Kind} {record.Id} (random id: {(int)random.Status})");
                else if ((int)status < 300 && record.Texts.FirstOrDefault(t => body.Contains(t, StringComparison.Ordinal) && !random.Body.Contains(t, StringComparison.Ordinal)) is { } text)
                    leaks.Add($"{route} shows “{text}” of {record.Kind} {record.Id}");
            }
        }
        return leaks;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = response.Content.Headers.ContentType?.MediaType is { } type && (type.Contains("json") || type.Contains("html") || type.StartsWith("text"))
            ? await response.Content.ReadAsStringAsync() : "";
        return (response.StatusCode, body);
    }

    private static string Fill(string route, string id) =>
        RouteParameter().Replace(route, m => m.Value.Contains(":guid", StringComparison.Ordinal) ? id
            : m.Value.Contains(":int", StringComparison.Ordinal) ? "1" : "x");

    private static IEnumerable<string> GetRoutes(TestApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is not { } m || m.Contains("GET"))
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(r => !r.StartsWith("/report", StringComparison.Ordinal) && r != "/logout")
            .Distinct();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidText();

    /// <summary>A record of the other county: its id and the texts that would give it away on a page.</summary>
    private sealed record ForeignRecord(string Kind, string Id, List<string> Texts)
    {
        public static Task<List<ForeignRecord>> CollectAsync(TestApp app, string county) => app.WithDbAsync(async db =>
        {
            var found = new List<ForeignRecord>();
            foreach (var type in db.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(IInJurisdiction).IsAssignableFrom(t)).Distinct())
            {
                var rows = await (Task<List<ForeignRecord>>)typeof(ForeignRecord).GetMethod(nameof(OfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(type).Invoke(null, [db, county])!;
                found.AddRange(rows);
            }
            return found;
        });

        /// <summary>The id of every record of the county, with its kind.</summary>
        public static Task<Dictionary<string, string>> IdsAsync(TestApp app, string county) => app.WithDbAsync(async db =>
        {
            var ids = new Dictionary<string, string>();
            foreach (var type in db.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(IInJurisdiction).IsAssignableFrom(t) && t.GetProperty("Id")?.PropertyType == typeof(Guid)).Distinct())
            {
                var list = await (Task<List<Guid>>)typeof(ForeignRecord).GetMethod(nameof(AllIdsAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(type).Invoke(null, [db, county])!;
                foreach (var id in list) ids[id.ToString()] = type.Name;
            }
            return ids;
        });

        /// <summary>The owner of each record that belongs to a user (IOwnedByUser), by id.</summary>
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> Owners = new();

        private static async Task<List<Guid>> AllIdsAsync<T>(AppDbContext db, string county) where T : class, IInJurisdiction
        {
            var rows = db.Set<T>().Where(x => x.DivisionCode.StartsWith(county));
            if (!typeof(IOwnedByUser).IsAssignableFrom(typeof(T))) return await rows.Select(x => EF.Property<Guid>(x, "Id")).ToListAsync();
            var owned = await rows.Select(x => new { Id = EF.Property<Guid>(x, "Id"), Owner = EF.Property<Guid>(x, "UserId") }).ToListAsync();
            foreach (var o in owned) Owners[o.Id.ToString()] = o.Owner;
            return owned.Select(o => o.Id).ToList();
        }

        private static async Task<List<ForeignRecord>> OfAsync<T>(AppDbContext db, string county) where T : class, IInJurisdiction
        {
            var id = typeof(T).GetProperty("Id");
            if (id?.PropertyType != typeof(Guid)) return [];
            var rows = await db.Set<T>().Where(x => x.DivisionCode.StartsWith(county)).OrderBy(x => EF.Property<Guid>(x, "Id")).Take(3).AsNoTracking().ToListAsync();
            var texts = typeof(T).GetProperties().Where(p => p.PropertyType == typeof(string) && p.Name is not nameof(IInJurisdiction.DivisionCode)
                && p.Name is "Number" or "Name" or "Title" or "Note" or "Description" or "Content" or "Text" or "Plate" or "Code" or "LicenceNumber" or "Address").ToList();
            return rows.Select(r => new ForeignRecord(typeof(T).Name, ((Guid)id.GetValue(r)!).ToString(),
                texts.Select(p => p.GetValue(r) as string).OfType<string>().Where(t => t.Length >= 6).ToList())).ToList();
        }
    }

    /// <summary>Test-only routes: one that forgets the scope (as a handler with a lifted filter would) and sound ones.</summary>
    private sealed class LeakyEndpoints : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (ctx, nxt) =>
            {
                var db = ctx.RequestServices.GetRequiredService<AppDbContext>();
                var path = ctx.Request.Path.Value ?? "";
                if (path.StartsWith("/test-leak/check-ins/", StringComparison.Ordinal) && Guid.TryParse(path[21..], out var leakId))
                {
                    var c = await db.Beyond<MineGuard.Features.Patrols.CheckIn>(ScopeExit.SystemJudgement).FirstOrDefaultAsync(x => x.Id == leakId);
                    if (c is null) ctx.Response.StatusCode = 404;
                    else await ctx.Response.WriteAsJsonAsync(new { c.Id, c.DivisionCode });
                }
                else if (path == "/test-leak/check-ins")
                    await ctx.Response.WriteAsJsonAsync(await db.Beyond<MineGuard.Features.Patrols.CheckIn>(ScopeExit.SystemJudgement).Select(x => x.Id).ToListAsync());
                else if (path.StartsWith("/test-sound/check-ins/", StringComparison.Ordinal) && Guid.TryParse(path[22..], out var soundId))
                {
                    var c = await db.Set<MineGuard.Features.Patrols.CheckIn>().FirstOrDefaultAsync(x => x.Id == soundId);
                    if (c is null) ctx.Response.StatusCode = 404;
                    else await ctx.Response.WriteAsJsonAsync(new { c.Id, c.DivisionCode });
                }
                else if (path == "/test-sound/joined-divisions")
                {
                    // Scoped check-ins joined to adits past the scope: only 嵩县's check-ins may come back.
                    var codes = await db.Set<MineGuard.Features.Patrols.CheckIn>()
                        .Join(db.Beyond<MineGuard.Features.Adits.Adit>(ScopeExit.LinkedLabel), c => c.AditId, a => a.Id, (c, a) => c.DivisionCode)
                        .Distinct().ToListAsync();
                    await ctx.Response.WriteAsJsonAsync(codes);
                }
                else await nxt(ctx);
            });
        };
    }
}
