using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>The app's queue in one request (POST /api/field/sync): a check-in, its photos and the track before it.</summary>
public sealed class FieldBatchTests
{
    /// <summary>A genuine visit of the adit as one batch: the track walked there (two chunks), the check-in and its photo.</summary>
    private sealed record Visit(Guid PatrolId, Guid CheckInId, Guid PhotoId, Guid[] ChunkIds, object Batch, byte[] Photo, HttpRequestMessage Start,
        HttpRequestMessage End);

    private static Visit GenuineVisit(FieldKit kit, (Guid Id, string Number, double Lat, double Lon) adit, int seed)
    {
        var (patrolId, checkInId) = (Guid.NewGuid(), Guid.NewGuid());
        var begin = kit.Now.AddMinutes(-40);
        var at = begin.AddMinutes(30).AddSeconds(20);
        List<double[]> track = [.. FieldKit.Walk(adit.Lat + 0.0054, adit.Lon + 0.001, adit.Lat, adit.Lon, begin, 36, seed, 50),
            .. FieldKit.Walk(adit.Lat, adit.Lon, adit.Lat + 0.0003, adit.Lon, begin.AddMinutes(30).AddSeconds(30), 2, seed + 1)];
        var photo = ExifJpeg.Create(MineGuard.Platform.Time.ChinaTime.ToLocal(at), adit.Lon + 0.00002, adit.Lat - 0.00002, seed);
        var (a, b, photoId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var batch = new
        {
            tracks = new[] { new { patrolId, chunks = new object[] { new { id = a, seq = 0, points = track.Take(20) }, new { id = b, seq = 1, points = track.Skip(20) } } } },
            checkIns = new[]
            {
                new
                {
                    id = checkInId,
                    record = new
                    {
                        patrolId, aditId = adit.Id, at, lat = adit.Lat + 0.00003, lon = adit.Lon - 0.00002, accuracy = 8.0, answerFormat = 2,
                        answers = new { sealBroken = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
                    },
                },
            },
            photos = new[] { new { id = photoId, checkInId, takenAt = new DateTimeOffset(at.AddSeconds(15)).ToUnixTimeMilliseconds() } },
        };
        var teamId = kit.TeamId;
        return new Visit(patrolId, checkInId, photoId, [a, b], batch, photo, kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin }),
            kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin, endedAt = begin.AddMinutes(35) }));
    }

    private static async Task<int[]> StoredAsync(TestApp app, Visit visit) => await app.WithDbAsync(async db => new[]
    {
        await db.TrackChunks().IgnoreQueryFilters().CountAsync(c => c.PatrolId == visit.PatrolId),
        await db.CheckIns().IgnoreQueryFilters().CountAsync(c => c.Id == visit.CheckInId),
        await db.CheckInPhotos().IgnoreQueryFilters().CountAsync(p => p.Id == visit.PhotoId),
    });

    private static async Task<List<(string Id, string Status)>> RecordsAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("records").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("status").GetString()!)).ToList();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_check_in_its_photo_and_the_track_before_it_are_stored_by_one_request_once_however_often_sent(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var visit = GenuineVisit(kit, adit, 11);
        Assert.True((await kit.Member.SendAsync(visit.Start)).IsSuccessStatusCode);

        var first = await RecordsAsync(await kit.Member.SendAsync(kit.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo))));
        Assert.Equal(4, first.Count);
        Assert.All(first, r => Assert.Equal("created", r.Status));
        Assert.Equal(new[] { 2, 1, 1 }, await StoredAsync(app, visit));
        // Stored, and its patrol marked for the judge job in the same transaction.
        Assert.True(await app.WithDbAsync(db => db.Set<PatrolJudgement>().IgnoreQueryFilters().AnyAsync(j => j.PatrolId == visit.PatrolId)));
        // The chunks are their own record: one audit event for the request's track (count, fixes, digest), none per chunk;
        // the check-in and the photo are audited as every change is.
        var trail = await app.WithDbAsync(db => db.AuditRecords.IgnoreQueryFilters()
            .Where(a => a.EntityId == visit.PatrolId.ToString() || a.EntityId == visit.ChunkIds[0].ToString() || a.EntityId == visit.CheckInId.ToString())
            .Select(a => new { a.EntityType, a.Action, a.Changes }).ToListAsync());
        var track = Assert.Single(trail, a => a.EntityType == nameof(TrackChunk));
        Assert.Equal("create", track.Action);
        Assert.Contains("2 段轨迹，40 个定位点", track.Changes);
        Assert.Single(trail, a => a.EntityType == nameof(CheckIn) && a.Action == "create");

        // Judged: the track, the check-in and the photo that came together are one genuine visit.
        var state = await kit.CheckInStateAsync(visit.CheckInId);
        Assert.True(state.GetProperty("verified").GetBoolean(), string.Join("；", state.GetProperty("reasons").EnumerateArray()));
        Assert.False(state.GetProperty("pending").GetBoolean());

        // The answer was lost and the app sends the batch twice more: every record a duplicate, the check-in with its verdict.
        for (var i = 0; i < 2; i++)
        {
            var response = await kit.Member.SendAsync(kit.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo)));
            var again = await RecordsAsync(response);
            Assert.All(again, r => Assert.Equal("duplicate", r.Status));
        }

        var resent = await kit.Member.SendAsync(kit.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo)));
        var checkIn = (await resent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("records").EnumerateArray()
            .Single(r => r.GetProperty("id").GetGuid() == visit.CheckInId);
        Assert.True(checkIn.GetProperty("verified").GetBoolean());
        Assert.Equal(new[] { 2, 1, 1 }, await StoredAsync(app, visit));

        // The same records sent one by one afterwards (an older app, or the app's fallback) are duplicates too.
        var single = await kit.Member.SendAsync(kit.PutPhoto(visit.PhotoId, visit.CheckInId, kit.Now, visit.Photo));
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.True((await kit.Member.SendAsync(visit.End)).IsSuccessStatusCode);
        Assert.Equal(new[] { 2, 1, 1 }, await StoredAsync(app, visit));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_batch_sent_four_times_at_once_is_stored_once_and_each_record_created_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var visit = GenuineVisit(kit, await kit.AditAsync(), 41);
        Assert.True((await kit.Member.SendAsync(visit.Start)).IsSuccessStatusCode);

        // A phone that resends before the first answer came (four requests at once): the ones that lose the race to the
        // database look again and answer duplicates, never 409 or 500.
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => kit.Member.SendAsync(kit.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo)))));
        var answers = new List<(string Id, string Status)>();
        foreach (var response in responses) answers.AddRange(await RecordsAsync(response));
        Assert.All(answers.GroupBy(a => a.Id), g => Assert.Equal(1, g.Count(a => a.Status == "created")));
        Assert.Equal(4, answers.Select(a => a.Id).Distinct().Count());
        Assert.Equal(new[] { 2, 1, 1 }, await StoredAsync(app, visit));
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditRecords.IgnoreQueryFilters()
            .CountAsync(a => a.EntityType == nameof(TrackChunk) && a.EntityId == visit.PatrolId.ToString())));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_batch_with_one_record_refused_stores_nothing_of_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var visit = GenuineVisit(kit, adit, 21);
        Assert.True((await kit.Member.SendAsync(visit.Start)).IsSuccessStatusCode);
        // One chunk of the visit arrived alone before; the batch then carries it with other content: 409, and the
        // check-in, the photo and the other chunk beside it are not stored either.
        var stored = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{visit.PatrolId}/track/{visit.ChunkIds[0]}",
            new { seq = 0, points = new[] { new[] { adit.Lat, adit.Lon, 5.0, new DateTimeOffset(kit.Now.AddMinutes(-50)).ToUnixTimeMilliseconds() } } }));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var conflict = await kit.Member.SendAsync(kit.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo)));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("SyncConflict", (await conflict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(new[] { 1, 0, 0 }, await StoredAsync(app, visit));

        // A photo of another member's check-in in a batch of one's own records: 404, nothing of it stored.
        var other = await FieldKit.StartAsync(app);
        var otherVisit = GenuineVisit(other, await other.AditAsync(), 22);
        Assert.True((await other.Member.SendAsync(otherVisit.Start)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Member.SendAsync(other.PostBatch(otherVisit.Batch, (otherVisit.PhotoId, otherVisit.Photo)))).StatusCode);
        var mine = GenuineVisit(kit, await kit.AditAsync(), 23);
        Assert.True((await kit.Member.SendAsync(mine.Start)).IsSuccessStatusCode);
        var stray = Guid.NewGuid();
        var json = JsonSerializer.SerializeToNode(mine.Batch, JsonSerializerOptions.Web)!.AsObject();
        json["photos"]!.AsArray().Add(JsonSerializer.SerializeToNode(new { id = stray, checkInId = otherVisit.CheckInId, takenAt = new DateTimeOffset(kit.Now).ToUnixTimeMilliseconds() }));
        var foreign = await kit.Member.SendAsync(kit.PostBatch(json, (mine.PhotoId, mine.Photo), (stray, otherVisit.Photo)));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(new[] { 0, 0, 0 }, await StoredAsync(app, mine));
        Assert.False(await app.WithDbAsync(db => db.CheckInPhotos().IgnoreQueryFilters().AnyAsync(p => p.Id == stray)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Anonymous_read_only_other_members_and_bad_input_are_refused_and_nothing_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var visit = GenuineVisit(kit, adit, 31);
        Assert.True((await kit.Member.SendAsync(visit.Start)).IsSuccessStatusCode);
        HttpRequestMessage Batch(FieldKit by) => by.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo));

        // Anonymous; a leader (read-only); the county's police (another department) and a patrol member of another
        // county, sending records of this member's patrol.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().SendAsync(Batch(kit))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).SendAsync(Batch(kit))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-police")).SendAsync(Batch(kit))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-patrol")).SendAsync(Batch(kit))).StatusCode);

        async Task<JsonElement> Refused(HttpRequestMessage request)
        {
            var response = await kit.Member.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        }

        // Not multipart; no phone clock; broken JSON; nothing in it.
        Assert.Contains("multipart/form-data", (await Refused(kit.Post("/api/field/sync", visit.Batch))).GetProperty("batch")[0].GetString());
        var noClock = Batch(kit);
        noClock.Headers.Remove("X-Device-Time");
        Assert.True((await Refused(noClock)).TryGetProperty("deviceTime", out _));
        var broken = new HttpRequestMessage(HttpMethod.Post, "/api/field/sync") { Content = new MultipartFormDataContent { { new StringContent("{\"checkIns\": [}"), "batch" } } };
        broken.Headers.Add("X-Device-Time", new DateTimeOffset(kit.Now).ToUnixTimeMilliseconds().ToString());
        Assert.Contains("JSON", (await Refused(broken)).GetProperty("batch")[0].GetString());
        Assert.Equal("没有要上传的记录", (await Refused(kit.PostBatch(new { }))).GetProperty("batch")[0].GetString());

        // A bad record is named by its place in the batch.
        var json = JsonSerializer.SerializeToNode(visit.Batch, JsonSerializerOptions.Web)!.AsObject();
        json["checkIns"]![0]!["record"]!["lat"] = 95.0;
        Assert.Contains("纬度不正确", (await Refused(kit.PostBatch(json, (visit.PhotoId, visit.Photo)))).GetProperty("checkIns[0].record.lat")[0].GetString());
        // A photo without its bytes, a part that is not an image, bytes with no photo named.
        Assert.Contains("没有随附照片内容", (await Refused(kit.PostBatch(visit.Batch))).GetProperty("photos[0].id")[0].GetString());
        Assert.Contains("不是 JPEG 或 PNG", (await Refused(kit.PostBatch(visit.Batch, (visit.PhotoId, "not a photo"u8.ToArray())))).GetProperty("photos[0].id")[0].GetString());
        Assert.Contains("没有对应的说明", (await Refused(kit.PostBatch(visit.Batch, (visit.PhotoId, visit.Photo), (Guid.NewGuid(), visit.Photo)))).GetProperty("photos")[0].GetString());
        var late = JsonSerializer.SerializeToNode(visit.Batch, JsonSerializerOptions.Web)!.AsObject();
        late["photos"]![0]!["takenAt"] = 5;
        Assert.True((await Refused(kit.PostBatch(late, (visit.PhotoId, visit.Photo)))).TryGetProperty("photos[0].takenAt", out _));

        Assert.Equal(new[] { 0, 0, 0 }, await StoredAsync(app, visit));
        // The same batch, well formed, from its own member: stored.
        Assert.Equal(4, (await RecordsAsync(await kit.Member.SendAsync(Batch(kit)))).Count);
    }
}
