using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Supervision;

/// <summary>
/// 督导看板 (issue 18): each ledger measure for a village of the test's own and its two grids, counted by hand; every
/// figure's link lists exactly what it counts; scope, log-in and bad input.
/// </summary>
public sealed class SupervisionDashboardTests
{
    internal sealed record Place(string Village, string GridA, string GridB);

    /// <summary>A new village of 陶村林场 with two grids, so that nothing but this test's adits is counted.</summary>
    internal static async Task<Place> PlaceAsync(TestApp app)
    {
        var admin = await app.LoginAsync("sx-admin");
        string? village = null;
        for (var attempt = 0; village is null && attempt < 20; attempt++)
        {
            var code = "410325400" + Random.Shared.Next(300, 999).ToString(CultureInfo.InvariantCulture);
            var made = await admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = "410325400", kind = "village", name = "看板村" + Guid.NewGuid().ToString("N")[..6], code });
            if (made.IsSuccessStatusCode) village = code;
        }
        Assert.NotNull(village);
        async Task<string> Grid(string name)
        {
            var made = await admin.PostAsJsonAsync("/api/admin/divisions", new { parentCode = village, kind = "grid", name });
            Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
            return (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        }
        return new Place(village, await Grid("东沟网格"), await Grid("西沟网格"));
    }

    internal static async Task<Guid> AditAsync(HttpClient office, string grid)
    {
        var spot = Spots.Songxian();
        var response = await office.PostAsJsonAsync("/api/adits", new
        {
            township = "陶村林场", grid, lon = spot.Lon.ToString("F6"), lat = spot.Lat.ToString("F6"), mineral = "金", origin = "盗采点",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adit").GetProperty("id").GetGuid();
    }

    private static async Task PostOkAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    internal static async Task<JsonElement> DashboardAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/dashboard?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static JsonElement Measure(JsonElement board, string section, string key) =>
        board.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("key").GetString() == section)
            .GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("key").GetString() == key);

    internal static JsonElement Figure(JsonElement measure, string code) =>
        measure.GetProperty("total").GetProperty("code").GetString() == code ? measure.GetProperty("total")
            : measure.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("code").GetString() == code);

    [Theory, OnSqlite, OnPostgres]
    public async Task Ledger_figures_match_a_hand_count_and_each_link_lists_what_it_counts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        var day = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime)).AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var day2 = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime)).AddDays(-5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // East gully: one unsealed, one sealed with loose rocks, one broken twice (反复破坏).
        await AditAsync(office, place.GridA);
        var rocks = await AditAsync(office, place.GridA);
        await PostOkAsync(office, $"/api/adits/{rocks}/seal", new { on = day, method = "石块堆砌", performedBy = "村民" });
        var twice = await AditAsync(office, place.GridA);
        await PostOkAsync(office, $"/api/adits/{twice}/seal", new { on = day, method = "混凝土浇筑", performedBy = "施工队" });
        await PostOkAsync(office, $"/api/adits/{twice}/breach", new { on = day, howFound = "巡查发现" });
        await PostOkAsync(office, $"/api/adits/{twice}/seal", new { on = day2, method = "混凝土浇筑", performedBy = "施工队" });
        await PostOkAsync(office, $"/api/adits/{twice}/breach", new { on = day2, howFound = "巡查发现" });
        // West gully: one sealed with concrete, one broken once.
        var concrete = await AditAsync(office, place.GridB);
        await PostOkAsync(office, $"/api/adits/{concrete}/seal", new { on = day, method = "混凝土浇筑", performedBy = "施工队" });
        var once = await AditAsync(office, place.GridB);
        await PostOkAsync(office, $"/api/adits/{once}/seal", new { on = day, method = "混凝土浇筑", performedBy = "施工队" });
        await PostOkAsync(office, $"/api/adits/{once}/breach", new { on = day2, howFound = "群众举报" });

        var board = await DashboardAsync(office, $"division={place.Village}");
        Assert.Equal(place.Village, board.GetProperty("division").GetProperty("code").GetString());
        Assert.Equal([place.GridA, place.GridB], board.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).Order(StringComparer.Ordinal));
        var expected = new Dictionary<string, (int Village, int A, int B)>
        {
            ["known"] = (5, 3, 2), ["unsealed"] = (1, 1, 0), ["sealed"] = (2, 1, 1), ["accepted"] = (0, 0, 0),
            ["breached"] = (2, 1, 1), ["repeat"] = (1, 1, 0), ["weak"] = (1, 1, 0), ["new"] = (5, 3, 2),
        };
        foreach (var (key, (v, a, b)) in expected)
        {
            var m = Measure(board, "ledger", key);
            Assert.True(v == Figure(m, place.Village).GetProperty("value").GetInt32(), $"{key} of the village");
            Assert.True(a == Figure(m, place.GridA).GetProperty("value").GetInt32(), $"{key} of grid A");
            Assert.True(b == Figure(m, place.GridB).GetProperty("value").GetInt32(), $"{key} of grid B");
            // The list behind each figure (the page's filter, answered by the list API) holds exactly that many.
            foreach (var code in new[] { place.Village, place.GridA, place.GridB })
            {
                var figure = Figure(m, code);
                var link = figure.GetProperty("link").GetString()!;
                Assert.StartsWith("/adits?", link, StringComparison.Ordinal);
                var list = await office.GetFromJsonAsync<JsonElement>("/api" + link + "&pageSize=100");
                Assert.True(figure.GetProperty("value").GetInt32() == list.GetProperty("total").GetInt32(), $"{key} {code}: {link}");
            }
        }
        // Children ranked: the larger figure first.
        Assert.Equal(place.GridA, Measure(board, "ledger", "known").GetProperty("children")[0].GetProperty("code").GetString());

        // A period before any of them was registered: nothing new, the rest unchanged.
        var past = await DashboardAsync(office, $"division={place.Village}&from=2020-01-01&to=2020-01-31");
        Assert.Equal(0, Figure(Measure(past, "ledger", "new"), place.Village).GetProperty("value").GetInt32());
        Assert.Equal(5, Figure(Measure(past, "ledger", "known"), place.Village).GetProperty("value").GetInt32());
        Assert.Equal("2020-01-01", past.GetProperty("from").GetString());
        var pastList = await office.GetFromJsonAsync<JsonElement>("/api" + Figure(Measure(past, "ledger", "new"), place.Village).GetProperty("link").GetString());
        Assert.Equal(0, pastList.GetProperty("total").GetInt32());

        // The same figures for the leader (read-only role); the page shows them with their links.
        var leader = await app.LoginAsync("sx-leader");
        var leaderBoard = await DashboardAsync(leader, $"division={place.Village}");
        Assert.Equal(2, Figure(Measure(leaderBoard, "ledger", "breached"), place.Village).GetProperty("value").GetInt32());
        var page = await leader.GetStringAsync($"/supervision?division={place.Village}");
        Assert.Contains($"href=\"/adits?division={place.GridA}&amp;flag=repeat\"", page, StringComparison.Ordinal);
        Assert.Contains("东沟网格", page, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Clue_figures_match_a_hand_count_and_a_department_counts_its_own_share(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        async Task<Guid> Clue(string grid, string? department)
        {
            var made = await office.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = "看板线索 " + Guid.NewGuid().ToString("N")[..8], divisionCode = grid, departmentCode = department });
            Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
            return (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
        // East gully: two for the police, one of them found true; west gully: one for no department and one closed as no action.
        var found = await Clue(place.GridA, "public-security");
        await Clue(place.GridA, "public-security");
        await Clue(place.GridB, null);
        var dropped = await Clue(place.GridB, null);
        var (cadre, _) = await MineGuard.Tests.Features.Clues.CluesApiTests.CadreAsync(app);
        await PostOkAsync(office, $"/api/clues/{found}/assign", new { verifierPersonId = cadre });
        await PostOkAsync(office, $"/api/clues/{found}/verify", new { finding = "true", evidence = "洞口有新渣" });
        await PostOkAsync(office, $"/api/clues/{dropped}/close", new { outcome = "no-action", note = "重复报道，已核实无新情况" });

        var board = await DashboardAsync(office, $"division={place.Village}");
        var expected = new Dictionary<string, (int Village, int A, int B)>
        {
            ["received"] = (4, 2, 2), ["true"] = (1, 1, 0), ["case"] = (0, 0, 0), ["open"] = (3, 2, 1), ["overdue"] = (0, 0, 0),
        };
        foreach (var (key, (v, a, b)) in expected)
        {
            var m = Measure(board, "clues", key);
            foreach (var (code, value) in new[] { (place.Village, v), (place.GridA, a), (place.GridB, b) })
            {
                var figure = Figure(m, code);
                Assert.True(value == figure.GetProperty("value").GetInt32(), $"{key} {code}");
                var link = figure.GetProperty("link").GetString()!;
                Assert.StartsWith("/clues?", link, StringComparison.Ordinal);
                var list = await office.GetFromJsonAsync<JsonElement>("/api" + link);
                Assert.True(value == list.GetArrayLength(), $"{key} {code}: {link}");
            }
        }

        // Rectification: two items in the east gully and one in the west; a follow-up item is not a rectification.
        var due = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime)).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var (grid, kind) in new[] { (place.GridA, "rectification"), (place.GridA, "rectification"), (place.GridB, "rectification"), (place.GridB, "follow-up") })
            await PostOkAsync(office, "/api/assignments", new { divisionCode = grid, kind, title = "看板整改 " + Guid.NewGuid().ToString("N")[..6], dueOn = due });
        board = await DashboardAsync(office, $"division={place.Village}");
        foreach (var (key, (v, a, b)) in new Dictionary<string, (int, int, int)>
        {
            ["new"] = (3, 2, 1), ["open"] = (3, 2, 1), ["overdue"] = (0, 0, 0), ["completed"] = (0, 0, 0), ["closed"] = (0, 0, 0),
        })
        {
            var m = Measure(board, "rectification", key);
            foreach (var (code, value) in new[] { (place.Village, v), (place.GridA, a), (place.GridB, b) })
            {
                var figure = Figure(m, code);
                Assert.True(value == figure.GetProperty("value").GetInt32(), $"rectification {key} {code}");
                var link = figure.GetProperty("link").GetString()!;
                Assert.StartsWith("/assignments?", link, StringComparison.Ordinal);
                Assert.True(value == (await office.GetFromJsonAsync<JsonElement>("/api" + link)).GetArrayLength(), $"rectification {key} {code}: {link}");
            }
        }

        // The county's police officer counts the police share only: the two east-gully clues.
        var police = await app.LoginAsync("sx-police");
        var theirs = await DashboardAsync(police, $"division={place.Village}");
        Assert.Equal(2, Figure(Measure(theirs, "clues", "received"), place.Village).GetProperty("value").GetInt32());
        Assert.Equal(0, Figure(Measure(theirs, "clues", "received"), place.GridB).GetProperty("value").GetInt32());
        var policeList = await police.GetFromJsonAsync<JsonElement>("/api" + Figure(Measure(theirs, "clues", "received"), place.Village).GetProperty("link").GetString());
        Assert.Equal(2, policeList.GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Another_county_a_stranger_and_bad_days_are_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var place = await PlaceAsync(app);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/dashboard?division={place.Village}")).StatusCode);

        // Hongjiang's office cannot read a Songxian village, nor the province above its own city.
        var hongjiang = await app.LoginAsync("hj-office");
        var foreign = await Problems.ErrorsAsync(await hongjiang.GetAsync($"/api/dashboard?division={place.Village}"));
        Assert.Contains("管辖范围", foreign.GetProperty("division")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await hongjiang.GetAsync("/api/dashboard?division=43")).StatusCode);
        // Its own board (default: its own city) names none of Songxian's places.
        var own = await DashboardAsync(hongjiang, "");
        Assert.StartsWith("431281", own.GetProperty("division").GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(place.Village, own.GetRawText(), StringComparison.Ordinal);

        // A patrol member of 黔城镇 may read their own township only, not the county above it.
        var patrol = await app.LoginAsync("hj-patrol");
        Assert.Equal(HttpStatusCode.BadRequest, (await patrol.GetAsync("/api/dashboard?division=431281")).StatusCode);

        var office = await app.LoginAsync("sx-office");
        var bad = await Problems.ErrorsAsync(await office.GetAsync($"/api/dashboard?division={place.Village}&from=2026-13-01"));
        Assert.Contains("起始日期", bad.GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        var reversed = await Problems.ErrorsAsync(await office.GetAsync($"/api/dashboard?division={place.Village}&from=2026-11-30&to=2026-11-01"));
        Assert.Contains("不能晚于", reversed.GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        var badList = await Problems.ErrorsAsync(await office.GetAsync($"/api/adits?division={place.Village}&from=昨天"));
        Assert.Contains("登记起始日期", badList.GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        var badItems = await Problems.ErrorsAsync(await office.GetAsync($"/api/assignments?division={place.Village}&from=2026-04-31"));
        Assert.Contains("交办起始日期", badItems.GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        var badClues = await Problems.ErrorsAsync(await office.GetAsync($"/api/clues?division={place.Village}&to=2026-02-30"));
        Assert.Contains("收到截止日期", badClues.GetProperty("to")[0].GetString(), StringComparison.Ordinal);
        var page = await office.GetStringAsync($"/supervision?division={place.Village}&from=2026-13-01");
        Assert.Contains("起始日期", page, StringComparison.Ordinal);
    }
}
