using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Demo;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// A constructed November 2026 in a grid of its own: a township team one patrol short in one week, one adit never proved
/// visited and one cross patrol short; a city team with exactly 22 patrol days. The API, the page and the export agree.
/// </summary>
public sealed class ComplianceTests
{
    private static readonly HtmlParser Parser = new();

    private sealed record Month(string Grid, Guid TeamA, Guid TeamB, Guid UserA, Guid UserB, List<(Guid Id, string Number)> Adits);

    private static async Task<Month> ConstructAsync(TestApp app)
    {
        var admin = await app.LoginAsync("sx-admin");
        var office = await app.LoginAsync("sx-office");
        var grid = await admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = "410325400", kind = "grid", name = "考核测试网格" + Guid.NewGuid().ToString("N")[..6] });
        Assert.True(grid.IsSuccessStatusCode, await grid.Content.ReadAsStringAsync());
        var gridCode = (await grid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        var adits = new List<(Guid, string)>();
        for (var i = 0; i < 4; i++)
        {
            var spot = Spots.Songxian();
            var response = await office.PostAsJsonAsync("/api/adits", new
            {
                township = "陶村林场", grid = gridCode, lon = spot.Lon.ToString("F6"), lat = spot.Lat.ToString("F6"), mineral = "金", origin = "盗采点",
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var adit = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adit");
            adits.Add((adit.GetProperty("id").GetGuid(), adit.GetProperty("number").GetString()!));
        }

        async Task<(Guid Team, Guid User)> Team(string kind)
        {
            var name = "cm" + Guid.NewGuid().ToString("N")[..10];
            var user = await admin.PostAsJsonAsync("/api/admin/users", new
            {
                userName = name, displayName = "考核" + name[2..6], password = DemoData.Password, divisionCode = gridCode, departmentCode = "forestry", roles = new[] { "patrol" },
            });
            Assert.True(user.IsSuccessStatusCode, await user.Content.ReadAsStringAsync());
            var team = await office.PostAsJsonAsync("/api/patrol-teams", new { name = "考核队" + name, kind, divisionCode = gridCode, areas = new[] { gridCode }, members = new[] { new { user = name } } });
            Assert.True(team.StatusCode == HttpStatusCode.Created, await team.Content.ReadAsStringAsync());
            var body = await team.Content.ReadFromJsonAsync<JsonElement>();
            return (body.GetProperty("id").GetGuid(), body.GetProperty("members")[0].GetProperty("userId").GetGuid());
        }

        var (teamA, userA) = await Team("乡镇日常巡查队");
        var (teamB, userB) = await Team("市联合巡查队");

        await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var a = await db.PatrolTeams().IgnoreQueryFilters().SingleAsync(t => t.Id == teamA);
            var b = await db.PatrolTeams().IgnoreQueryFilters().SingleAsync(t => t.Id == teamB);
            var cross = PatrolPlan.Create(teamA, "410325", new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 30), true, null, null, now);
            db.Add(cross);

            void Patrol(PatrolTeam team, Guid user, DateTime localStart, int adit, bool verified = true, string? flag = null, bool cleared = false, PatrolPlan? plan = null)
            {
                var start = ChinaTime.ToUtc(localStart);
                var patrol = MineGuard.Features.Patrols.Patrol.Start(Guid.NewGuid(), team, user, plan, start, PatrolSource.App, now, 0, "x");
                db.Add(patrol);
                var c = CheckIn.Create(Guid.NewGuid(), patrol.Id, adits[adit].Item1, user, gridCode, start.AddMinutes(20), 34, 112, 5,
                    new CheckList(true, false, false, false, false, false, false, false), false, null, now, 0, "x");
                c.Evaluated(new Evidence(verified, 3, verified ? [] : ["签到定位距矿硐 900 米，超过 50 米"]), flag is null ? [] : [flag], now);
                if (cleared) c.ClearFlags("核实无误", null, now);
                db.Add(c);
            }

            DateTime Day(int d, int hour = 9) => new(2026, 11, d, hour, 0, 0);
            Patrol(a, userA, new DateTime(2026, 10, 31, 23, 30, 0), 3);       // October: not this month
            Patrol(a, userA, new DateTime(2026, 11, 1, 0, 10, 0), 1);         // the first minutes of November
            foreach (var d in new[] { 2, 4, 6 }) Patrol(a, userA, Day(d), d / 2 - 1);
            Patrol(a, userA, Day(9), 0);
            Patrol(a, userA, Day(11), 1);
            Patrol(a, userA, Day(13), 3, verified: false);                    // unproved: neither a patrol nor coverage
            Patrol(a, userA, Day(16), 0);
            Patrol(a, userA, Day(18), 1);
            Patrol(a, userA, Day(20), 2, flag: "轨迹是一条直线", cleared: true); // flagged, reviewed: counts
            Patrol(a, userA, Day(21), 3, flag: "定位坐标完全相同");             // flagged, not reviewed: does not count
            foreach (var d in new[] { 23, 25, 27 }) Patrol(a, userA, Day(d), 0);
            Patrol(a, userA, Day(30), 1, plan: cross);
            for (var d = 2; d <= 23; d++) Patrol(b, userB, Day(d, 14), 0);
            await db.SaveChangesAsync();
            return 0;
        });
        return new Month(gridCode, teamA, teamB, userA, userB, adits);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_constructed_month_gives_the_right_figures_on_the_api_the_page_and_the_export(string provider)
    {
        // A private app whose clock is in December: November is over, so every week of it is judged.
        await using var app = await TestApp.StartAsync(provider);
        app.Clock.Set(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero));
        var m = await ConstructAsync(app);
        var office = await app.LoginAsync("sx-office");

        var report = await office.GetFromJsonAsync<JsonElement>($"/api/patrols/compliance?month=2026-11&division={m.Grid}");
        var teams = report.GetProperty("teams").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetGuid());
        var a = teams[m.TeamA];
        Assert.Equal(13, a.GetProperty("patrols").GetInt32());
        Assert.Equal([3, 2, 3, 3], a.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("patrols").GetInt32()));
        Assert.Equal("2026-11-02", a.GetProperty("weeks")[0].GetProperty("weekStart").GetString());
        Assert.False(a.GetProperty("weeklyOk").GetBoolean());
        Assert.True(report.GetProperty("monthOver").GetBoolean());
        Assert.Equal((4, 3), (a.GetProperty("aditsInArea").GetInt32(), a.GetProperty("aditsCovered").GetInt32()));
        Assert.False(a.GetProperty("coverageOk").GetBoolean());
        Assert.Equal((1, 2), (a.GetProperty("crossPatrols").GetInt32(), a.GetProperty("crossPatrolsRequired").GetInt32()));
        Assert.False(a.GetProperty("ok").GetBoolean());
        var b = teams[m.TeamB];
        Assert.Equal((22, 22), (b.GetProperty("patrolDays").GetInt32(), b.GetProperty("patrolDaysRequired").GetInt32()));
        Assert.True(b.GetProperty("ok").GetBoolean());
        Assert.Equal(1, report.GetProperty("blindSpotCount").GetInt32());
        Assert.Equal(m.Adits[3].Number, Assert.Single(report.GetProperty("blindSpots").EnumerateArray()).GetProperty("number").GetString());
        var members = report.GetProperty("members").EnumerateArray().ToDictionary(x => x.GetProperty("userId").GetGuid());
        Assert.Equal([13, 15, 14, 1, 1], new[] { "patrols", "checkIns", "verified", "unverified", "flagged" }.Select(k => members[m.UserA].GetProperty(k).GetInt32()));
        Assert.Equal([22, 22, 22, 0, 0], new[] { "patrols", "checkIns", "verified", "unverified", "flagged" }.Select(k => members[m.UserB].GetProperty(k).GetInt32()));

        // The page: short figures in red, the blind spot listed.
        var page = Parser.ParseDocument(await office.GetStringAsync($"/patrols/compliance?month=2026-11&division={m.Grid}"));
        var rowA = page.QuerySelector($"tr[data-team='{m.TeamA}']")!;
        Assert.Contains("table-danger", rowA.QuerySelector(".weeks")!.ClassName);
        Assert.StartsWith("3 · 2 · 3 · 3", rowA.QuerySelector(".weeks")!.TextContent.Trim());
        Assert.Equal("3 / 4", rowA.QuerySelector(".coverage")!.TextContent.Trim());
        Assert.Contains("table-danger", rowA.QuerySelector(".cross")!.ClassName);
        Assert.Equal("未达标", rowA.QuerySelector(".verdict")!.TextContent.Trim());
        var rowB = page.QuerySelector($"tr[data-team='{m.TeamB}']")!;
        Assert.DoesNotContain("table-danger", rowB.QuerySelector(".days")!.ClassName);
        Assert.Equal("达标", rowB.QuerySelector(".verdict")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("#blind-count")!.TextContent);
        Assert.Contains(m.Adits[3].Number, page.QuerySelector("#blind")!.TextContent);

        // The exports.
        var sheet = SheetReader.Read(new MemoryStream(await office.GetByteArrayAsync($"/api/patrols/compliance.xlsx?month=2026-11&division={m.Grid}")), "x.xlsx").ToList();
        Assert.Equal(3, sheet.Count);
        Assert.Equal("巡查队", sheet[0].Cells[0]);
        Assert.Contains(sheet, r => r.Cells.Contains("未达标") && r.Cells.Contains("75%"));
        var blind = SheetReader.Read(new MemoryStream(await office.GetByteArrayAsync($"/api/patrols/compliance.xlsx?month=2026-11&division={m.Grid}&part=blind")), "x.xlsx").ToList();
        Assert.Equal(m.Adits[3].Number, blind[1].Cells[0]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Compliance_refuses_anonymous_other_counties_and_bad_months(string provider)
    {
        var app = await TestApp.Shared(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/patrols/compliance?month=2026-11")).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync("/api/patrols/compliance?month=2026-11&division=410325")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync("/api/patrols/compliance.xlsx?month=2026-11&division=410325")).StatusCode);
        var bad = await hj.GetAsync("/api/patrols/compliance?month=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("月份格式应为 2026-11", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("month")[0].GetString());
        var page = Parser.ParseDocument(await hj.GetStringAsync("/patrols/compliance?division=410325"));
        Assert.Contains("该区域不在本辖区内", page.QuerySelector(".alert-danger")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_week_not_yet_over_is_shown_but_not_judged(string provider)
    {
        var app = await TestApp.Shared(provider);
        var m = await ConstructAsync(app);
        // The shared app's clock stands at 2 November: no week of November is over yet.
        var report = await (await app.LoginAsync("sx-office")).GetFromJsonAsync<JsonElement>($"/api/patrols/compliance?month=2026-11&division={m.Grid}");
        var a = report.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == m.TeamA);
        Assert.All(a.GetProperty("weeks").EnumerateArray(), w => Assert.False(w.GetProperty("complete").GetBoolean()));
        Assert.True(a.GetProperty("weeklyOk").GetBoolean());
        Assert.False(report.GetProperty("monthOver").GetBoolean());
    }
}
