using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>Teams, plans, rules, flag review and track import as the office uses them, and what others may not do.</summary>
public sealed class PatrolOfficeApiTests
{
    private static readonly HtmlParser Parser = new();

    [Theory, OnSqlite, OnPostgres]
    public async Task Teams_are_created_and_checked_and_other_counties_cannot_touch_them(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var teams = await kit.Office.GetFromJsonAsync<JsonElement>("/api/patrol-teams");
        var mine = teams.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == kit.TeamId);
        Assert.Equal(["陶村林场"], mine.GetProperty("areaNames").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("林场巡查队", mine.GetProperty("kind").GetString());

        var bad = await Problems.ErrorsAsync(await kit.Office.PostAsJsonAsync("/api/patrol-teams", new { name = "", kind = "突击队", areas = new[] { "黔城镇" }, members = new[] { new { user = "hj-patrol" } } }));
        Assert.Equal("请填写巡查队名称（100 字以内）", bad.GetProperty("name")[0].GetString());
        Assert.StartsWith("类型只能是", bad.GetProperty("kind")[0].GetString());
        Assert.Equal("巡查区域“黔城镇”不在所属单位辖区内", bad.GetProperty("areas")[0].GetString());
        Assert.Equal("找不到本辖区的用户“hj-patrol”", bad.GetProperty("members")[0].GetString());

        var hj = await app.LoginAsync("hj-office");
        Assert.DoesNotContain((await hj.GetFromJsonAsync<JsonElement>("/api/patrol-teams")).EnumerateArray(), t => t.GetProperty("id").GetGuid() == kit.TeamId);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.PutAsJsonAsync($"/api/patrol-teams/{kit.TeamId}", new { name = "x", kind = "林场巡查队", areas = new[] { "黔城镇" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/patrol-teams")).StatusCode);
        // A patrol member reads but may not manage teams.
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Member.PostAsJsonAsync("/api/patrol-teams", new { name = "x" })).StatusCode);

        var renamed = await kit.Office.PutAsJsonAsync($"/api/patrol-teams/{kit.TeamId}", new
        {
            name = "陶村林场巡查二队", kind = "林场巡查队", divisionCode = "410325400", areas = new[] { "陶村林场" },
            members = new[] { new { user = kit.UserName, homeLat = (double?)34.01, homeLon = (double?)112.01 } },
        });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var member = (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("members")[0];
        Assert.Equal(34.01, member.GetProperty("homeLat").GetDouble());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_generated_plan_puts_the_riskiest_adits_first_and_can_be_adjusted(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var created = await kit.Office.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId, from = "2026-11-01", to = "2026-11-30" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = await created.Content.ReadFromJsonAsync<JsonElement>();
        var reasons = plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reason").GetString()!).ToList();
        Assert.True(reasons.Count > 3);
        // The risk score (风险评分) never goes back up down the list.
        int Score(string r) => int.Parse(System.Text.RegularExpressions.Regex.Match(r, @"^风险 (\d+) 分").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(reasons.Select(Score).OrderDescending(), reasons.Select(Score));
        Assert.Contains(reasons, r => r.Contains("从未核验到位"));

        var planId = plan.GetProperty("id").GetGuid();
        var first = plan.GetProperty("items")[0].GetProperty("aditId").GetGuid();
        var removed = await kit.Office.DeleteAsync($"/api/patrol-plans/{planId}/items/{first}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var after = await removed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("aditId").GetGuid() == first);
        Assert.Equal(1, after.GetProperty("items")[0].GetProperty("rank").GetInt32());
        var added = await kit.Office.PostAsJsonAsync($"/api/patrol-plans/{planId}/items", new { aditId = first });
        Assert.Equal("办公室调整加入", (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Last().GetProperty("reason").GetString());

        var bad = await Problems.ErrorsAsync(await kit.Office.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId, from = "2026-11-30", to = "2026-11-01" }));
        Assert.Equal("结束日期早于开始日期", bad.GetProperty("to")[0].GetString());
        var overlap = await Problems.ErrorsAsync(await kit.Office.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId, from = "2026-11-01", to = "2026-11-30", crossArea = "陶村林场" }));
        Assert.Equal("交叉巡查区域不能与该队自己的巡查区域重叠", overlap.GetProperty("crossArea")[0].GetString());
        var cross = await kit.Office.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId, from = "2026-11-01", to = "2026-11-30", crossArea = "城关镇" });
        Assert.True((await cross.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isCross").GetBoolean());

        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/patrol-plans/{planId}")).StatusCode);
        Assert.Equal("找不到该巡查队", (await Problems.ErrorsAsync(await hj.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId, from = "2026-11-01", to = "2026-11-30" }))).GetProperty("teamId")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/patrol-plans/{planId}")).StatusCode);

        // The township office may plan its own area but not send teams across.
        var township = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.Forbidden, (await township.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId })).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Rules_are_set_per_jurisdiction_and_inherited_below(string provider)
    {
        var app = await TestApp.Shared(provider);
        var hj = await app.LoginAsync("hj-office");
        var defaults = await hj.GetFromJsonAsync<JsonElement>("/api/patrol-rules");
        Assert.Equal(3, defaults.GetProperty("patrolsPerWeek").GetInt32());
        Assert.Equal(22, defaults.GetProperty("cityTeamPatrolDaysPerMonth").GetInt32());

        var bad = await Problems.ErrorsAsync(await hj.PutAsJsonAsync("/api/patrol-rules/431281101", new { patrolsPerWeek = 40, maxDistanceMetres = 1 }));
        Assert.Equal("每周巡查次数应在 0 到 21 之间", bad.GetProperty("patrolsPerWeek")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await hj.PutAsJsonAsync("/api/patrol-rules/410325", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/patrol-rules")).StatusCode);

        var rules = defaults.Deserialize<Dictionary<string, JsonElement>>()!;
        rules["patrolsPerWeek"] = JsonSerializer.SerializeToElement(4);
        rules["maxDistanceMetres"] = JsonSerializer.SerializeToElement(80.0);
        Assert.Equal(HttpStatusCode.OK, (await hj.PutAsJsonAsync("/api/patrol-rules/431281101", rules)).StatusCode);
        var village = await hj.GetFromJsonAsync<JsonElement>("/api/patrol-rules?division=431281101G001");
        Assert.Equal(4, village.GetProperty("patrolsPerWeek").GetInt32());
        Assert.Equal(80.0, village.GetProperty("maxDistanceMetres").GetDouble());
        Assert.Equal(3, (await hj.GetFromJsonAsync<JsonElement>("/api/patrol-rules?division=431281102")).GetProperty("patrolsPerWeek").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_flagged_check_in_counts_once_the_office_has_reviewed_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var (one, two) = (await kit.AditAsync(), await kit.AditAsync());
        var photo = ExifJpeg.Plain().Concat(Guid.NewGuid().ToByteArray()).ToArray();
        await kit.RunAsync(kit.GenuinePatrol(one, out _, out var a, photo: photo, start: kit.Now.AddDays(-1)), a);
        await kit.RunAsync(kit.GenuinePatrol(two, out _, out var b, photo: photo, seed: 5), b);

        var flagged = await kit.Office.GetFromJsonAsync<JsonElement>("/api/check-ins/flagged");
        Assert.Contains(flagged.EnumerateArray(), c => c.GetProperty("id").GetGuid() == b && !c.GetProperty("counts").GetBoolean());

        Assert.Equal("请填写核查说明（500 字以内）", (await Problems.ErrorsAsync(await kit.Office.PostAsJsonAsync($"/api/check-ins/{b}/clear-flags", new { note = " " }))).GetProperty("note")[0].GetString());
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.PostAsJsonAsync($"/api/check-ins/{b}/clear-flags", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Member.PostAsJsonAsync($"/api/check-ins/{b}/clear-flags", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kit.Office.PostAsJsonAsync($"/api/check-ins/{b}/clear-flags", new { note = "同一批照片误传，已电话核实" })).StatusCode);
        var again = await kit.Office.PostAsJsonAsync($"/api/check-ins/{b}/clear-flags", new { note = "再次" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var patrols = await kit.Office.GetFromJsonAsync<JsonElement>("/api/patrols?month=2026-11");
        Assert.True(patrols.GetArrayLength() >= 2);
        var detail = Parser.ParseDocument(await kit.Office.GetStringAsync($"/patrols/check-ins/{b}"));
        Assert.Contains("已核查：同一批照片误传", detail.QuerySelector(".check-ins")!.TextContent);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_gpx_from_another_device_becomes_a_patrol_checked_the_same_way_and_an_upload_sent_twice_is_one(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var start = kit.Now.AddHours(-3);
        var points = FieldKit.Walk(adit.Lat + 0.004, adit.Lon, adit.Lat, adit.Lon, start, 40, 7);
        var gpx = new StringBuilder("<?xml version=\"1.0\"?><gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\">");
        gpx.Append($"<wpt lat=\"{adit.Lat + 0.00002:F7}\" lon=\"{adit.Lon:F7}\"><time>{start.AddMinutes(20).AddSeconds(5):yyyy-MM-ddTHH:mm:ssZ}</time><name>{adit.Number}</name><hdop>1.2</hdop></wpt><trk><trkseg>");
        foreach (var p in points)
            gpx.Append($"<trkpt lat=\"{p[0]:F7}\" lon=\"{p[1]:F7}\"><time>{DateTimeOffset.FromUnixTimeMilliseconds((long)p[3]).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</time><hdop>1.5</hdop></trkpt>");
        gpx.Append("</trkseg></trk></gpx>");

        async Task<HttpResponseMessage> Upload(HttpClient client, string body, string member)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(body)), "file", "handheld.gpx" }, { new StringContent(member), "member" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/patrol-teams/{kit.TeamId}/tracks") { Content = form };
            // A form post from a cookie holder carries the anti-forgery token, as the page's form does.
            request.Headers.Add("RequestVerificationToken", await TestApp.AntiForgeryTokenAsync(client, "/login"));
            return await client.SendAsync(request);
        }

        var first = await Upload(kit.Office, gpx.ToString(), kit.UserName);
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var patrol = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(41, patrol.GetProperty("track").GetArrayLength());
        var checkIn = Assert.Single(patrol.GetProperty("checkIns").EnumerateArray());
        // Checked the same way: close and on the track, but a handheld GPS takes no photo.
        Assert.False(checkIn.GetProperty("verified").GetBoolean());
        Assert.Equal(["没有现场照片"], checkIn.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        var second = await Upload(kit.Office, gpx.ToString(), kit.UserName);
        Assert.Equal(patrol.GetProperty("patrol").GetProperty("id").GetGuid(), (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("patrol").GetProperty("id").GetGuid());

        var broken = await Problems.ErrorsAsync(await Upload(kit.Office, "<gpx><trk><trkpt lat=\"x\"", kit.UserName));
        Assert.Equal("轨迹文件无法读取：handheld.gpx 格式不正确", broken.GetProperty("file")[0].GetString());
        var stranger = await Problems.ErrorsAsync(await Upload(kit.Office, gpx.ToString(), "sx-office"));
        Assert.Equal("请选择该巡查队的队员", stranger.GetProperty("member")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Upload(await app.LoginAsync("hj-office"), gpx.ToString(), kit.UserName)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Upload(app.Anonymous(), gpx.ToString(), kit.UserName)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_office_pages_show_teams_plans_patrols_and_rules(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        foreach (var (url, text) in new[] { ("/patrols", "巡查记录"), ("/patrols/teams", "陶村林场巡查队"), ("/patrols/plans", "演示：本月巡查计划"), ("/patrols/rules", "每周巡查次数") })
        {
            var response = await office.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(url == "/patrols/plans" ? html.Contains("陶村林场巡查队") : html.Contains(text), $"{url} lacks {text}");
        }

        var token = await TestApp.AntiForgeryTokenAsync(office, "/patrols/rules");
        var bad = await office.PostAsync("/patrols/rules", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["PatrolsPerWeek"] = "abc", ["MaxDistanceMetres"] = "50",
        }));
        var page = Parser.ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Contains("乡镇、林场巡查队每周巡查次数应为数字", page.Body!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Anonymous().GetAsync("/patrols")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_demo_patrols_are_judged_like_real_ones(string provider)
    {
        var app = await TestApp.Shared(provider);
        var checkIns = await app.WithDbAsync(async db =>
        {
            var member = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();
            var demo = await db.Set<MineGuard.Features.Patrols.Patrol>().IgnoreQueryFilters().Where(p => p.UserId == member && p.PayloadHash == "demo").Select(p => p.Id).ToListAsync();
            return await db.Set<MineGuard.Features.Patrols.CheckIn>().IgnoreQueryFilters().Where(c => demo.Contains(c.PatrolId)).ToListAsync();
        });
        Assert.True(checkIns.Count >= 12, $"{checkIns.Count} demo check-ins");
        Assert.True(checkIns.Count(c => c.Counts) >= checkIns.Count - 3,
            string.Join("\n", checkIns.Where(c => !c.Counts).Select(c => $"{c.AtUtc:O} {c.Reasons} | {c.Flags}")));
        Assert.Contains(checkIns, c => !c.Verified && c.Reasons!.StartsWith("签到定位距矿硐 1"));
        Assert.Contains(checkIns, c => c.Flags is not null && c.Flags.StartsWith("同一张照片也用于"));
    }
}
