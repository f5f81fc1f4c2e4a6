using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Satellite;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Satellite;

/// <summary>
/// The pages /satellite (batches with progress per county) and /satellite/{id} (patches, findings with their proof, the
/// province's review form): log-in required, another county or department sees nothing, a review without a note is refused
/// naming it, the province's agreement closes the patch.
/// </summary>
public sealed class SatellitePagesTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_batch_pages_show_progress_and_findings_and_the_province_reviews_from_them(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (patches, b) = await PatchFieldFindingTests.TwoPatchesForPatrolAsync(app);
        var batchId = await app.WithDbAsync(db => db.Set<SatellitePatch>().Where(p => p.Id == patches[0]).Select(p => p.BatchId).SingleAsync());
        var batchKey = await app.WithDbAsync(db => db.Set<SatelliteBatch>().Where(x => x.Id == batchId).Select(x => x.BatchKey).SingleAsync());
        var county = await app.LoginAsync("sx-office");
        var finding = await county.PostAsJsonAsync($"/api/satellite/patches/{patches[0]}/finding",
            new { finding = "other", note = "现场已复绿，无法判断", lon = b.Lon + 0.0015, lat = b.Lat + 0.0015 });
        Assert.Equal(HttpStatusCode.OK, finding.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await app.Anonymous().GetAsync("/satellite")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await (await app.LoginAsync("sx-police")).GetAsync("/satellite")).StatusCode); // to the access-denied page
        var other = await app.LoginAsync("hj-office");
        Assert.DoesNotContain(batchKey, await other.GetStringAsync("/satellite"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/satellite/{batchId}")).StatusCode);

        var list = await county.GetStringAsync("/satellite");
        Assert.Contains(batchKey, list, StringComparison.Ordinal);
        Assert.Contains("嵩县", list, StringComparison.Ordinal);
        var page = await county.GetStringAsync($"/satellite/{batchId}");
        Assert.Contains("待省级复核", page, StringComparison.Ordinal);
        Assert.Contains("现场已复绿", page, StringComparison.Ordinal);
        Assert.Contains("未核验到位", page, StringComparison.Ordinal);
        Assert.DoesNotContain("不同意（退回）", page, StringComparison.Ordinal);

        // The province: a review without a note is refused by name; agreeing closes the patch.
        var province = await app.LoginAsync("ha-office");
        var token = await TestApp.AntiForgeryTokenAsync(province, $"/satellite/{batchId}");
        Assert.Contains("不同意（退回）", await province.GetStringAsync($"/satellite/{batchId}"), StringComparison.Ordinal);
        FormUrlEncodedContent Form(string agree, string note) => new(new Dictionary<string, string>
        {
            ["patchId"] = patches[0].ToString(), ["agree"] = agree, ["note"] = note, ["__RequestVerificationToken"] = token,
        });
        var refused = await province.PostAsync($"/satellite/{batchId}?handler=Review", Form("true", ""));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("请填写复核意见", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await county.PostAsync($"/satellite/{batchId}?handler=Review",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["patchId"] = patches[0].ToString(), ["agree"] = "true", ["note"] = "同意",
                ["__RequestVerificationToken"] = await TestApp.AntiForgeryTokenAsync(county, $"/satellite/{batchId}"),
            }))).StatusCode);
        var agreed = await province.PostAsync($"/satellite/{batchId}?handler=Review", Form("true", "同意县级意见"));
        Assert.Equal(HttpStatusCode.Redirect, agreed.StatusCode);
        Assert.StartsWith($"/satellite/{batchId}", agreed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(PatchState.Closed, await app.WithDbAsync(db => db.Set<SatellitePatch>().Where(p => p.Id == patches[0]).Select(p => p.State).SingleAsync()));
    }
}
