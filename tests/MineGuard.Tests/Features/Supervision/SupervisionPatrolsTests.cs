using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Supervision.SupervisionDashboardTests;

namespace MineGuard.Tests.Features.Supervision;

/// <summary>
/// The dashboard's patrol section (issue 18) on a village of the test's own with two grids, a team each, over two whole
/// weeks of October 2026 (Monday 5 to Sunday 18, both over on the shared clock's 2 November): each figure by hand, and
/// each link's list (the compliance figures for the period, the check-in list) holding exactly that many.
/// </summary>
public sealed class SupervisionPatrolsTests
{
    private const string Period = "from=2026-10-05&to=2026-10-18";

    private static async Task<(Guid Team, Guid User)> TeamAsync(TestApp app, string grid)
    {
        var admin = await app.LoginAsync("sx-admin");
        var office = await app.LoginAsync("sx-office");
        var name = "dp" + Guid.NewGuid().ToString("N")[..10];
        var user = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "看板" + name[2..6], password = MineGuard.Features.Demo.DemoData.Password, divisionCode = grid,
            departmentCode = "forestry", roles = new[] { "patrol" },
        });
        Assert.True(user.IsSuccessStatusCode, await user.Content.ReadAsStringAsync());
        var team = await office.PostAsJsonAsync("/api/patrol-teams", new { name = "看板队" + name, kind = "乡镇日常巡查队", divisionCode = grid, areas = new[] { grid }, members = new[] { new { user = name } } });
        Assert.True(team.StatusCode == HttpStatusCode.Created, await team.Content.ReadAsStringAsync());
        var body = await team.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("members")[0].GetProperty("userId").GetGuid());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Patrol_figures_match_a_hand_count_and_each_link_lists_what_it_counts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        var a = new[] { await AditAsync(office, place.GridA), await AditAsync(office, place.GridA), await AditAsync(office, place.GridA) };
        var b = new[] { await AditAsync(office, place.GridB), await AditAsync(office, place.GridB) };
        var (teamA, userA) = await TeamAsync(app, place.GridA);
        var (teamB, userB) = await TeamAsync(app, place.GridB);

        await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            // The village's own rules: two patrols a week, no cross patrols.
            db.Add(new PatrolRuleSet { DivisionCode = place.Village, PatrolsPerWeek = 2, CrossPatrolsPerMonth = 0 });
            var ta = await db.PatrolTeams().IgnoreQueryFilters().SingleAsync(t => t.Id == teamA);
            var tb = await db.PatrolTeams().IgnoreQueryFilters().SingleAsync(t => t.Id == teamB);
            void Patrol(PatrolTeam team, Guid user, string grid, int day, Guid adit, bool verified = true, string? flag = null, bool cleared = false)
            {
                var start = ChinaTime.ToUtc(new DateTime(2026, 10, day, 9, 0, 0));
                var patrol = MineGuard.Features.Patrols.Patrol.Start(Guid.NewGuid(), team, user, null, start, PatrolSource.App, now, 0, "x");
                db.Add(patrol);
                var c = CheckIn.Create(Guid.NewGuid(), patrol.Id, adit, user, grid, start.AddMinutes(20), 34, 112, 5,
                    new CheckList(true, false, false, false, false, false, false, false), false, null, now, 0, "x");
                c.Evaluated(new Evidence(verified, 3, verified ? [] : ["签到定位距矿硐 900 米，超过 50 米"]), flag is null ? [] : [flag], now);
                if (cleared) c.ClearFlags("核实无误", null, now);
                db.Add(c);
            }

            // Grid A: week one 2 counted (5th, 7th), an unproved check-in on the 10th; week two 1 counted (12th) and one
            // flagged, not reviewed (14th): short in week two; adit a2 proved only on the 20th, after the period.
            Patrol(ta, userA, place.GridA, 5, a[0]);
            Patrol(ta, userA, place.GridA, 7, a[1]);
            Patrol(ta, userA, place.GridA, 10, a[2], verified: false);
            Patrol(ta, userA, place.GridA, 12, a[0]);
            Patrol(ta, userA, place.GridA, 14, a[1], flag: "定位坐标完全相同");
            Patrol(ta, userA, place.GridA, 20, a[2]);
            // Grid B: two a week, one of them flagged and cleared on review (counts): meets the rules, both adits proved.
            Patrol(tb, userB, place.GridB, 6, b[0]);
            Patrol(tb, userB, place.GridB, 8, b[1]);
            Patrol(tb, userB, place.GridB, 13, b[0]);
            Patrol(tb, userB, place.GridB, 15, b[1], flag: "轨迹是一条直线", cleared: true);
            return await db.SaveChangesAsync();
        });

        var board = await DashboardAsync(office, $"division={place.Village}&{Period}");
        var expected = new Dictionary<string, (int Village, int A, int B)>
        {
            ["teams"] = (2, 1, 1), ["teams-short"] = (1, 1, 0), ["planned"] = (8, 4, 4), ["done"] = (7, 3, 4),
            ["due"] = (5, 3, 2), ["covered"] = (4, 2, 2), ["coverage"] = (80, 67, 100), ["blind"] = (1, 1, 0),
            ["check-ins"] = (9, 5, 4), ["flagged"] = (2, 1, 1), ["flagged-share"] = (22, 20, 25),
        };
        foreach (var (key, (v, ga, gb)) in expected)
        {
            var m = Measure(board, "patrols", key);
            Assert.True(v == Figure(m, place.Village).GetProperty("value").GetInt32(), $"{key} of the village: {Figure(m, place.Village)}");
            Assert.True(ga == Figure(m, place.GridA).GetProperty("value").GetInt32(), $"{key} of grid A: {Figure(m, place.GridA)}");
            Assert.True(gb == Figure(m, place.GridB).GetProperty("value").GetInt32(), $"{key} of grid B: {Figure(m, place.GridB)}");
        }
        Assert.Equal("%", Measure(board, "patrols", "coverage").GetProperty("unit").GetString());

        // Each link's list holds what its figure counts: the check-in list (its API beside the page) and the compliance
        // figures for the same division and period.
        foreach (var code in new[] { place.Village, place.GridA, place.GridB })
        {
            foreach (var key in new[] { "check-ins", "flagged" })
            {
                var figure = Figure(Measure(board, "patrols", key), code);
                var link = figure.GetProperty("link").GetString()!;
                Assert.StartsWith("/patrols/check-ins?", link, StringComparison.Ordinal);
                var list = await office.GetFromJsonAsync<JsonElement>("/api/check-ins/flagged?" + link.Split('?')[1]);
                Assert.True(figure.GetProperty("value").GetInt32() == list.GetArrayLength(), $"{key} {code}: {link}");
            }
            var blind = Figure(Measure(board, "patrols", "blind"), code);
            Assert.StartsWith($"/patrols/compliance?division={code}&{Period}", blind.GetProperty("link").GetString(), StringComparison.Ordinal);
            var report = await office.GetFromJsonAsync<JsonElement>($"/api/patrols/compliance?division={code}&{Period}");
            Assert.Equal(blind.GetProperty("value").GetInt32(), report.GetProperty("blindSpotCount").GetInt32());
            Assert.Equal(Figure(Measure(board, "patrols", "due"), code).GetProperty("value").GetInt32(), report.GetProperty("aditCount").GetInt32());
            Assert.Equal(Figure(Measure(board, "patrols", "teams-short"), code).GetProperty("value").GetInt32(),
                report.GetProperty("teams").EnumerateArray().Count(t => !t.GetProperty("ok").GetBoolean()));
        }

        // The pages open with the dashboard's filter: the blind spot is named on the compliance page, the check-in list
        // keeps and shows the filter.
        var page = await office.GetStringAsync($"/patrols/compliance?division={place.GridA}&{Period}");
        Assert.Contains("2026-10-05 至 2026-10-18", page, StringComparison.Ordinal);
        Assert.Contains("blind-count\">1<", page, StringComparison.Ordinal);
        var checkIns = await office.GetStringAsync($"/patrols/check-ins?division={place.GridA}&{Period}&state=flagged");
        Assert.Contains("dashboard-filter", checkIns, StringComparison.Ordinal);
        Assert.Contains("定位坐标完全相同", checkIns, StringComparison.Ordinal);

        // Another county's office lists none of them; the unpaged review list (no filter) is as before.
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(0, (await hongjiang.GetFromJsonAsync<JsonElement>($"/api/check-ins/flagged?division={place.GridA}&state=all")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/patrols/compliance?division={place.GridA}&{Period}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await hongjiang.GetAsync($"/api/dashboard?division={place.Village}&{Period}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_check_in_list_and_compliance_name_bad_filters(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        Assert.Contains("签到起始日期", (await Problems.ErrorsAsync(await office.GetAsync("/api/check-ins/flagged?from=昨天"))).GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("pending", (await Problems.ErrorsAsync(await office.GetAsync("/api/check-ins/flagged?state=bogus"))).GetProperty("state")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("起始日期", (await Problems.ErrorsAsync(await office.GetAsync("/api/patrols/compliance?from=2026-10-09&to=2026-10-01"))).GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("filter-error", await office.GetStringAsync("/patrols/check-ins?state=bogus"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/check-ins/flagged?state=all")).StatusCode);
        // A department's officer sees only its share: the police officer's dashboard answers, the patrol section counted
        // through the same scoped sets.
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync($"/api/dashboard?{Period}")).StatusCode);
    }
}
