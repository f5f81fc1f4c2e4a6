using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Supervision.SupervisionDashboardTests;

namespace MineGuard.Tests.Features.Supervision;

/// <summary>
/// The dashboard's clues by source and outcome (issue 18) on a village of the test's own with two grids: each figure by
/// hand, each link's list (<c>/api/clues</c> with <c>source</c> or <c>outcome</c>) holding exactly that many; the new
/// filters' bad input, scope and log-in.
/// </summary>
public sealed class SupervisionClueSourcesTests
{
    private static async Task<Guid> ClueAsync(HttpClient office, string grid, string source)
    {
        var made = await office.PostAsJsonAsync("/api/clues", new { sourceType = source, summary = "来源看板 " + Guid.NewGuid().ToString("N")[..8], divisionCode = grid });
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        return (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Clues_by_source_and_outcome_match_a_hand_count_and_each_link_lists_them(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var place = await PlaceAsync(app);
        // Grid A: two media reports (one closed as no action) and a superior's assignment; grid B: one media report,
        // transferred to another department.
        var dropped = await ClueAsync(office, place.GridA, "media");
        await ClueAsync(office, place.GridA, "media");
        await ClueAsync(office, place.GridA, "superior");
        var handed = await ClueAsync(office, place.GridB, "media");
        var closed = await office.PostAsJsonAsync($"/api/clues/{dropped}/close", new { outcome = "no-action", note = "重复报道，无新情况" });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
        var moved = await office.PostAsJsonAsync($"/api/clues/{handed}/close", new { outcome = "transferred", note = "移交林业局", transferredTo = "县林业局", receivedBy = "林业局 李明", receivedAt = MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());

        var board = await DashboardAsync(office, $"division={place.Village}");
        var expected = new Dictionary<string, (int Village, int A, int B)>
        {
            ["received"] = (4, 3, 1), ["source:media"] = (3, 2, 1), ["source:superior"] = (1, 1, 0), ["outcome:none"] = (2, 2, 0),
            ["outcome:no-action"] = (1, 1, 0), ["outcome:transferred"] = (1, 0, 1), ["outcome:case"] = (0, 0, 0), ["outcome:rectification"] = (0, 0, 0),
        };
        foreach (var (key, (v, a, b)) in expected)
        {
            var m = Measure(board, "clue-sources", key);
            foreach (var (code, value) in new[] { (place.Village, v), (place.GridA, a), (place.GridB, b) })
            {
                var figure = Figure(m, code);
                Assert.True(value == figure.GetProperty("value").GetInt32(), $"{key} {code}: {figure}");
                var link = figure.GetProperty("link").GetString()!;
                Assert.StartsWith("/clues?", link, StringComparison.Ordinal);
                var list = await office.GetFromJsonAsync<JsonElement>("/api" + link);
                Assert.True(value == list.GetArrayLength(), $"{key} {code}: {link}");
            }
        }
        // No source type without clues is shown (no tip came in here).
        Assert.DoesNotContain(board.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "clue-sources")
            .GetProperty("measures").EnumerateArray(), m => m.GetProperty("key").GetString() == "source:tip");

        // The page keeps and shows the figure's filter.
        var page = await office.GetStringAsync($"/clues?division={place.GridA}&state=all&source=media");
        Assert.Contains("来源：媒体报道", page, StringComparison.Ordinal);

        // Another county lists none; bad values are named; log-in required.
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(0, (await hongjiang.GetFromJsonAsync<JsonElement>($"/api/clues?division={place.GridA}&state=all&source=media")).GetArrayLength());
        Assert.Contains("来源类型", (await Problems.ErrorsAsync(await office.GetAsync("/api/clues?source=radio"))).GetProperty("source")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("处理结果", (await Problems.ErrorsAsync(await office.GetAsync("/api/clues?outcome=lost"))).GetProperty("outcome")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/clues?source=media")).StatusCode);
    }
}
