using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Features.Satellite;
using MineGuard.Tests.Features.Mines;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Satellite;

/// <summary>
/// 卫片图斑 over HTTP: the province imports a batch twice and it is stored once; bad features are refused by index with a
/// reason while the rest are kept; patches are matched (inside a licence, across its boundary, outside every licence, near
/// an adit, recurring); the county records findings, an illegal one becomes a clue; the province sends one back and then
/// agrees; 401/403/404 and bad input.
/// </summary>
public sealed class SatelliteApiTests
{

    internal static double[][][] Square(double lon, double lat, double size) =>
        [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]];

    internal static object Feature(string id, object coordinates, object? extra = null) => new
    {
        type = "Feature",
        properties = extra ?? new { id, changeType = "新增裸地", beforeImage = "GF2-20260901", afterImage = "GF2-20261001" },
        geometry = new { type = "Polygon", coordinates },
    };

    internal static object Batch(string key, params object[] features) => new
    {
        batchId = key, province = "41", periodFrom = "2026-10-01", periodTo = "2026-10-31", crs = "wgs84",
        features = new { type = "FeatureCollection", features },
    };

    /// <summary>A corner in 嵩县 with no licence within about 3 km, so this test's matches are its own.</summary>
    internal static async Task<(double Lon, double Lat)> FreeCornerAsync(TestApp app)
    {
        for (var i = 0; ; i++)
        {
            var at = Spots.Songxian();
            var busy = await app.WithDbAsync(db => db.Set<LicensedMine>().AnyAsync(m =>
                m.MinLon <= at.Lon + 0.03 && m.MaxLon >= at.Lon - 0.03 && m.MinLat <= at.Lat + 0.03 && m.MaxLat >= at.Lat - 0.03));
            if (!busy || i > 200) return at;
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_batch_imported_twice_is_stored_once_matched_verified_and_reviewed_and_an_illegal_patch_becomes_a_clue(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var province = await app.LoginAsync("ha-office");
        var county = await app.LoginAsync("sx-office");
        var b = await FreeCornerAsync(app);
        string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);

        // A licence 0.004° square at the corner, and an adit just east of the fourth patch.
        var mine = await MineData.CreateAsync(county, MineData.Body(boundary: MineData.Square(b.Lon, b.Lat, 0.004), township: "陶村林场"));
        var mineId = mine.GetProperty("id").GetGuid();
        var adit = await Problems.Json(await county.PostAsJsonAsync("/api/adits", new
        {
            name = "测试硐", township = "陶村林场", lon = F(b.Lon + 0.0075), lat = F(b.Lat + 0.0005), mineral = "金", origin = "盗采点", confirmNearby = true,
        }), HttpStatusCode.Created);
        var aditId = adit.GetProperty("adit").GetProperty("id").GetGuid();

        var key = "HA-2026-10-" + Guid.NewGuid().ToString("N")[..6];
        var body = Batch(key,
            Feature("P1", Square(b.Lon + 0.001, b.Lat + 0.001, 0.001)),                       // inside the licence
            Feature("P2", Square(b.Lon + 0.0035, b.Lat + 0.001, 0.001)),                      // across its east edge
            Feature("P3", Square(b.Lon + 0.012, b.Lat + 0.012, 0.001)),                       // outside every licence
            Feature("P4", Square(b.Lon + 0.006, b.Lat, 0.001)),                               // ~46 m from the adit
            Feature("P5", new[] { new[] { new[] { b.Lon, b.Lat }, new[] { b.Lon + 0.001, b.Lat + 0.001 }, new[] { b.Lon + 0.001, b.Lat }, new[] { b.Lon, b.Lat + 0.001 }, new[] { b.Lon, b.Lat } } }),
            Feature("P6", Square(b.Lat, b.Lon, 0.001)),                                       // [lat, lon]
            Feature("P7", Square(b.Lon + 0.02, b.Lat, 0.001), new { id = "P7", changeType = "新增裸地", crs = "GCJ-02" }),
            Feature("P8", Square(110.05, 27.2, 0.001)));                                      // 洪江市, Hunan
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/satellite/batches", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync("/api/satellite/batches", body)).StatusCode);
        Assert.Contains("省", await ErrorOf(await county.PostAsJsonAsync("/api/satellite/batches", body), "province"), StringComparison.Ordinal);

        var imported = await Problems.Json(await province.PostAsJsonAsync("/api/satellite/batches", body), HttpStatusCode.Created);
        Assert.Equal(4, imported.GetProperty("accepted").GetInt32());
        var rejected = imported.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([4, 5, 6, 7], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Contains("自相交", rejected[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("坐标顺序颠倒", rejected[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("GCJ-02", rejected[2].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("不在本批次所属省份", rejected[3].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("features[7]", rejected[3].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var batchId = imported.GetProperty("batch").GetProperty("id").GetGuid();

        // The same batch again: 200, nothing stored twice.
        var again = await Problems.Json(await province.PostAsJsonAsync("/api/satellite/batches", body), HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(4, again.GetProperty("alreadyStored").GetInt32());
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<SatellitePatch>().CountAsync(p => p.BatchId == batchId)));
        var patchIds = await app.WithDbAsync(db => db.Set<SatellitePatch>().Where(p => p.BatchId == batchId).Select(p => p.Id).ToListAsync());
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<Assignment>().CountAsync(a => a.SourceType == "satellite" && patchIds.Contains(a.SourceId!.Value))));

        // Matched: inside, across the boundary, outside any licence, near the adit.
        var list = (await Problems.Json(await county.GetAsync($"/api/satellite/patches?batch={batchId}"), HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(p => p.GetProperty("patchId").GetString()!);
        Assert.Equal(4, list.Count);
        Assert.Equal("inside", list["P1"].GetProperty("mineRelation").GetString());
        Assert.Contains(mineId, list["P1"].GetProperty("mineIds").EnumerateArray().Select(x => x.GetGuid()));
        Assert.Equal("crossing", list["P2"].GetProperty("mineRelation").GetString());
        Assert.Contains("越界", list["P2"].GetProperty("mineRelationName").GetString(), StringComparison.Ordinal);
        Assert.Equal("outside", list["P3"].GetProperty("mineRelation").GetString());
        Assert.Contains("无证", list["P3"].GetProperty("mineRelationName").GetString(), StringComparison.Ordinal);
        Assert.Equal(aditId, list["P4"].GetProperty("aditIds")[0].GetGuid());
        Assert.InRange(list["P4"].GetProperty("nearestAditMetres").GetDouble(), 30, 70);
        Assert.DoesNotContain(aditId, list["P3"].GetProperty("aditIds").EnumerateArray().Select(x => x.GetGuid()));

        // Each patch is a patch-check assignment for the county, on the batch's 月清 day, with a named checker.
        var dueOn = imported.GetProperty("batch").GetProperty("dueOn").GetString();
        var task = await Problems.Json(await county.GetAsync($"/api/assignments/{list["P3"].GetProperty("assignmentId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("patch-check", task.GetProperty("kind").GetString());
        Assert.Equal(dueOn, task.GetProperty("dueOn").GetString());
        Assert.True(task.GetProperty("responsiblePersonId").ValueKind != JsonValueKind.Null || task.GetProperty("responsibleUserId").ValueKind != JsonValueKind.Null);

        // The map's layer: the patches in view with their state and outline.
        var p3 = list["P3"].GetProperty("id").GetGuid();
        var bbox = $"{F(b.Lon - 0.01)},{F(b.Lat - 0.01)},{F(b.Lon + 0.03)},{F(b.Lat + 0.03)}";
        var map = await Problems.Json(await county.GetAsync($"/api/satellite/patch-map?bbox={bbox}"), HttpStatusCode.OK);
        var onMap = map.GetProperty("patches").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == p3);
        Assert.Equal("checking", onMap.GetProperty("state").GetString());
        Assert.Equal("Polygon", onMap.GetProperty("outline").GetProperty("type").GetString());
        Assert.Contains("bbox", (await Problems.ErrorsAsync(await county.GetAsync("/api/satellite/patch-map?bbox=1,2"))).GetProperty("bbox")[0].GetString(), StringComparison.Ordinal);

        // Other counties and departments see nothing.
        foreach (var user in new[] { "hj-office", "sx-police" })
        {
            var other = await app.LoginAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/satellite/patches/{p3}")).StatusCode);
            Assert.DoesNotContain(p3.ToString(), await other.GetStringAsync("/api/satellite/patches"), StringComparison.Ordinal);
            Assert.DoesNotContain(key, await other.GetStringAsync("/api/satellite/batches"), StringComparison.Ordinal);
            Assert.DoesNotContain(p3.ToString(), await other.GetStringAsync($"/api/satellite/patch-map?bbox={bbox}"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding", new { finding = "legal", note = "x" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/satellite/patches")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/satellite/patches/{p3}/finding",
            new { finding = "illegal", note = "x" })).StatusCode);

        // Bad findings name the field.
        Assert.Contains("核查结论", await ErrorOf(await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding", new { finding = "maybe", note = "x" }), "finding"), StringComparison.Ordinal);
        Assert.Contains("核查情况", await ErrorOf(await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding", new { finding = "illegal" }), "note"), StringComparison.Ordinal);
        Assert.Contains("填反", await ErrorOf(await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding",
            new { finding = "illegal", note = "x", lon = b.Lat, lat = b.Lon }), "lon"), StringComparison.Ordinal);

        // Illegal → a clue (once, however often it is sent), and the province must review it.
        var finding = new { finding = "illegal", note = "现场有新开挖的矿渣堆和运输便道，无人员", lon = b.Lon + 0.0125, lat = b.Lat + 0.0125 };
        var found = await Problems.Json(await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding", finding), HttpStatusCode.OK);
        Assert.Equal("reviewing", found.GetProperty("state").GetString());
        var clueId = found.GetProperty("clueId").GetGuid();
        await Problems.Json(await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding", finding), HttpStatusCode.OK);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ClueSource>().CountAsync(s => s.Type == "satellite" && s.SourceId == p3)));
        var clue = await Problems.Json(await county.GetAsync($"/api/clues/{clueId}"), HttpStatusCode.OK);
        Assert.Contains(list["P3"].GetProperty("patchId").GetString()!, clue.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // Legal: closed unless drawn for the province's sample (the draw is fixed by the id).
        var p1 = list["P1"].GetProperty("id").GetGuid();
        var legal = await Problems.Json(await county.PostAsJsonAsync($"/api/satellite/patches/{p1}/finding", new { finding = "legal", note = "持证矿山采矿范围内" }), HttpStatusCode.OK);
        Assert.Equal(PatchDesk.Sampled(p1, 10) ? "reviewing" : "closed", legal.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, legal.GetProperty("clueId").ValueKind);

        // Only the province reviews; a disagreeing review sends the patch back and reopens its check.
        Assert.Equal(HttpStatusCode.Forbidden, (await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/review", new { agree = true, note = "同意" })).StatusCode);
        Assert.Contains("是否同意", await ErrorOf(await province.PostAsJsonAsync($"/api/satellite/patches/{p3}/review", new { note = "x" }), "agree"), StringComparison.Ordinal);
        var back = await Problems.Json(await province.PostAsJsonAsync($"/api/satellite/patches/{p3}/review", new { agree = false, note = "照片未覆盖图斑范围，请补拍" }), HttpStatusCode.OK);
        Assert.Equal("checking", back.GetProperty("state").GetString());
        Assert.Equal(1, back.GetProperty("returns").GetInt32());
        var reopened = await Problems.Json(await county.GetAsync($"/api/assignments/{list["P3"].GetProperty("assignmentId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal(1, reopened.GetProperty("reopens").GetInt32());
        await Problems.Json(await county.PostAsJsonAsync($"/api/satellite/patches/{p3}/finding", finding with { note = "补拍照片覆盖全部图斑，确认违法采矿" }), HttpStatusCode.OK);
        var agreed = await Problems.Json(await province.PostAsJsonAsync($"/api/satellite/patches/{p3}/review", new { agree = true, note = "同意" }), HttpStatusCode.OK);
        Assert.Equal("closed", agreed.GetProperty("state").GetString());
        Assert.Equal(clueId, agreed.GetProperty("clueId").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ClueSource>().CountAsync(s => s.Type == "satellite" && s.SourceId == p3)));
        var closedTask = await Problems.Json(await county.GetAsync($"/api/assignments/{list["P3"].GetProperty("assignmentId").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("closed", closedTask.GetProperty("status").GetString());

        // Progress per county, for the province and the county alike.
        var progress = (await Problems.Json(await province.GetAsync($"/api/satellite/batches/{batchId}"), HttpStatusCode.OK)).GetProperty("counties")[0];
        Assert.Equal("410325", progress.GetProperty("county").GetString());
        Assert.Equal(4, progress.GetProperty("found").GetInt32());
        Assert.Equal(2, progress.GetProperty("checked").GetInt32());
        Assert.Contains(key, await county.GetStringAsync("/api/satellite/batches"), StringComparison.Ordinal);

        // A later batch at the same place is a recurring site.
        var later = await Problems.Json(await province.PostAsJsonAsync("/api/satellite/batches",
            Batch(key + "-11", Feature("Q1", Square(b.Lon + 0.0122, b.Lat + 0.0122, 0.001)))), HttpStatusCode.Created);
        var q1 = (await Problems.Json(await county.GetAsync($"/api/satellite/patches?batch={later.GetProperty("batch").GetProperty("id").GetGuid()}"), HttpStatusCode.OK))[0];
        Assert.Contains(p3, q1.GetProperty("earlierPatchIds").EnumerateArray().Select(x => x.GetGuid()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_batch_that_is_not_a_batch_is_refused_naming_the_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var province = await app.LoginAsync("ha-office");
        Assert.Contains("批次编号", await ErrorOf(await province.PostAsJsonAsync("/api/satellite/batches",
            new { province = "41", periodFrom = "2026-10-01", periodTo = "2026-10-31", features = new { type = "FeatureCollection", features = new[] { 1 } } }), "batchId"), StringComparison.Ordinal);
        Assert.Contains("FeatureCollection", await ErrorOf(await province.PostAsJsonAsync("/api/satellite/batches",
            new { batchId = "X", province = "41", periodFrom = "2026-10-01", periodTo = "2026-10-31", features = new { type = "Polygon" } }), "features"), StringComparison.Ordinal);
        Assert.Contains("早于", await ErrorOf(await province.PostAsJsonAsync("/api/satellite/batches",
            new { batchId = "X", province = "41", periodFrom = "2026-10-31", periodTo = "2026-10-01", features = new { type = "FeatureCollection", features = new[] { 1 } } }), "periodTo"), StringComparison.Ordinal);
        Assert.Contains("坐标系", await ErrorOf(await province.PostAsJsonAsync("/api/satellite/batches",
            new { batchId = "X", province = "41", periodFrom = "2026-10-01", periodTo = "2026-10-31", crs = "北京54", features = new { type = "FeatureCollection", features = new[] { 1 } } }), "crs"), StringComparison.Ordinal);
        Assert.Contains("省份", await ErrorOf(await province.PostAsJsonAsync("/api/satellite/batches",
            new { batchId = "X", province = "43", periodFrom = "2026-10-01", periodTo = "2026-10-31", features = new { type = "FeatureCollection", features = new[] { 1 } } }), "province"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await province.GetAsync($"/api/satellite/patches/{Guid.NewGuid()}")).StatusCode);
        Assert.Contains("状态", await ErrorOf(await province.GetAsync("/api/satellite/patches?state=lost"), "state"), StringComparison.Ordinal);
    }
}
