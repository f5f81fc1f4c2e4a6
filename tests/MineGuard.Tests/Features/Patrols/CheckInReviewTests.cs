using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The office's review of a check-in (issue 15): the review page and its API show the track, the stretches where a
/// windowed rule fired and the photos side by side; 认定伪造 takes the check-in out of every count and counts against
/// the member and the team in compliance.
/// </summary>
public sealed class CheckInReviewTests
{
    private static readonly HtmlParser Parser = new();

    private static string MonthOf(DateTime utc) => ChinaTime.ToLocal(utc).ToString("yyyy-MM");

    private static async Task<(JsonElement Team, JsonElement Member)> ComplianceAsync(FieldKit kit, string month)
    {
        var report = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/patrols/compliance?month={month}&division=410325400");
        var team = report.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == kit.TeamId);
        var member = report.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("team").GetString() == team.GetProperty("name").GetString());
        return (team, member);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_check_in_found_faked_stops_counting_and_counts_against_member_and_team(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var (one, two) = (await kit.AditAsync(), await kit.AditAsync());
        var start = kit.Now.AddHours(-3);
        await kit.RunAsync(kit.GenuinePatrol(one, out _, out var a, start: start), a);
        var state = await kit.RunAsync(kit.GenuinePatrol(two, out _, out var b, seed: 5, start: start.AddHours(1)), b);
        Assert.True(state.GetProperty("verified").GetBoolean(), state.ToString());
        var month = MonthOf(start);

        var (team, member) = await ComplianceAsync(kit, month);
        Assert.Equal(2, team.GetProperty("patrols").GetInt32());
        Assert.Equal(0, team.GetProperty("faked").GetInt32());
        Assert.Equal(0, member.GetProperty("faked").GetInt32());

        // The gates: no one signed in, another county, a department outside the office, the member, bad input.
        var url = $"/api/check-ins/{b}/faked";
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Member.PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        Assert.Equal("请填写认定伪造的理由（500 字以内）", (await Problems.ErrorsAsync(await kit.Office.PostAsJsonAsync(url, new { note = "  " }))).GetProperty("note")[0].GetString());
        Assert.Equal("请填写认定伪造的理由（500 字以内）", (await Problems.ErrorsAsync(await kit.Office.PostAsJsonAsync(url, new { note = new string('假', 501) }))).GetProperty("note")[0].GetString());
        (team, _) = await ComplianceAsync(kit, month);
        Assert.Equal(0, team.GetProperty("faked").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await kit.Office.PostAsJsonAsync(url, new { note = "村干部证实当天队员在县城开会" })).StatusCode);
        var twice = await kit.Office.PostAsJsonAsync(url, new { note = "再次" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("已认定为伪造", await twice.Content.ReadAsStringAsync());

        (team, member) = await ComplianceAsync(kit, month);
        Assert.Equal(1, team.GetProperty("patrols").GetInt32());
        Assert.Equal(1, team.GetProperty("faked").GetInt32());
        Assert.False(team.GetProperty("integrityOk").GetBoolean());
        Assert.False(team.GetProperty("ok").GetBoolean());
        Assert.Equal(1, member.GetProperty("faked").GetInt32());
        Assert.Equal(1, member.GetProperty("patrols").GetInt32());

        var page = Parser.ParseDocument(await kit.Office.GetStringAsync($"/patrols/compliance?month={month}&division=410325400"));
        var row = page.QuerySelector($"#teams tr[data-team='{kit.TeamId}']")!;
        Assert.Contains("认定伪造签到 1 次", row.QuerySelector(".verdict")!.TextContent);
        var memberRow = page.QuerySelector($"#members tr[data-member='{member.GetProperty("userId").GetGuid()}']")!;
        Assert.Equal("1", memberRow.QuerySelector(".faked")!.TextContent.Trim());

        // The adit it claimed is no longer "last verified" by it; the other check-in still is.
        var detail = Parser.ParseDocument(await kit.Office.GetStringAsync($"/patrols/check-ins/{b}"));
        Assert.Contains("认定伪造：村干部证实", detail.QuerySelector(".check-ins .faked")!.TextContent);
        Assert.Null(detail.QuerySelector("#mark-faked"));
        Assert.Null(detail.QuerySelector("#clear-flags"));
        var other = Parser.ParseDocument(await kit.Office.GetStringAsync($"/patrols/check-ins/{a}"));
        Assert.NotNull(other.QuerySelector("#mark-faked"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_flagged_check_in_found_faked_cannot_then_be_cleared_and_the_page_asks_before_it_marks(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        // The check-in's fix is the adit's registered coordinate itself: flagged for review.
        var state = await kit.RunAsync(kit.GenuinePatrol(adit, out _, out var c, fix: (adit.Lat, adit.Lon)), c);
        Assert.NotEmpty(state.GetProperty("flags").EnumerateArray());

        var page = Parser.ParseDocument(await kit.Office.GetStringAsync($"/patrols/check-ins/{c}"));
        Assert.NotNull(page.QuerySelector("#clear-flags"));
        var form = page.QuerySelector("#mark-faked")!;
        Assert.Equal("标记为伪造后不能撤销，确定？", form.QuerySelector("button")!.GetAttribute("data-confirm"));

        // Without the confirmation the page marks nothing and says why.
        var token = page.QuerySelector("#mark-faked input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var unconfirmed = await kit.Office.PostAsync($"/patrols/check-ins/{c}?handler=Faked", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["FakedNote"] = "照片与登记照片相同", ["__RequestVerificationToken"] = token,
        }));
        var unconfirmedPage = await unconfirmed.Content.ReadAsStringAsync();
        Assert.Contains("未标记：请先确认标记为伪造", Parser.ParseDocument(unconfirmedPage).QuerySelector("#mark-faked .text-danger")!.TextContent);
        var stillOpen = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/check-ins/{c}/review");
        Assert.Equal(JsonValueKind.Null, stillOpen.GetProperty("fakedUtc").ValueKind);

        var confirmed = await kit.Office.PostAsync($"/patrols/check-ins/{c}?handler=Faked", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["FakedNote"] = "照片与登记照片相同", ["__RequestVerificationToken"] = token, ["confirmed"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal($"/patrols/check-ins/{c}", confirmed.Headers.Location?.OriginalString);
        var review = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/check-ins/{c}/review");
        Assert.NotEqual(JsonValueKind.Null, review.GetProperty("fakedUtc").ValueKind);
        Assert.Equal("照片与登记照片相同", review.GetProperty("checkIn").GetProperty("fakedNote").GetString());
        Assert.False(review.GetProperty("checkIn").GetProperty("counts").GetBoolean());

        // Found faked, it is no longer waiting for review, and clearing its flags is refused.
        var flagged = await kit.Office.GetFromJsonAsync<JsonElement>("/api/check-ins/flagged?q=" + adit.Number);
        Assert.DoesNotContain(flagged.EnumerateArray(), f => f.GetProperty("id").GetGuid() == c);
        var clear = await kit.Office.PostAsJsonAsync($"/api/check-ins/{c}/clear-flags", new { note = "属实" });
        Assert.Equal(HttpStatusCode.Conflict, clear.StatusCode);
        Assert.Contains("已认定为伪造", await clear.Content.ReadAsStringAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_review_shows_the_stretch_where_the_track_jumped_and_the_photos_side_by_side(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var start = kit.Now.AddMinutes(-40);
        // An earlier genuine check-in at the same adit, with its photo: shown beside this one's.
        await kit.RunAsync(kit.GenuinePatrol(adit, out _, out var earlier, start: kit.Now.AddDays(-2), seed: 3), earlier);

        // A track that jumps 5 km in two minutes a quarter of an hour in (fixes with a good accuracy): a fast leg.
        var track = FieldKit.Walk(adit.Lat + 0.0054, adit.Lon + 0.001, adit.Lat, adit.Lon, start, 36, 11, 50);
        for (var i = 0; i < 12; i++) track[i][0] += 0.045;
        await kit.RunAsync(kit.GenuinePatrol(adit, out _, out var c, start: start, track: track), c);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/check-ins/{c}/review")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/api/check-ins/{c}/review")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Office.GetAsync($"/api/check-ins/{Guid.NewGuid()}/review")).StatusCode);

        var review = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/check-ins/{c}/review");
        Assert.Equal(track.Count, review.GetProperty("track").GetArrayLength());
        var fast = review.GetProperty("windows").EnumerateArray().Single(w => w.GetProperty("rule").GetString() == "FastLeg");
        var jumpAt = DateTimeOffset.FromUnixTimeMilliseconds((long)track[11][3]).UtcDateTime;
        Assert.True(fast.GetProperty("fromUtc").GetDateTime().ToUniversalTime() <= jumpAt.AddMinutes(1));
        Assert.True(fast.GetProperty("toUtc").GetDateTime().ToUniversalTime() >= jumpAt);
        Assert.Contains("公里/小时", fast.GetProperty("detail").GetString());
        Assert.False(review.GetProperty("photos").EnumerateArray().Single().GetProperty("appCaptured").GetBoolean()); // the test phone does not sign
        var before = review.GetProperty("earlier").EnumerateArray().Single();
        Assert.StartsWith($"/api/check-ins/{earlier}/photos/", before.GetProperty("url").GetString());
        Assert.True(before.GetProperty("metresFromAdit").GetDouble() < 10);

        // The page: the windows table names the rule, the photo columns show both photos, and each photo loads.
        var page = Parser.ParseDocument(await kit.Office.GetStringAsync($"/patrols/check-ins/{c}"));
        Assert.Contains("移动过快", page.QuerySelector("#windows tr.window[data-rule=FastLeg]")!.TextContent);
        Assert.Single(page.QuerySelectorAll("#photos .this img"));
        Assert.Single(page.QuerySelectorAll("#photos .earlier img"));
        foreach (var img in page.QuerySelectorAll("#photos img"))
            Assert.Equal("image/jpeg", (await kit.Office.GetAsync(img.GetAttribute("src"))).Content.Headers.ContentType?.MediaType);

        // A clean track fires no window.
        var clean = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/check-ins/{earlier}/review");
        Assert.Empty(clean.GetProperty("windows").EnumerateArray());
    }
}
