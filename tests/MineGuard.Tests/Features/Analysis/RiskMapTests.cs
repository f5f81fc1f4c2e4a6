using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Analysis;

/// <summary>The map's risk layer (风险, issue 16): the adits in view with their scores, scoped, bounded, bad input named.</summary>
public sealed class RiskMapTests
{
    private static string Day(FieldKit kit, int daysAgo) =>
        DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(kit.Now)).AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task PostOkAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An adit sealed with loose rocks and broken open three times, the last three days ago, never visited.</summary>
    public static async Task<(Guid Id, string Number, double Lat, double Lon)> HighRiskAditAsync(FieldKit kit)
    {
        var adit = await kit.AditAsync();
        foreach (var (sealedAgo, brokenAgo) in new[] { (40, 30), (25, 15), (10, 3) })
        {
            await PostOkAsync(kit.Office, $"/api/adits/{adit.Id}/seal", new { on = Day(kit, sealedAgo), method = "石块堆砌", performedBy = "村民" });
            await PostOkAsync(kit.Office, $"/api/adits/{adit.Id}/breach", new { on = Day(kit, brokenAgo), howFound = "巡查发现" });
        }
        return adit;
    }

    private static string Box(double lat, double lon, double pad = 0.002) =>
        string.Create(CultureInfo.InvariantCulture, $"{lon - pad:F6},{lat - pad:F6},{lon + pad:F6},{lat + pad:F6}");

    [Theory, OnSqlite, OnPostgres]
    public async Task The_risk_layer_marks_a_high_risk_adit_in_view_only_for_its_county_whatever_the_department(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await HighRiskAditAsync(kit);
        var url = $"/api/analysis/risk-map?bbox={Box(adit.Lat, adit.Lon)}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(url)).StatusCode);

        var view = await kit.Office.GetFromJsonAsync<JsonElement>(url);
        Assert.False(view.GetProperty("truncated").GetBoolean());
        var mine = view.GetProperty("adits").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == adit.Id);
        Assert.Equal("high", mine.GetProperty("level").GetString());
        Assert.True(mine.GetProperty("score").GetDouble() >= 60, mine.ToString());
        Assert.Contains("被破坏", mine.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // The layer rounds positions to 6 decimals: compare within that, not by rounding both to 5 (a value such as
        // x.xxxx145 rounds to x.xxxx1 but its 6-decimal form x.xxxx15 to x.xxxx2, about 1 random spot in 25).
        Assert.Equal(adit.Lon, mine.GetProperty("lon").GetDouble(), 1e-6);

        // Another county's office sees nothing of it.
        var other = await app.LoginAsync("hj-office");
        var theirs = await other.GetFromJsonAsync<JsonElement>(url);
        Assert.DoesNotContain(theirs.GetProperty("adits").EnumerateArray(), a => a.GetProperty("id").GetGuid() == adit.Id);

        // Adits are no department's share (docs/DEVELOPING.md): a department's staff in the county (the discipline
        // commission) sees the same adit with the same score; the answer carries the score and its reason, no records.
        var department = await app.LoginAsync("sx-discipline");
        var theirView = await department.GetFromJsonAsync<JsonElement>(url);
        var seen = theirView.GetProperty("adits").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == adit.Id);
        Assert.Equal(mine.GetProperty("score").GetDouble(), seen.GetProperty("score").GetDouble());
        Assert.Equal(["id", "lat", "level", "lon", "number", "reason", "score"], seen.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        // Another county's department staff sees nothing of it.
        var otherDepartment = await app.LoginAsync("hj-discipline");
        Assert.DoesNotContain((await otherDepartment.GetFromJsonAsync<JsonElement>(url)).GetProperty("adits").EnumerateArray(),
            a => a.GetProperty("id").GetGuid() == adit.Id);

        // Out of view, not there.
        var away = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/analysis/risk-map?bbox={Box(adit.Lat + 0.05, adit.Lon + 0.05, 0.001)}");
        Assert.DoesNotContain(away.GetProperty("adits").EnumerateArray(), a => a.GetProperty("id").GetGuid() == adit.Id);

        // GCJ-02 maps get the position shifted.
        var gcj = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/analysis/risk-map?bbox={Box(adit.Lat, adit.Lon, 0.01)}&crs=gcj02");
        var shifted = gcj.GetProperty("adits").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == adit.Id);
        Assert.NotEqual(adit.Lon, shifted.GetProperty("lon").GetDouble(), 4);

        // Bad input is named in Chinese.
        foreach (var (query, field) in new[] { ("bbox=1,2,3", "bbox"), ("", "bbox"), ($"bbox={Box(adit.Lat, adit.Lon)}&crs=bd09", "crs") })
        {
            var bad = await kit.Office.GetAsync($"/api/analysis/risk-map?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Matches("[\u4e00-\u9fff]", errors.GetProperty(field)[0].GetString());
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_view_with_too_many_adits_is_not_scored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        // The whole world: the county's adits may be fewer than the cap, so compare with what the answer says.
        var view = await office.GetFromJsonAsync<JsonElement>("/api/analysis/risk-map?bbox=-180,-90,180,90");
        var total = view.GetProperty("total").GetInt32();
        var max = view.GetProperty("max").GetInt32();
        Assert.Equal(total > max, view.GetProperty("truncated").GetBoolean());
        Assert.True(view.GetProperty("adits").GetArrayLength() <= max);
        if (total > max) Assert.Equal(0, view.GetProperty("adits").GetArrayLength());
    }
}
