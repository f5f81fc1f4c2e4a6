using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Sweeps.SweepPagesTests;

namespace MineGuard.Tests.Features.SpotChecks;

/// <summary>
/// The spot-check page (抽查, issue 17): the city's office draws with a seed on the page (stored once), sees the kept draw
/// with its seed, list, algorithm and sample, and records a check; the discipline commission reads; the county gets 404
/// and no menu item.
/// </summary>
public sealed class SpotCheckPagesTests
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TestApp.AntiForgeryTokenAsync(client, "/spot-checks");
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_city_draws_and_checks_on_its_page_and_the_county_sees_none_of_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var today = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));
        var office = await app.LoginAsync("sx-office");
        var verifier = await app.LoginAsync("sx-admin");
        var created = await office.PostAsJsonAsync("/api/assignments",
            new { divisionCode = "410325400", kind = "rectification", title = "拆除洗选设备（页面抽查）", dueOn = today.AddDays(5).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/assignments/{item}/complete", new { measures = "已拆除" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await verifier.PostAsJsonAsync($"/api/assignments/{item}/verify", new { resolution = "同意销号" })).StatusCode);

        var city = await app.LoginAsync("ly-office");
        var page = await city.GetStringAsync("/spot-checks");
        Assert.Contains("id=\"draw-form\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/spot-checks\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/help/spot-checks\"", page, StringComparison.Ordinal);
        var seed = "page-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Form(Guid clientId, string share) => new()
        {
            ["Draw.ClientId"] = clientId.ToString(), ["Draw.Counties"] = "410325", ["Draw.Kinds"] = "rectification",
            ["Draw.From"] = today.AddDays(-1).ToString("yyyy-MM-dd"), ["Draw.To"] = today.ToString("yyyy-MM-dd"), ["Draw.Share"] = share,
            ["Draw.ByTownship"] = "true", ["Draw.Seed"] = seed,
        };

        // A share outside 0–100 % is refused beside its field; nothing drawn.
        var bad = await PostAsync(city, "/spot-checks?handler=Draw", Form(Guid.NewGuid(), "150"));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("比例", Beside(await bad.Content.ReadAsStringAsync(), "Draw.Share"), StringComparison.Ordinal);

        var garbled = await PostAsync(city, "/spot-checks?handler=Draw", Form(Guid.NewGuid(), "三成"));
        Assert.Equal("抽查比例须为 0–100 之间的数字", Beside(await garbled.Content.ReadAsStringAsync(), "Draw.Share"));

        // Drawn once however often the form is sent.
        var clientId = Guid.NewGuid();
        var first = await PostAsync(city, "/spot-checks?handler=Draw", Form(clientId, "100"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var location = first.Headers.Location!.OriginalString;
        var second = await PostAsync(city, "/spot-checks?handler=Draw", Form(clientId, "100"));
        Assert.Equal(location, second.Headers.Location?.OriginalString);
        var draws = (await city.GetFromJsonAsync<JsonElement>("/api/spot-checks")).EnumerateArray().Where(d => d.GetProperty("seed").GetString() == seed).ToList();
        var draw = Assert.Single(draws);
        var drawId = draw.GetProperty("id").GetGuid();
        Assert.Equal($"/spot-checks?id={drawId}", location);

        // The kept draw: seed, algorithm, list, the sampled item waiting for its check.
        var detail = await city.GetStringAsync(location);
        Assert.Contains(seed, detail, StringComparison.Ordinal);
        Assert.Contains("sha256-v1", detail, StringComparison.Ordinal);
        Assert.Contains($"/api/spot-checks/{drawId}/list", detail, StringComparison.Ordinal);
        Assert.Contains("拆除洗选设备（页面抽查）", detail, StringComparison.Ordinal);
        var sampled = (await city.GetFromJsonAsync<JsonElement>($"/api/spot-checks/{drawId}")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("itemId").GetGuid() == item).GetProperty("id").GetGuid();
        Assert.Contains($"id=\"item-{sampled}\"", detail, StringComparison.Ordinal);

        // The check: not confirmed needs a note (beside the field); confirmed is recorded.
        var noNote = await PostAsync(city, $"/spot-checks?handler=Check&id={drawId}",
            new() { ["Check.ItemId"] = sampled.ToString(), ["Check.Result"] = "not-confirmed", ["Check.Note"] = "" });
        Assert.Equal(HttpStatusCode.OK, noNote.StatusCode);
        Assert.Equal("核查不属实时请填写核查发现", Beside(await noNote.Content.ReadAsStringAsync(), "Check.Note"));
        var done = await PostAsync(city, $"/spot-checks?handler=Check&id={drawId}",
            new() { ["Check.ItemId"] = sampled.ToString(), ["Check.Result"] = "confirmed", ["Check.Note"] = "现场核实已拆除" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("confirmed", (await city.GetFromJsonAsync<JsonElement>($"/api/spot-checks/{drawId}")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == sampled).GetProperty("result").GetString());

        // The discipline commission reads but has no form and may not draw.
        var discipline = await app.LoginAsync("ly-discipline");
        var read = await discipline.GetStringAsync(location);
        Assert.Contains(seed, read, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"draw-form\"", read, StringComparison.Ordinal);
        var refused = await PostAsync(discipline, "/spot-checks?handler=Draw", Form(Guid.NewGuid(), "30"));
        Assert.Contains("denied", refused.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);

        // The county: 404 on the page and the draw, no menu item; nobody unauthenticated gets in.
        foreach (var county in new[] { office, verifier, await app.LoginAsync("sx-leader") })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync("/spot-checks")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync(location)).StatusCode);
            Assert.DoesNotContain("href=\"/spot-checks\"", await county.GetStringAsync("/"), StringComparison.Ordinal);
        }
        var anonymous = await app.Anonymous().GetAsync("/spot-checks");
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
    }
}
