using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Features.Satellite;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Satellite;

/// <summary>
/// The ingestion API's <c>satellite.change</c> event is a patch: it goes into its batch (named, or the key's province's
/// monthly 推送 batch), is matched and gets its check assignment like a file's patch; a resend stores nothing twice; a bad
/// polygon, a patch outside the key's area or a batch of another province refuses that event only.
/// </summary>
public sealed class SatelliteIngestionTests
{
    private static object Change(string id, (double Lon, double Lat) at, object? batch = null, string? changeType = "新增开挖") => new
    {
        id, type = "satellite.change", occurredAt = "2026-10-30T10:00:00+08:00", changeType, afterImage = "GF2-20261030", batch,
        polygon = new { type = "Polygon", coordinates = SatelliteApiTests.Square(at.Lon, at.Lat, 0.001) },
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task A_pushed_patch_goes_into_its_batch_once_with_its_check_and_bad_ones_are_refused_one_by_one(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, provinceKey) = await IntegrationAsync(app, "41");
        var key = "HA-PUSH-" + Guid.NewGuid().ToString("N")[..8];
        var batch = new { batchId = key, province = "41", periodFrom = "2026-10-01", periodTo = "2026-10-31", crs = "wgs84" };
        var run = Guid.NewGuid().ToString("N")[..8];
        var bow = new { id = $"{run}-bow", type = "satellite.change", occurredAt = "2026-10-30T10:00:00+08:00", batch,
            polygon = new { type = "Polygon", coordinates = new[] { new[] { new[] { 111.95, 33.95 }, new[] { 111.96, 33.96 }, new[] { 111.96, 33.95 }, new[] { 111.95, 33.96 }, new[] { 111.95, 33.95 } } } } };
        var events = new[]
        {
            Change($"{run}-1", Spots.Songxian(), batch), Change($"{run}-2", Spots.Songxian(), batch, changeType: null), bow,
            Change($"{run}-3", Spots.Songxian(), batch),
        };
        var result = await IngestAsync(provinceKey, events);
        Assert.Equal(3, result.GetProperty("acceptedCount").GetInt32());
        var refused = result.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal(2, refused.GetProperty("index").GetInt32());
        Assert.Contains("自相交", refused.GetProperty("errors").GetProperty("polygon")[0].GetString(), StringComparison.Ordinal);

        var patches = await app.WithDbAsync(db => db.Set<SatellitePatch>().Where(p => p.PatchKey.StartsWith(run)).OrderBy(p => p.PatchKey).ToListAsync());
        Assert.Equal([$"{run}-1", $"{run}-2", $"{run}-3"], patches.Select(p => p.PatchKey));
        Assert.All(patches, p => Assert.Equal("410325", p.DivisionCode[..6]));
        Assert.Equal("未注明", patches[1].ChangeType);
        Assert.Equal("GF2-20261030", patches[0].AfterImage);
        var batchRow = await app.WithDbAsync(db => db.Set<SatelliteBatch>().SingleAsync(b => b.BatchKey == key));
        Assert.All(patches, p => Assert.Equal(batchRow.Id, p.BatchId));
        Assert.Null(batchRow.ImportedById);
        var checks = await app.WithDbAsync(db => db.Set<Assignment>().Where(a => a.SourceType == SatellitePatch.SourceType && patches.Select(p => p.Id).Contains(a.SourceId!.Value)).ToListAsync());
        Assert.Equal(3, checks.Count);
        Assert.All(checks, a => Assert.Equal(AssignmentKinds.PatchCheck, a.Kind));
        Assert.All(checks, a => Assert.Equal(batchRow.DueOn, a.DueOn));

        // The same events again: duplicates; nothing stored twice.
        var again = await IngestAsync(provinceKey, events);
        Assert.Equal(3, again.GetProperty("duplicateCount").GetInt32());
        Assert.Equal(3, await app.WithDbAsync(db => db.Set<SatellitePatch>().CountAsync(p => p.PatchKey.StartsWith(run))));

        // The province sees the pushed batch like an imported one.
        var office = await app.LoginAsync("ha-office");
        var view = await Problems.Json(await office.GetAsync($"/api/satellite/batches/{batchRow.Id}"), HttpStatusCode.OK);
        Assert.Equal(3, view.GetProperty("counties").EnumerateArray().Sum(c => c.GetProperty("found").GetInt32()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_county_key_pushes_its_own_patches_into_the_monthly_batch_and_no_others(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, countyKey) = await IntegrationAsync(app, "410325");
        var run = Guid.NewGuid().ToString("N")[..8];
        var foreignBatch = new { batchId = "HN-" + run, province = "43", periodFrom = "2026-10-01", periodTo = "2026-10-31", crs = "wgs84" };
        var result = await IngestAsync(countyKey,
            Change($"{run}-in", Spots.Songxian()),
            Change($"{run}-out", Spots.OutsideSongxian),
            Change($"{run}-43", Spots.Hongjiang(), foreignBatch),
            new { id = $"{run}-bad", type = "satellite.change", occurredAt = "2026-10-30T10:00:00+08:00", batch = "2026-10",
                polygon = new { type = "Polygon", coordinates = SatelliteApiTests.Square(111.97, 33.97, 0.001) } });
        Assert.Equal(1, result.GetProperty("acceptedCount").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("errors"));
        Assert.Equal([1, 2, 3], rejected.Keys.Order());
        Assert.True(rejected[1].TryGetProperty("polygon", out _), rejected[1].ToString());
        Assert.Contains("管辖范围", rejected[2].GetProperty("batch.province")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("batch", rejected[3].GetProperty("batch")[0].GetString(), StringComparison.Ordinal);

        var patch = await app.WithDbAsync(db => db.Set<SatellitePatch>().SingleAsync(p => p.PatchKey == $"{run}-in"));
        var monthly = await app.WithDbAsync(db => db.Set<SatelliteBatch>().SingleAsync(b => b.Id == patch.BatchId));
        Assert.Equal(("41-2026-10-推送", "41", new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)),
            (monthly.BatchKey, monthly.DivisionCode, monthly.PeriodFrom, monthly.PeriodTo));
        Assert.False(await app.WithDbAsync(db => db.Set<SatellitePatch>().AnyAsync(p => p.PatchKey == $"{run}-out" || p.PatchKey == $"{run}-43")));
    }
}
