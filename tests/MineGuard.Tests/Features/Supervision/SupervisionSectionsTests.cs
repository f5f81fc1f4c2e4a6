using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MineGuard.Features.Accountability;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Infrastructure.Problems;
using static MineGuard.Tests.Features.Supervision.SupervisionDashboardTests;

namespace MineGuard.Tests.Features.Supervision;

/// <summary>
/// The dashboard's tip, case and referral sections (issue 18): each figure on a village of the test's own with two grids,
/// counted by hand; each link's list (the inbox, the case list, the referral list) holds exactly that many; scope and
/// bad input of the lists' new filters.
/// </summary>
public sealed class SupervisionSectionsTests
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Today(TestApp app) => DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));

    private static async Task<int> ListCountAsync(HttpClient client, string link)
    {
        var response = await client.GetAsync("/api" + link);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.ValueKind == JsonValueKind.Array ? body.GetArrayLength() : body.GetProperty("total").GetInt32();
    }

    private static async Task CheckAsync(HttpClient client, JsonElement board, string section, Place place,
        Dictionary<string, (int Village, int A, int B)> expected, params string[] listed)
    {
        foreach (var (key, (v, a, b)) in expected)
        {
            var m = Measure(board, section, key);
            Assert.True(v == Figure(m, place.Village).GetProperty("value").GetInt32(), $"{section}.{key} of the village: {Figure(m, place.Village)}");
            Assert.True(a == Figure(m, place.GridA).GetProperty("value").GetInt32(), $"{section}.{key} of grid A: {Figure(m, place.GridA)}");
            Assert.True(b == Figure(m, place.GridB).GetProperty("value").GetInt32(), $"{section}.{key} of grid B: {Figure(m, place.GridB)}");
            if (!listed.Contains(key)) continue;
            foreach (var code in new[] { place.Village, place.GridA, place.GridB })
            {
                var figure = Figure(m, code);
                var link = figure.GetProperty("link").GetString()!;
                Assert.True(figure.GetProperty("value").GetInt32() == await ListCountAsync(client, link), $"{section}.{key} {code}: {link}");
            }
        }
    }

    private static async Task<Guid> TipAsync(HttpClient office, string grid, TestApp app)
    {
        var made = await office.PostAsJsonAsync("/api/tips", new { channel = "电话", divisionCode = "410325400", kinds = new[] { "digging" }, description = "看板举报 " + Guid.NewGuid().ToString("N")[..8] });
        Assert.True(made.StatusCode == HttpStatusCode.Created, await made.Content.ReadAsStringAsync());
        var id = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tip").GetProperty("id").GetGuid();
        // Filed at the test's own grid (a staff tip names a township; the grid keeps other tests' tips out of the count).
        await app.WithDbAsync(db => db.Set<Tip>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.DivisionCode, grid)));
        return id;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Tip_figures_match_a_hand_count_and_each_link_lists_what_it_counts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var today = Today(app);

        // Grid A: two tips verified true, received 2.5 and 1.2 days before (3 and 2 days to verify: median 2); the first's
        // reward unpaid past its promise, the second's paid 3 days after the verification. Grid B: one tip found false.
        var first = await TipAsync(office, place.GridA, app);
        var second = await TipAsync(office, place.GridA, app);
        var third = await TipAsync(office, place.GridB, app);
        foreach (var (id, outcome) in new[] { (first, "属实"), (second, "部分属实"), (third, "不属实") })
        {
            await OkAsync(office.PostAsJsonAsync($"/api/tips/{id}/triage", new { note = "需核查" }));
            await OkAsync(office.PostAsJsonAsync($"/api/tips/{id}/assign", new { divisionCode = "410325400", departmentCode = "natural-resources" }));
            await OkAsync(office.PostAsJsonAsync($"/api/tips/{id}/verify", new { outcome, evidence = "现场核查" }));
        }
        await app.WithDbAsync(async db =>
        {
            await db.Set<Tip>().Where(t => t.Id == first).ExecuteUpdateAsync(s => s.SetProperty(t => t.ReceivedUtc, now.AddHours(-60)));
            await db.Set<Tip>().Where(t => t.Id == second).ExecuteUpdateAsync(s => s.SetProperty(t => t.ReceivedUtc, now.AddHours(-29)));
            await db.Set<Reward>().Where(r => r.TipId == first).ExecuteUpdateAsync(s => s.SetProperty(r => r.PayBy, today.AddDays(-1)));
            return await db.Set<Reward>().Where(r => r.TipId == second).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RewardStatus.Paid)
                .SetProperty(r => r.PaidOn, today).SetProperty(r => r.VerifiedUtc, now.AddDays(-3)));
        });

        var from = D(today.AddDays(-5));
        var board = await DashboardAsync(office, $"division={place.Village}&from={from}&to={D(today)}");
        await CheckAsync(office, board, "tips", place, new()
        {
            ["received"] = (3, 2, 1), ["true"] = (2, 2, 0), ["verify-days"] = (2, 2, 0), ["paid"] = (1, 1, 0), ["pay-days"] = (3, 3, 0),
            ["pay-late"] = (1, 1, 0),
        }, "received", "true", "paid", "pay-late");
        Assert.Equal("天", Measure(board, "tips", "verify-days").GetProperty("unit").GetString());

        // A period before them: none received.
        var past = await DashboardAsync(office, $"division={place.Village}&from=2020-01-01&to=2020-01-31");
        Assert.Equal(0, Figure(Measure(past, "tips", "received"), place.Village).GetProperty("value").GetInt32());

        // The inbox page keeps and shows the dashboard's filter; another county lists none of them; a bad day is named.
        var page = await office.GetStringAsync($"/tips?division={place.GridA}&from={from}&to={D(today)}&flag=true");
        Assert.Contains("dashboard-filter", page, StringComparison.Ordinal);
        Assert.Contains("东沟网格", page, StringComparison.Ordinal);
        Assert.Equal(0, await ListCountAsync(await app.LoginAsync("hj-office"), $"/tips?division={place.GridA}"));
        Assert.Contains("收到", await ErrorOf(await office.GetAsync("/api/tips?from=昨天"), "from"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/tips?division={place.GridA}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Case_figures_match_a_hand_count_and_each_link_lists_what_it_counts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        var day = Today(app).AddDays(-40);
        var officers = (await OfficersAsync(app, "public-security")).Select(o => o.Id).ToArray();
        async Task<Guid> File(string grid) => (await OkAsync(office.PostAsJsonAsync("/api/cases", new
        {
            type = "unlicensed", title = $"看板案件 {Guid.NewGuid():N}", divisionCode = grid, departmentCode = "public-security", officerIds = officers,
            sourceNote = "市打非办交办〔2026〕9号", filedOn = D(day),
        }))).GetProperty("id").GetGuid();

        // Grid A: one case decided with a fine of 50,000 yuan and 1,200 kg of ore seized, one still in investigation.
        var decided = await File(place.GridA);
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{decided}/seizures", new
        {
            kind = "ore", description = "金矿石", weight = 1200, unit = "kg", valueYuan = 30000, valuedBy = "价格认定", storagePlace = "县局仓库", keeper = "王敏",
        }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{decided}/notice", new { noticeOn = D(day.AddDays(5)), text = "拟罚款 50000 元" }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{decided}/decision", new { decidedOn = D(day.AddDays(20)), text = "罚款 50000 元", fineYuan = 50000 }));
        await File(place.GridA);
        // Grid B: one case transferred to the police, who refused it.
        var transferred = await File(place.GridB);
        await TransferredAsync(app, office, transferred, "refused", "嵩公回〔2026〕7号");

        var board = await DashboardAsync(office, $"division={place.Village}&from={D(day)}&to={D(day)}");
        await CheckAsync(office, board, "cases", place, new()
        {
            ["filed"] = (3, 2, 1), ["open"] = (3, 2, 1), ["transferred"] = (1, 0, 1), ["police-accepted"] = (0, 0, 0), ["police-refused"] = (1, 0, 1),
            ["fines"] = (50000, 50000, 0), ["ore"] = (1200, 1200, 0),
        }, "filed", "open", "transferred", "police-accepted", "police-refused");
        // Fines and ore link to the cases behind the sums.
        Assert.Equal(1, await ListCountAsync(office, Figure(Measure(board, "cases", "fines"), place.GridA).GetProperty("link").GetString()!));
        Assert.Equal(1, await ListCountAsync(office, Figure(Measure(board, "cases", "ore"), place.GridA).GetProperty("link").GetString()!));
        // Stages overdue now: whatever the figure, its list holds exactly that many.
        var overdue = Figure(Measure(board, "cases", "overdue"), place.Village);
        Assert.Equal(overdue.GetProperty("value").GetInt32(), await ListCountAsync(office, overdue.GetProperty("link").GetString()!));
        // The case list takes a grid's code; the discipline commission (no case shared with it) counts none.
        Assert.Contains("区划代码", await ErrorOf(await office.GetAsync($"/api/cases?division={place.Village}X001"), "division"), StringComparison.Ordinal);
        var discipline = await DashboardAsync(await app.LoginAsync("sx-discipline"), $"division={place.Village}&from={D(day)}&to={D(day)}");
        Assert.Equal(0, Figure(Measure(discipline, "cases", "filed"), place.Village).GetProperty("value").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Referral_figures_count_the_places_referrals_and_reach_only_who_may_read_them(string provider)
    {
        var app = await TestApp.Shared(provider);
        var place = await PlaceAsync(app);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var today = Today(app);
        var month = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var start = new DateOnly(today.Year, today.Month, 1);
        await app.WithDbAsync(async db =>
        {
            var a1 = Referral.Create("jincheng-faked-check-ins", place.GridA, month, start, start.AddMonths(1).AddDays(-1), "看板问责一", "[]", "[]", now);
            var a2 = Referral.Create("jincheng-false-closure", place.GridA, month, start, start.AddMonths(1).AddDays(-1), "看板问责二", "[]", "[]", now);
            var b1 = Referral.Create("jincheng-faked-check-ins", place.GridB, month, start, start.AddMonths(1).AddDays(-1), "看板问责三", "[]", "[]", now);
            a2.Decide("已约谈", null, "纪委", now);
            db.AddRange(a1, a2, b1);
            return await db.SaveChangesAsync();
        });

        var office = await app.LoginAsync("sx-office");
        var board = await DashboardAsync(office, $"division={place.Village}&from={D(today)}&to={D(today)}");
        await CheckAsync(office, board, "referrals", place, new()
        {
            ["new"] = (3, 2, 1), ["decided"] = (1, 1, 0), ["pending"] = (2, 1, 1),
        }, "new", "decided", "pending");
        var page = await office.GetStringAsync($"/referrals?division={place.GridA}&from={D(today)}&to={D(today)}");
        Assert.Contains("看板问责一", page, StringComparison.Ordinal);
        Assert.DoesNotContain("看板问责三", page, StringComparison.Ordinal);
        Assert.Contains("dashboard-filter", page, StringComparison.Ordinal);

        // The commission sees the figures; the police officer's board has no referral section; another county lists none.
        var commission = await DashboardAsync(await app.LoginAsync("sx-discipline"), $"division={place.Village}&from={D(today)}&to={D(today)}");
        Assert.Equal(3, Figure(Measure(commission, "referrals", "new"), place.Village).GetProperty("value").GetInt32());
        var police = await DashboardAsync(await app.LoginAsync("sx-police"), $"division={place.Village}");
        Assert.DoesNotContain(police.GetProperty("sections").EnumerateArray(), s => s.GetProperty("key").GetString() == "referrals");
        Assert.Equal(0, await ListCountAsync(await app.LoginAsync("hj-office"), $"/referrals?division={place.GridA}"));
        Assert.Contains("产生", await ErrorOf(await office.GetAsync("/api/referrals?to=2026-13-01"), "to"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Signal_figures_match_a_hand_count_and_each_link_lists_what_it_counts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var place = await PlaceAsync(app);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var today = Today(app);
        var deadlines = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.Deadlines;
        var by = Guid.NewGuid();
        Alert Open(string grid, string type, AlertSeverity severity, DateTime at)
        {
            var alert = Alert.Open(new Alert.Opening(grid, "410325", "dash:" + Guid.NewGuid().ToString("N"), null, null, "test", type, "看板预警", severity, null, null, null),
                at, deadlines);
            alert.RoutedInPlace(at, null);
            return alert;
        }
        await app.WithDbAsync(async db =>
        {
            // Grid A: two high camera alerts (15 minutes to acknowledge, 2 hours to verify): one acknowledged after 10 minutes
            // and verified after 90 (both in time), one after 20 and 150 (both late).
            var a1 = Open(place.GridA, EventTypes.Camera, AlertSeverity.High, now.AddHours(-3));
            a1.Acknowledge(by, now.AddHours(-3).AddMinutes(10));
            a1.Close(AlertOutcome.Confirmed, null, null, by, now.AddHours(-3).AddMinutes(90));
            var a2 = Open(place.GridA, EventTypes.Camera, AlertSeverity.High, now.AddHours(-3));
            a2.Acknowledge(by, now.AddHours(-3).AddMinutes(20));
            a2.Close(AlertOutcome.FalseAlarm, FalseAlarmReason.Animal, null, by, now.AddHours(-3).AddMinutes(150));
            // Grid B: a device offline an hour ago (not yet due), and a medium camera alert two hours old never acknowledged
            // (due after 30 minutes: overdue; at the top level, so no escalation moves its deadline).
            var b1 = Open(place.GridB, EventTypes.Offline, AlertSeverity.Low, now.AddHours(-1));
            var b2 = Open(place.GridB, EventTypes.Camera, AlertSeverity.Medium, now.AddHours(-2));
            b2.Escalate(EscalationLevel.City, b2.AckDueUtc, b2.VerifyDueUtc);
            db.AddRange(a1, a2, b1, b2);
            return await db.SaveChangesAsync();
        });

        var office = await app.LoginAsync("sx-office");
        var board = await DashboardAsync(office, $"division={place.Village}&from={D(today)}&to={D(today)}");
        await CheckAsync(office, board, "signals", place, new()
        {
            ["opened"] = (4, 2, 2), ["type:" + EventTypes.Camera] = (3, 2, 1), ["type:" + EventTypes.Offline] = (1, 0, 1),
            ["ack-minutes"] = (10, 10, 0), ["ack-in-time"] = (50, 50, 0), ["verify-hours"] = (2, 2, 0), ["verify-in-time"] = (50, 50, 0),
            ["overdue"] = (1, 0, 1), ["offline"] = (1, 0, 1),
        }, "opened", "type:" + EventTypes.Camera, "type:" + EventTypes.Offline, "overdue", "offline");
        Assert.Equal("%", Measure(board, "signals", "ack-in-time").GetProperty("unit").GetString());
        Assert.Equal(2, await ListCountAsync(office, Figure(Measure(board, "signals", "verify-hours"), place.GridA).GetProperty("link").GetString()!));

        // The alert desk keeps the dashboard's filter; another county lists none; a bad day is named; no log-in, no list.
        var page = await office.GetStringAsync($"/alerts?division={place.GridB}&from={D(today)}&to={D(today)}&status=all");
        Assert.Contains("dashboard-filter", page, StringComparison.Ordinal);
        Assert.Equal(0, await ListCountAsync(await app.LoginAsync("hj-office"), $"/alerts?division={place.GridA}&status=all"));
        Assert.Contains("产生", await ErrorOf(await office.GetAsync("/api/alerts?from=2026-02-30"), "from"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/alerts?division={place.GridA}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_referral_settings_page_shows_the_defaults_names_a_bad_field_and_saves(string provider)
    {
        var app = await TestApp.Shared(provider);
        var place = await PlaceAsync(app);
        var office = await app.LoginAsync("sx-office");
        var url = $"/referrals/settings/{place.Village}";
        var page = await office.GetStringAsync(url);
        Assert.Contains("本级未单独设置", page, StringComparison.Ordinal);
        Assert.Contains("value=\"7\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2\"", page, StringComparison.Ordinal);

        async Task<HttpResponseMessage> Post(string days, string threshold, params string[] enabled)
        {
            var fields = new List<KeyValuePair<string, string>>
            {
                new("__RequestVerificationToken", await TestApp.AntiForgeryTokenAsync(office, url)), new("NotStoppedDays", days), new("CountyThreshold", threshold),
            };
            fields.AddRange(enabled.Select(e => new KeyValuePair<string, string>("Enabled", e)));
            return await office.PostAsync(url, new FormUrlEncodedContent(fields));
        }
        // A bad number: the page again, the Chinese message beside the field, nothing stored.
        var bad = await Post("七天", "2", "jilin-township");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Contains("1 到 365", html.QuerySelector("#error-NotStoppedDays")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("", html.QuerySelector("#error-CountyThreshold")!.TextContent.Trim());
        var api = await office.GetFromJsonAsync<JsonElement>($"/api/referrals/settings/{place.Village}");
        Assert.False(api.GetProperty("stored").GetBoolean());

        // Saved: only the ticked rule stays on, the numbers as typed.
        var saved = await Post("10", "3", "jilin-township");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        api = await office.GetFromJsonAsync<JsonElement>($"/api/referrals/settings/{place.Village}");
        Assert.True(api.GetProperty("stored").GetBoolean());
        Assert.Equal(10, api.GetProperty("notStoppedDays").GetInt32());
        Assert.Equal(3, api.GetProperty("countyThreshold").GetInt32());
        Assert.DoesNotContain("jilin-township", api.GetProperty("disabledRules").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("jilin-county", api.GetProperty("disabledRules").EnumerateArray().Select(r => r.GetString()));

        // Another county's division: 404; a department officer: refused; no log-in: to the log-in page.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync(url)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await (await app.LoginAsync("sx-police")).GetAsync(url)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await app.Anonymous().GetAsync(url)).StatusCode);
    }
}
