using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.Web;
using MineGuard.Tests.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Lists.ListSearchTests;

namespace MineGuard.Tests.Features.Lists;

/// <summary>
/// The shared list way (issue 11) on the remaining lists: devices, clues, patrols and my notifications. Each test
/// filters by a keyword of its own, so demo rows and other tests' rows never count.
/// </summary>
public sealed class MoreListSearchTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Devices_search_page_by_50_and_export_the_filtered_devices_of_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var (keyId, _) = await MonitoringFixtures.IntegrationAsync(app);
        var key = Key();
        for (var i = 0; i < 51; i++)
        {
            var created = await sx.PostAsJsonAsync("/api/devices", new { kind = "camera", code = $"{key}-{i:D2}", name = $"后山摄像头 {i:D2}", apiKeyId = keyId, divisionCode = "410325400" });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        var other = Key();
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/devices",
            new { kind = "camera", code = $"{other}-00", name = "另一台", apiKeyId = keyId, divisionCode = "410325400" })).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        var (hjKey, _) = await MonitoringFixtures.IntegrationAsync(app, "431281");
        Assert.Equal(HttpStatusCode.Created, (await hj.PostAsJsonAsync("/api/devices",
            new { kind = "camera", code = $"{key}-hj", name = "洪江摄像头", apiKeyId = hjKey, divisionCode = "431281101" })).StatusCode);

        var first = await PageAsync(sx, $"/devices?q={key}");
        var rows = first.QuerySelectorAll("#devices tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Contains(key, r.TextContent));
        Assert.All(rows, r => Assert.Contains("陶村林场", r.TextContent));
        Assert.DoesNotContain("洪江", first.QuerySelector("#devices")!.TextContent);
        Assert.Contains("（51 台）", first.QuerySelector("h1")!.TextContent);
        Assert.Equal($"/devices?q={key}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        Assert.Equal($"/api/devices/export.xlsx?q={key}", first.QuerySelector("#export")!.GetAttribute("href"));
        var second = await PageAsync(sx, $"/devices?q={key}&p=2");
        Assert.Equal([$"{key}-50"], second.QuerySelectorAll("#devices tbody tr code").Select(c => c.TextContent));
        var none = await PageAsync(sx, $"/devices?q={Key()}");
        Assert.Equal(EmptyRowTagHelper.Text, none.QuerySelector("#devices tbody tr.empty")!.TextContent);
        Assert.Null(none.QuerySelector(".pager"));
        // A viewer without the edit column (the leader) gets the same search.
        Assert.Equal(50, (await PageAsync(await app.LoginAsync("sx-leader"), $"/devices?q={key}")).QuerySelectorAll("#devices tbody tr").Length);

        // The API takes the same keyword; its pages stay as large as before.
        Assert.Equal(51, (await sx.GetFromJsonAsync<JsonElement>($"/api/devices?q={key}")).GetArrayLength());
        Assert.Equal($"{other}-00", (await sx.GetFromJsonAsync<JsonElement>($"/api/devices?q={other}"))[0].GetProperty("code").GetString());

        var sheet = await ExportAsync(sx, $"/api/devices/export.xlsx?q={key}");
        Assert.Equal(["类型", "编号", "名称", "区划"], sheet[0].Cells.Take(4));
        Assert.Equal(Enumerable.Range(0, 51).Select(i => $"{key}-{i:D2}"), sheet.Skip(1).Select(r => r.Cell(1)));
        Assert.All(sheet.Skip(1), r => Assert.Equal("陶村林场", r.Cell(3)));
        Assert.Equal([$"{key}-hj"], (await ExportAsync(hj, $"/api/devices/export.xlsx?q={key}")).Skip(1).Select(r => r.Cell(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/devices/export.xlsx?q={key}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/devices/export.xlsx?q=");
        var bad = await sx.GetAsync("/api/devices/export.xlsx?kind=toaster");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("设备类型不存在", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("kind")[0].GetString());
        var page = await PageAsync(sx, $"/devices?q={new string('矿', 51)}");
        Assert.Contains("搜索词不能超过 50 个字", page.QuerySelector("#filter-error")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Clues_search_page_by_50_and_export_the_departments_share_of_the_county(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var key = Key();
        for (var i = 0; i < 51; i++)
        {
            var created = await sx.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"{key} 报道后山夜采 {i:D2}", divisionCode = "410325400",
                departmentCode = "natural-resources" });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        var police = await sx.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"{key} 涉爆线索", divisionCode = "410325400",
            departmentCode = "public-security" });
        Assert.Equal(HttpStatusCode.Created, police.StatusCode);
        var other = Key();
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"{other} 另一处", divisionCode = "410325400" })).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.Created, (await hj.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"{key} 洪江", divisionCode = "431281101" })).StatusCode);

        var first = await PageAsync(sx, $"/clues?q={key}");
        var rows = first.QuerySelectorAll("#clues tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Contains(key, r.TextContent));
        Assert.DoesNotContain("洪江", first.QuerySelector("#clues")!.TextContent);
        Assert.Contains("（52 条）", first.QuerySelector("h1")!.TextContent);
        Assert.Equal($"/clues?q={key}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        Assert.Equal($"/api/clues/export.xlsx?q={key}&state=all", (await PageAsync(sx, $"/clues?q={key}&state=all")).QuerySelector("#export")!.GetAttribute("href"));
        Assert.Equal(2, (await PageAsync(sx, $"/clues?q={key}&p=2")).QuerySelectorAll("#clues tbody tr").Length);
        Assert.Equal(EmptyRowTagHelper.Text, (await PageAsync(sx, $"/clues?q={Key()}")).QuerySelector("#clues tbody tr.empty")!.TextContent);
        Assert.Empty((await PageAsync(sx, $"/clues?q={key}&state=closed")).QuerySelectorAll("#clues tbody tr:not(.empty)"));

        var sheet = await ExportAsync(sx, $"/api/clues/export.xlsx?q={key}");
        Assert.Equal("收到时间", sheet[0].Cells[0]);
        Assert.Equal(52, sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.StartsWith(key, r.Cell(1)));
        Assert.Equal([$"{other} 另一处"], (await ExportAsync(sx, $"/api/clues/export.xlsx?q={other}")).Skip(1).Select(r => r.Cell(1)));
        Assert.Equal([$"{key} 洪江"], (await ExportAsync(hj, $"/api/clues/export.xlsx?q={key}")).Skip(1).Select(r => r.Cell(1)));
        // The police see their department's share only, in the list and in the export.
        var officer = await app.LoginAsync("sx-police");
        Assert.Equal([$"{key} 涉爆线索"], (await ExportAsync(officer, $"/api/clues/export.xlsx?q={key}")).Skip(1).Select(r => r.Cell(1)));
        Assert.Single((await PageAsync(officer, $"/clues?q={key}")).QuerySelectorAll("#clues tbody tr"));
        Assert.Equal(1, (await officer.GetFromJsonAsync<JsonElement>($"/api/clues?q={key}")).GetArrayLength());

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/clues/export.xlsx?q={key}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/clues/export.xlsx?q=");
        await AssertBadKeywordAsync(sx, "/api/clues?q=");
        var bad = await sx.GetAsync("/api/clues/export.xlsx?state=lost");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("状态只能是", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("state")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Patrols_search_by_team_page_by_50_and_export_the_months_filtered_patrols(string provider)
    {
        var app = await TestApp.Shared(provider);
        var key = Key();
        await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var member = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();
            var team = PatrolTeam.Create("410325400", $"{key}巡查队", PatrolTeamKind.Township, now);
            var hjMember = await db.Users.Where(u => u.UserName == "hj-patrol").Select(u => u.Id).SingleAsync();
            var hjTeam = PatrolTeam.Create("431281101", $"{key}洪江队", PatrolTeamKind.Township, now);
            db.AddRange(team, hjTeam);
            var start = new DateTime(2026, 10, 10, 1, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 51; i++)
                db.Add(Patrol.Start(Guid.NewGuid(), team, member, null, start.AddMinutes(i), PatrolSource.App, now, 0, $"{key}-{i}"));
            db.Add(Patrol.Start(Guid.NewGuid(), team, member, null, new DateTime(2026, 9, 10, 1, 0, 0, DateTimeKind.Utc), PatrolSource.App, now, 0, $"{key}-sep"));
            db.Add(Patrol.Start(Guid.NewGuid(), hjTeam, hjMember, null, start, PatrolSource.App, now, 0, $"{key}-hj"));
            await db.SaveChangesAsync();
            return 0;
        });
        var sx = await app.LoginAsync("sx-office");

        var url = $"/patrols?month=2026-10&q={key}";
        var first = await PageAsync(sx, url);
        var rows = first.QuerySelectorAll("#patrols tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Contains($"{key}巡查队", r.TextContent));
        Assert.DoesNotContain("洪江", first.QuerySelector("#patrols")!.TextContent);
        Assert.Contains("（51 次）", first.QuerySelector("h2:last-of-type")!.TextContent);
        Assert.Equal($"{url}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        Assert.Equal($"/api/patrols/export.xlsx?month=2026-10&q={key}", first.QuerySelector("#export")!.GetAttribute("href"));
        Assert.Single((await PageAsync(sx, $"{url}&p=2")).QuerySelectorAll("#patrols tbody tr"));
        Assert.Equal(EmptyRowTagHelper.Text, (await PageAsync(sx, $"/patrols?month=2026-10&q={Key()}")).QuerySelector("#patrols tbody tr.empty")!.TextContent);

        // The API: the same keyword, the month and the team's patrols of September apart.
        Assert.Equal(51, (await sx.GetFromJsonAsync<JsonElement>($"/api/patrols?month=2026-10&q={key}")).GetArrayLength());
        Assert.Equal(1, (await sx.GetFromJsonAsync<JsonElement>($"/api/patrols?month=2026-09&q={key}")).GetArrayLength());

        var sheet = await ExportAsync(sx, $"/api/patrols/export.xlsx?month=2026-10&q={key}");
        Assert.Equal(["开始", "结束", "巡查队"], sheet[0].Cells.Take(3));
        Assert.Equal(51, sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.Equal($"{key}巡查队", r.Cell(2)));
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal([$"{key}洪江队"], (await ExportAsync(hj, $"/api/patrols/export.xlsx?month=2026-10&q={key}")).Skip(1).Select(r => r.Cell(2)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/patrols/export.xlsx?month=2026-10&q={key}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/patrols/export.xlsx?month=2026-10&q=");
        var bad = await sx.GetAsync("/api/patrols/export.xlsx?month=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("月份格式应为 2026-11", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("month")[0].GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Flagged_check_ins_search_by_adit_page_by_50_and_export_the_filtered_ones(string provider)
    {
        var app = await TestApp.Shared(provider);
        var spot = Spots.Songxian();
        var adit = await MonitoringFixtures.AditAsync(app, null, lon: spot.Lon, lat: spot.Lat);
        var hjSpot = Spots.Hongjiang();
        var hjAdit = await MonitoringFixtures.AditAsync(app, null, grid: null, township: "431281101", lon: hjSpot.Lon, lat: hjSpot.Lat);
        var otherSpot = Spots.Songxian();
        var other = await MonitoringFixtures.AditAsync(app, null, lon: otherSpot.Lon, lat: otherSpot.Lat);
        await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            foreach (var (place, count, user) in new[] { (adit, 51, "sx-patrol"), (other, 1, "sx-patrol"), (hjAdit, 1, "hj-patrol") })
            {
                var member = await db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync();
                var team = PatrolTeam.Create(place.TownshipCode, $"核查测试队{Key()}", PatrolTeamKind.Township, now);
                var patrol = Patrol.Start(Guid.NewGuid(), team, member, null, now.AddHours(-2), PatrolSource.App, now, 0, Key());
                db.AddRange(team, patrol);
                for (var i = 0; i < count; i++)
                {
                    var checkIn = CheckIn.Create(Guid.NewGuid(), patrol.Id, place.Id, member, place.DivisionCode, now.AddHours(-1).AddSeconds(i), place.Lat, place.Lon, 5,
                        new CheckList(true, false, false, false, false, false, false, false), false, null, now, 0, Key());
                    checkIn.Evaluated(new Evidence(true, 3, []), [$"同一张照片也用于 {i:D2}"], now);
                    db.Add(checkIn);
                }
            }
            await db.SaveChangesAsync();
            return 0;
        });
        var sx = await app.LoginAsync("sx-office");

        var first = await PageAsync(sx, $"/patrols/check-ins?q={adit.Number}");
        var rows = first.QuerySelectorAll("#flagged tbody tr");
        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Contains(adit.Number, r.TextContent));
        Assert.Contains("同一张照片也用于 50", rows[0].TextContent);
        Assert.Contains("（51 条）", first.QuerySelector("h1")!.TextContent);
        Assert.Equal($"/patrols/check-ins?q={adit.Number}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        Assert.Equal($"/api/check-ins/flagged/export.xlsx?q={adit.Number}", first.QuerySelector("#export")!.GetAttribute("href"));
        var second = await PageAsync(sx, $"/patrols/check-ins?q={adit.Number}&p=2");
        Assert.Contains("同一张照片也用于 00", Assert.Single(second.QuerySelectorAll("#flagged tbody tr")).TextContent);
        Assert.Equal(EmptyRowTagHelper.Text, (await PageAsync(sx, $"/patrols/check-ins?q={hjAdit.Number}")).QuerySelector("#flagged tbody tr.empty")!.TextContent);
        // The patrol list links to the whole review list.
        Assert.Equal("/patrols/check-ins", (await PageAsync(sx, "/patrols")).QuerySelector("#all-flagged")!.GetAttribute("href"));

        Assert.Equal(51, (await sx.GetFromJsonAsync<JsonElement>($"/api/check-ins/flagged?q={adit.Number}")).GetArrayLength());
        var sheet = await ExportAsync(sx, $"/api/check-ins/flagged/export.xlsx?q={adit.Number}");
        Assert.Equal(["时间", "矿硐编号"], sheet[0].Cells.Take(2));
        Assert.Equal(51, sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.Equal(adit.Number, r.Cell(1)));
        Assert.Equal([other.Number], (await ExportAsync(sx, $"/api/check-ins/flagged/export.xlsx?q={other.Number}")).Skip(1).Select(r => r.Cell(1)));
        var hj = await app.LoginAsync("hj-office");
        Assert.Empty((await ExportAsync(hj, $"/api/check-ins/flagged/export.xlsx?q={adit.Number}")).Skip(1));
        Assert.Equal([hjAdit.Number], (await ExportAsync(hj, $"/api/check-ins/flagged/export.xlsx?q={hjAdit.Number}")).Skip(1).Select(r => r.Cell(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/check-ins/flagged/export.xlsx?q={adit.Number}")).StatusCode);
        await AssertBadKeywordAsync(sx, "/api/check-ins/flagged/export.xlsx?q=");
        await AssertBadKeywordAsync(sx, "/api/check-ins/flagged?q=");
        Assert.Contains("搜索词不能超过 50 个字", (await PageAsync(sx, $"/patrols/check-ins?q={new string('矿', 51)}")).QuerySelector("#filter-error")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task My_notifications_search_and_page_by_50_and_say_none(string provider)
    {
        var app = await TestApp.Shared(provider);
        var key = Key();
        await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var me = await db.Users.Where(u => u.UserName == "sx-leader").Select(u => u.Id).SingleAsync();
            for (var i = 0; i < 51; i++)
                db.Add(Notification.Create(me, "410325", $"{key} 预警 {i:D2}", "后山有车辆出入", "/alerts", "test", null, now.AddSeconds(i)));
            await db.SaveChangesAsync();
            return 0;
        });
        var leader = await app.LoginAsync("sx-leader");

        var first = await PageAsync(leader, $"/notifications?q={key}");
        var items = first.QuerySelectorAll("#notifications li");
        Assert.Equal(50, items.Length);
        Assert.Equal($"{key} 预警 50", items[0].QuerySelector("a")!.TextContent);
        Assert.Equal($"/notifications?q={key}&p=2", first.QuerySelector(".pager .page-next")!.GetAttribute("href"));
        var second = await PageAsync(leader, $"/notifications?q={key}&p=2");
        Assert.Equal([$"{key} 预警 00"], second.QuerySelectorAll("#notifications li a").Select(a => a.TextContent));
        Assert.Equal("暂无通知", (await PageAsync(leader, $"/notifications?q={Key()}")).QuerySelector("#notifications li.empty")!.TextContent);
        var api = await leader.GetFromJsonAsync<JsonElement>($"/api/notifications?q={key}");
        Assert.Equal(51, api.GetProperty("total").GetInt32());
        Assert.Equal(51, api.GetProperty("items").GetArrayLength());

        // Another user's list never holds them, not even in the same county.
        var office = await app.LoginAsync("sx-office");
        Assert.Equal("暂无通知", (await PageAsync(office, $"/notifications?q={key}")).QuerySelector("#notifications li.empty")!.TextContent);
        Assert.Equal(0, (await office.GetFromJsonAsync<JsonElement>($"/api/notifications?q={key}")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/notifications?q={key}")).StatusCode);
        await AssertBadKeywordAsync(leader, "/api/notifications?q=");
        Assert.Contains("搜索词不能超过 50 个字", (await PageAsync(leader, $"/notifications?q={new string('矿', 51)}")).QuerySelector("#filter-error")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Assignments_list_names_the_township_where_it_showed_the_code(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var key = Key();
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/assignments",
            new { divisionCode = "410325400", kind = "rectification", title = $"{key} 整改", dueOn = "2026-12-31" })).StatusCode);

        var row = (await PageAsync(sx, $"/assignments?q={key}")).QuerySelector("#assignments tbody tr")!;
        Assert.Equal("陶村林场", row.QuerySelectorAll("td")[2].TextContent);
        Assert.DoesNotContain("410325400", row.TextContent);
        Assert.Equal("陶村林场", (await sx.GetFromJsonAsync<JsonElement>($"/api/assignments?q={key}"))[0].GetProperty("divisionName").GetString());
        Assert.Equal("陶村林场", (await ExportAsync(sx, $"/api/assignments/export.xlsx?q={key}"))[1].Cell(2));
    }
}
