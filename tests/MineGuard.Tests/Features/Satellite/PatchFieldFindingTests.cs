using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Satellite;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Satellite.SatelliteApiTests;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Satellite;

/// <summary>
/// A patch finding recorded offline in the field app (PUT under the phone's id): the checker named on the patch's check
/// sees it in their list, the finding is stored once however often it is sent, another record under the same id is refused,
/// and the position is judged against the polygon (proven on site, or why not); 401, other county, other department,
/// bad input.
/// </summary>
public sealed class PatchFieldFindingTests
{
    private static string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>A batch of two patches at a free corner of 嵩县, both given to the patrol member sx-patrol to check.</summary>
    internal static async Task<(Guid[] Patches, (double Lon, double Lat) Corner)> TwoPatchesForPatrolAsync(TestApp app)
    {
        var province = await app.LoginAsync("ha-office");
        var b = await FreeCornerAsync(app);
        var key = "HA-FIELD-" + Guid.NewGuid().ToString("N")[..8];
        var imported = await Problems.Json(await province.PostAsJsonAsync("/api/satellite/batches",
            Batch(key, Feature("F1", Square(b.Lon + 0.001, b.Lat + 0.001, 0.001)), Feature("F2", Square(b.Lon + 0.004, b.Lat + 0.001, 0.001)))),
            HttpStatusCode.Created);
        var batchId = imported.GetProperty("batch").GetProperty("id").GetGuid();
        var ids = await app.WithDbAsync(async db =>
        {
            var patrol = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();
            var patches = await db.Set<SatellitePatch>().Where(p => p.BatchId == batchId).OrderBy(p => p.PatchKey).ToListAsync();
            var tasks = patches.Select(p => p.AssignmentId!.Value).ToList();
            await db.Set<Assignment>().Where(a => tasks.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResponsibleUserId, patrol).SetProperty(a => a.ResponsiblePersonId, (Guid?)null));
            return patches.Select(p => p.Id).ToArray();
        });
        return (ids, b);
    }

    private static HttpRequestMessage Put(Guid id, object body, DateTimeOffset? deviceTime = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/satellite/findings/{id}") { Content = JsonContent.Create(body) };
        if (deviceTime is { } t) request.Headers.Add("X-Device-Time", t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return request;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_finding_recorded_offline_is_stored_once_with_its_proof_of_presence(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (patches, b) = await TwoPatchesForPatrolAsync(app);
        var checker = await app.LoginAsync("sx-patrol");
        var now = app.Clock.GetUtcNow();

        // The checker's list for offline work: both patches, with their outline.
        var mine = (await Problems.Json(await checker.GetAsync("/api/satellite/my-patches"), HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(patches.Order(), mine.Select(p => p.GetProperty("id").GetGuid()).Where(patches.Contains).Order());
        Assert.Equal("Polygon", mine[0].GetProperty("geometry").GetProperty("type").GetString());

        // Illegal, recorded standing inside the first patch, sent twice (the outbox retries): stored once, one clue.
        var id = Guid.NewGuid();
        var body = new
        {
            patchId = patches[0], finding = "illegal", note = "新开挖矿渣堆，有运输便道", lon = b.Lon + 0.0015, lat = b.Lat + 0.0015, accuracy = 8.0,
            at = now.AddMinutes(-30),
        };
        var created = await Problems.Json(await checker.SendAsync(Put(id, body, now)), HttpStatusCode.Created);
        Assert.Equal("reviewing", created.GetProperty("state").GetString());
        Assert.True(created.GetProperty("findingProven").GetBoolean());
        Assert.Equal(0, created.GetProperty("findingMetres").GetDouble());
        var again = await Problems.Json(await checker.SendAsync(Put(id, body, now)), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("clueId").GetGuid(), again.GetProperty("clueId").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<PatchFieldFinding>().CountAsync(f => f.PatchId == patches[0])));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ClueSource>().CountAsync(s => s.Type == "satellite" && s.SourceId == patches[0])));
        var task = await app.WithDbAsync(db => db.Set<Assignment>().SingleAsync(a => a.SourceId == patches[0]));
        Assert.Equal(AssignmentStatus.Completed, task.Status);

        // A photo taken with it, sent after it (twice): kept once on the check's evidence; not an image is refused by name.
        HttpRequestMessage Photo(Guid photoId, byte[] bytes) => new(HttpMethod.Put, $"/api/satellite/findings/{id}/photos/{photoId}")
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("image/jpeg") } },
        };
        var photoId = Guid.NewGuid();
        var photo = await Problems.Json(await checker.SendAsync(Photo(photoId, ExifJpeg.Plain())), HttpStatusCode.Created);
        await Problems.Json(await checker.SendAsync(Photo(photoId, ExifJpeg.Plain())), HttpStatusCode.OK);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectId == task.Id)));
        Assert.Contains(task.Id.ToString(), photo.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Contains("照片", await ErrorOf(await checker.SendAsync(Photo(Guid.NewGuid(), "not an image"u8.ToArray())), "file"), StringComparison.Ordinal);
        foreach (var user in new[] { "hj-office", "sx-police" })
            Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync(user)).SendAsync(Photo(Guid.NewGuid(), ExifJpeg.Plain()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().SendAsync(Photo(Guid.NewGuid(), ExifJpeg.Plain()))).StatusCode);

        // Other content under the same id: 409, nothing changed.
        var conflict = await checker.SendAsync(Put(id, body with { note = "改过的内容" }, now));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("SyncConflict", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Legal, recorded about 300 m away with a poor fix and a phone clock an hour off: stored, not proven, and why.
        var far = await Problems.Json(await checker.SendAsync(Put(Guid.NewGuid(), new
        {
            patchId = patches[1], finding = "legal", note = "耕地整理", lon = b.Lon + 0.0085, lat = b.Lat + 0.0015, accuracy = 80.0, at = now.AddMinutes(-5),
        }, now.AddHours(1))), HttpStatusCode.Created);
        Assert.False(far.GetProperty("findingProven").GetBoolean());
        Assert.InRange(far.GetProperty("findingMetres").GetDouble(), 250, 350);
        var why = far.GetProperty("findingProof").GetString()!;
        Assert.Contains("距图斑", why, StringComparison.Ordinal);
        Assert.Contains("定位精度 80 米", why, StringComparison.Ordinal);
        Assert.Contains("手机时间", why, StringComparison.Ordinal);

        // Nothing left to check in the checker's list.
        Assert.DoesNotContain(patches[0].ToString(), await checker.GetStringAsync("/api/satellite/my-patches"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Only_the_checker_or_the_county_records_and_bad_input_names_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (patches, b) = await TwoPatchesForPatrolAsync(app);
        var body = new { patchId = patches[0], finding = "legal", note = "持证", lon = b.Lon + 0.0015, lat = b.Lat + 0.0015, accuracy = 5.0, at = app.Clock.GetUtcNow() };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().SendAsync(Put(Guid.NewGuid(), body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/satellite/my-patches")).StatusCode);
        // Another county (same department) and another department of the same county: not theirs.
        foreach (var user in new[] { "hj-office", "sx-police" })
        {
            var other = await app.LoginAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(Put(Guid.NewGuid(), body))).StatusCode);
            Assert.DoesNotContain(patches[0].ToString(), await other.GetStringAsync("/api/satellite/my-patches"), StringComparison.Ordinal);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PatchFieldFinding>().CountAsync(f => f.PatchId == patches[0])));

        var checker = await app.LoginAsync("sx-patrol");
        Assert.Contains("图斑", await ErrorOf(await checker.SendAsync(Put(Guid.NewGuid(), body with { patchId = Guid.Empty })), "patchId"), StringComparison.Ordinal);
        Assert.Contains("核查结论", await ErrorOf(await checker.SendAsync(Put(Guid.NewGuid(), body with { finding = "maybe" })), "finding"), StringComparison.Ordinal);
        Assert.Contains("核查情况", await ErrorOf(await checker.SendAsync(Put(Guid.NewGuid(), body with { note = " " })), "note"), StringComparison.Ordinal);
        Assert.Contains("填反", await ErrorOf(await checker.SendAsync(Put(Guid.NewGuid(), body with { lon = b.Lat, lat = b.Lon })), "lon"), StringComparison.Ordinal);
        Assert.Contains("定位精度", await ErrorOf(await checker.SendAsync(Put(Guid.NewGuid(), body with { accuracy = -1.0 })), "accuracy"), StringComparison.Ordinal);
        Assert.Contains("编号", await ErrorOf(await checker.SendAsync(Put(Guid.Empty, body)), "id"), StringComparison.Ordinal);
        var noPlace = await checker.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/satellite/findings/{Guid.NewGuid()}")
        {
            Content = JsonContent.Create(new { patchId = patches[0], finding = "legal", note = "持证", at = app.Clock.GetUtcNow() }),
        });
        Assert.Contains("定位", await ErrorOf(noPlace, "lon"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await checker.SendAsync(Put(Guid.NewGuid(), body with { patchId = Guid.NewGuid() }))).StatusCode);

        // The county office records for its county too (its own id), through the same path.
        var county = await app.LoginAsync("sx-office");
        await Problems.Json(await county.SendAsync(Put(Guid.NewGuid(), body)), HttpStatusCode.Created);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_finding_photo_sent_concurrently_is_stored_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (patches, b) = await TwoPatchesForPatrolAsync(app);
        var checker = await app.LoginAsync("sx-patrol");
        var id = Guid.NewGuid();
        await Problems.Json(await checker.SendAsync(Put(id, new
        {
            patchId = patches[0], finding = "legal", note = "持证开采", lon = b.Lon + 0.0015, lat = b.Lat + 0.0015, accuracy = 5.0, at = app.Clock.GetUtcNow(),
        })), HttpStatusCode.Created);
        var photoId = Guid.NewGuid();
        var bytes = ExifJpeg.Create(new DateTime(2026, 12, 3, 11, 0, 0), b.Lon, b.Lat, Random.Shared.Next(1, 1_000_000));
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.LoginAsync("sx-patrol")));

        // Four sends of one photo at once (the phone's outbox and a retry after a lost answer): one stored, one 201, the rest 200 with it.
        var answers = await Task.WhenAll(clients.Select(c => c.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/satellite/findings/{id}/photos/{photoId}")
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("image/jpeg") } },
        })));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var task = await app.WithDbAsync(db => db.Set<SatellitePatch>().Where(p => p.Id == patches[0]).Select(p => p.AssignmentId!.Value).SingleAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectId == task && f.ClientId == photoId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<EvidenceFile>().CountAsync(f => f.SubjectId == task)));
    }
}
