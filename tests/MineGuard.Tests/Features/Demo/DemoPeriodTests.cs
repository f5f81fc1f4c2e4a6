using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Demo;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Demo;

/// <summary>
/// The demo opens on the current period, however long ago it was loaded: patrols up to yesterday, a month not yet over in
/// progress, and its tips and alerts dated as they were on the day it was loaded, relative to today.
/// </summary>
public sealed class DemoPeriodTests
{
    private static readonly HtmlParser Parser = new();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_demo_loaded_weeks_ago_covers_the_current_month_after_the_next_start(string provider)
    {
        await using var app = await TestApp.StartAsync(provider); // loaded on 2 November 2026
        var office = await app.LoginAsync("sx-office");
        var october = await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-10");
        Assert.NotEqual(0, october.GetArrayLength());
        // 2 November is the month's first Monday: the month still opens with a patrol, on Sunday the 1st.
        Assert.Equal([1], PatrolDays(await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-11")));

        // Six weeks later the app starts again on the same database: start-up brings the demo up to date.
        app.Clock.Set(new DateTimeOffset(2026, 12, 17, 2, 0, 0, TimeSpan.Zero));
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);

        office = await app.LoginAsync("sx-office");
        var december = await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-12");
        // Monday, Wednesday and Friday up to yesterday (16 December), never today.
        Assert.Equal([2, 4, 7, 9, 11, 14, 16], PatrolDays(december));
        var plans = await office.GetFromJsonAsync<JsonElement>("/api/patrol-plans");
        Assert.Contains(plans.EnumerateArray(), p => p.GetProperty("periodStart").GetString() == "2026-12-01");

        // A second start on the same day adds nothing.
        var count = december.GetArrayLength();
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        Assert.Equal(count, (await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-12")).GetArrayLength());

        // The month is not over: a team short of its figures so far is in progress, not failed.
        var page = Parser.ParseDocument(await office.GetStringAsync("/patrols/compliance"));
        var verdicts = page.QuerySelectorAll("#teams .verdict").Select(v => v.TextContent.Trim()).ToList();
        Assert.NotEmpty(verdicts);
        Assert.DoesNotContain("未达标", verdicts);
        Assert.Contains("本月尚未结束", page.Body!.TextContent, StringComparison.Ordinal);

        // On a month's first day (a Friday, 10:00 in China) the month opens with that morning's patrol.
        app.Clock.Set(new DateTimeOffset(2027, 1, 1, 2, 0, 0, TimeSpan.Zero));
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        office = await app.LoginAsync("sx-office");
        var january = await office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2027-01");
        Assert.Equal([1], PatrolDays(january));
        Assert.All(january.EnumerateArray(), p => Assert.True(DateTimeOffset.Parse(p.GetProperty("startedUtc").GetString()!) < app.Clock.GetUtcNow()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Demo_tips_and_alerts_loaded_weeks_ago_are_brought_forward_at_the_next_start_and_real_ones_never(string provider)
    {
        await using var app = await TestApp.StartAsync(provider); // loaded on 2 November 2026
        // The clock's rounds run when the test says: the next day the demo alerts are escalated (history lines after opening).
        await MineGuard.Tests.Features.Monitoring.MonitoringFixtures.StopJobsAsync(app);
        app.Clock.Set(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
        await app.Services.GetRequiredService<MineGuard.Platform.Deadlines.DeadlineJob>().RunOnceAsync(CancellationToken.None);
        var office = await app.LoginAsync("hj-office");
        var real = await office.PostAsJsonAsync("/api/tips", new { channel = "Phone", divisionCode = "431281103", kinds = new[] { "transport" }, description = "热线：真实举报" });
        Assert.Equal(System.Net.HttpStatusCode.Created, real.StatusCode);
        var realId = (await real.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tip").GetProperty("id").GetGuid();
        var before = await DatesAsync(app);
        var realReceived = await app.WithDbAsync(db => db.Set<Tip>().Where(t => t.Id == realId).Select(t => t.ReceivedUtc).SingleAsync());

        // Six weeks later the app starts again on the same database.
        app.Clock.Set(new DateTimeOffset(2026, 12, 17, 2, 0, 0, TimeSpan.Zero));
        var now = app.Clock.GetUtcNow().UtcDateTime;
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        var after = await DatesAsync(app);

        // Every demo tip moved by the same whole number of days: the youngest is two days old again, as when loaded.
        var days = (after.Tips.Values.Max() - before.Tips.Values.Max()).TotalDays;
        Assert.Equal(Math.Floor(days), days);
        Assert.InRange((now - after.Tips.Values.Max()).TotalDays, 2, 3);
        Assert.All(before.Tips, t => Assert.Equal(t.Value.AddDays(days), after.Tips[t.Key]));
        Assert.All(before.PayBy, r => Assert.Equal(r.Value.AddDays((int)days), after.PayBy[r.Key]));
        Assert.NotEmpty(after.PayBy);
        // The demo alerts were opened today or yesterday, and nothing of theirs happened after now.
        Assert.NotEmpty(after.Alerts);
        Assert.All(after.Alerts.Values, opened => Assert.InRange(opened, now.AddDays(-1), now));
        Assert.All(after.AlertLines, at => Assert.True(at <= now));
        // A real tip keeps its date.
        Assert.Equal(realReceived, await app.WithDbAsync(db => db.Set<Tip>().Where(t => t.Id == realId).Select(t => t.ReceivedUtc).SingleAsync()));

        // What the office sees: the demo tips of the last three weeks.
        office = await app.LoginAsync("hj-office");
        var inbox = await office.GetFromJsonAsync<JsonElement>("/api/tips");
        var items = (inbox.ValueKind == JsonValueKind.Array ? inbox : inbox.GetProperty("items")).EnumerateArray().Where(t => t.GetProperty("isDemo").GetBoolean()).ToList();
        Assert.NotEmpty(items);
        Assert.All(items, t => Assert.True(string.CompareOrdinal(t.GetProperty("receivedAt").GetString(), "2026-11-26") >= 0, t.GetProperty("receivedAt").GetString()));

        // A second start on the same day moves nothing.
        using (var scope = app.Services.CreateScope()) await MineGuard.Platform.Hosting.DemoLoader.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        var again = await DatesAsync(app);
        Assert.Equal(after.Tips, again.Tips);
        Assert.Equal(after.Alerts, again.Alerts);

        // The demo's assigned tips are clues, as assigning makes them: Luoyang's leader sees Songxian's on the clue list.
        var leader = await app.LoginAsync("ly-leader");
        var clues = await leader.GetFromJsonAsync<JsonElement>("/api/clues");
        Assert.Contains((clues.ValueKind == JsonValueKind.Array ? clues : clues.GetProperty("items")).EnumerateArray(),
            c => c.GetProperty("divisionCode").GetString()!.StartsWith("410325", StringComparison.Ordinal));
    }

    private sealed record DemoDatesSeen(Dictionary<Guid, DateTime> Tips, Dictionary<Guid, DateOnly> PayBy, Dictionary<Guid, DateTime> Alerts, List<DateTime> AlertLines);

    private static Task<DemoDatesSeen> DatesAsync(TestApp app) => app.WithDbAsync(async db =>
    {
        var tips = await db.Set<Tip>().Where(t => t.IsDemo).ToDictionaryAsync(t => t.Id, t => t.ReceivedUtc);
        var ids = tips.Keys.ToList();
        var payBy = await db.Set<Reward>().Where(r => ids.Contains(r.TipId)).ToDictionaryAsync(r => r.Id, r => r.PayBy);
        var alerts = await db.Alerts().Where(a => a.IsDemo).ToDictionaryAsync(a => a.Id, a => a.OpenedUtc);
        var alertIds = alerts.Keys.ToList();
        var lines = await db.AlertEntries().Where(e => alertIds.Contains(e.AlertId)).Select(e => e.AtUtc).ToListAsync();
        return new DemoDatesSeen(tips, payBy, alerts, lines);
    });

    private static List<int> PatrolDays(JsonElement patrols) =>
        [.. patrols.EnumerateArray().Select(p => DateTimeOffset.Parse(p.GetProperty("startedUtc").GetString()!).ToOffset(TimeSpan.FromHours(8)).Day).Distinct().Order()];
}
