using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>The field app's sync API: stored once however often and in whatever order it arrives, and proof of presence.</summary>
public sealed class FieldSyncTests
{
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Func<HttpRequestMessage> request) =>
        await client.SendAsync(request());

    [Theory, OnSqlite, OnPostgres]
    public async Task A_genuine_patrol_is_verified_and_replaying_every_request_three_times_shuffled_stores_each_record_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var requests = kit.GenuinePatrol(adit, out var patrolId, out var checkInId);

        var replay = requests.Concat(requests).Concat(requests).OrderBy(_ => Random.Shared.Next()).ToList();
        var statuses = new List<HttpStatusCode>();
        foreach (var request in replay)
        {
            var response = await SendAsync(kit.Member, request);
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            statuses.Add(response.StatusCode);
        }

        // Five records were created once each; everything else was a duplicate (200). The end arrives as an update.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Created), 5, 6);
        var state = await kit.CheckInStateAsync(checkInId);
        Assert.True(state.GetProperty("verified").GetBoolean(), string.Join("；", state.GetProperty("reasons").EnumerateArray()));
        Assert.Empty(state.GetProperty("flags").EnumerateArray());

        var counts = await app.WithDbAsync(async db => new[]
        {
            await db.Patrols().IgnoreQueryFilters().CountAsync(p => p.Id == patrolId),
            await db.CheckIns().IgnoreQueryFilters().CountAsync(c => c.PatrolId == patrolId),
            await db.TrackChunks().IgnoreQueryFilters().CountAsync(c => c.PatrolId == patrolId),
            await db.CheckInPhotos().IgnoreQueryFilters().CountAsync(p => p.CheckInId == checkInId),
        });
        Assert.Equal([1, 1, 2, 1], counts);
        var ended = await app.WithDbAsync(db => db.Patrols().IgnoreQueryFilters().Where(p => p.Id == patrolId).Select(p => p.EndedUtc).SingleAsync());
        Assert.NotNull(ended);

        // The office sees the patrol with its track and the verified check-in.
        var detail = await kit.Office.GetFromJsonAsync<JsonElement>($"/api/patrols/{patrolId}");
        Assert.Equal(40, detail.GetProperty("track").GetArrayLength());
        Assert.True(detail.GetProperty("checkIns")[0].GetProperty("verified").GetBoolean());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_check_in_two_kilometres_from_the_adit_is_unverified_with_the_reason(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var spots = Spots.SongxianGroup((0, 0), (0.018, 0));
        var here = await kit.AditAsync(spots[0].Lat, spots[0].Lon);
        var far = await kit.AditAsync(spots[1].Lat, spots[1].Lon);
        var requests = kit.GenuinePatrol(here, out var patrolId, out _);
        foreach (var request in requests) Assert.True((await SendAsync(kit.Member, request)).IsSuccessStatusCode);

        // Standing at the first adit, the member checks in at the second, 2 km north.
        var id = Guid.NewGuid();
        var response = await kit.Member.SendAsync(kit.Put($"/api/field/check-ins/{id}", new
        {
            patrolId, aditId = far.Id, at = kit.Now.AddMinutes(-9), lat = here.Lat, lon = here.Lon, accuracy = 6.0,
            answers = new { sealIntact = true },
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var state = await kit.CheckInStateAsync(id);
        Assert.False(state.GetProperty("verified").GetBoolean());
        var reasons = state.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(reasons, r => r.StartsWith("签到定位距矿硐 2") && r.Contains("超过 50 米"));
        Assert.Contains(reasons, r => r.Contains("轨迹没有到达矿硐"));
        Assert.Contains("没有现场照片", reasons);
        Assert.InRange(state.GetProperty("distanceMetres").GetDouble(), 1950, 2050);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_id_with_different_content_is_refused_as_a_conflict(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var requests = kit.GenuinePatrol(adit, out var patrolId, out var checkInId);
        foreach (var request in requests) await SendAsync(kit.Member, request);

        var changed = await kit.Member.SendAsync(kit.Put($"/api/field/check-ins/{checkInId}", new
        {
            patrolId, aditId = adit.Id, at = kit.Now.AddMinutes(-5), lat = adit.Lat, lon = adit.Lon, accuracy = 3.0,
        }));
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        var problem = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("SyncConflict", problem.GetProperty("code").GetString());

        var restart = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}", new { teamId = kit.TeamId, startedAt = kit.Now }));
        Assert.Equal(HttpStatusCode.Conflict, restart.StatusCode);
        var stored = await app.WithDbAsync(db => db.CheckIns().IgnoreQueryFilters().Where(c => c.Id == checkInId).Select(c => c.Accuracy).SingleAsync());
        Assert.Equal(8.0, stored);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_check_in_cannot_hang_on_someone_elses_patrol(string provider)
    {
        var app = await TestApp.Shared(provider);
        var owner = await FieldKit.StartAsync(app);
        var other = await FieldKit.StartAsync(app);
        var adit = await owner.AditAsync();
        var requests = owner.GenuinePatrol(adit, out var patrolId, out _);
        foreach (var request in requests) Assert.True((await SendAsync(owner.Member, request)).IsSuccessStatusCode);

        // Another member (who may check this adit) sends a check-in naming the owner's patrol: refused, nothing stored.
        var intruder = Guid.NewGuid();
        var response = await other.Member.SendAsync(other.Put($"/api/field/check-ins/{intruder}", new
        {
            patrolId, aditId = adit.Id, at = other.Now.AddMinutes(-3), lat = adit.Lat, lon = adit.Lon, accuracy = 5.0,
            answers = new { sealIntact = true },
        }));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.CheckIns().IgnoreQueryFilters().AnyAsync(c => c.Id == intruder)));

        // Sent before the parent, the check-in is stored, but the owner's patrol then refuses to take it as its child:
        // the patrol whose id another member's records already claim is not created under that id.
        var early = Guid.NewGuid();
        var futurePatrol = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await other.Member.SendAsync(other.Put($"/api/field/check-ins/{early}", new
        {
            patrolId = futurePatrol, aditId = adit.Id, at = other.Now.AddMinutes(-3), lat = adit.Lat, lon = adit.Lon, accuracy = 5.0,
            answers = new { sealIntact = true },
        }))).StatusCode);
        var late = await owner.Member.SendAsync(owner.Put($"/api/field/patrols/{futurePatrol}", new { teamId = owner.TeamId, startedAt = owner.Now.AddMinutes(-10) }));
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Track_chunks_sent_together_are_stored_once_each_judged_and_a_resend_or_a_conflict_stores_nothing_twice(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var begin = kit.Now.AddMinutes(-40);
        List<double[]> track = [.. FieldKit.Walk(adit.Lat + 0.0054, adit.Lon + 0.001, adit.Lat, adit.Lon, begin, 36, 3, 50),
            .. FieldKit.Walk(adit.Lat, adit.Lon, adit.Lat + 0.0003, adit.Lon, begin.AddMinutes(30).AddSeconds(30), 2, 4)];
        var requests = kit.GenuinePatrol(adit, out var patrolId, out var checkInId, seed: 3, start: begin, track: track);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var batch = new { chunks = new object[] { new { id = a, seq = 0, points = track.Take(20) }, new { id = b, seq = 1, points = track.Skip(20) } } };
        HttpRequestMessage Post(object body) => kit.Post($"/api/field/patrols/{patrolId}/track", body);

        // The app's order with the two chunks in one request (the check-in arrives after them, the end last).
        Assert.True((await kit.Member.SendAsync(requests[0]())).IsSuccessStatusCode);
        var first = await kit.Member.SendAsync(Post(batch));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chunks");
        Assert.Equal(["created", "created"], answer.EnumerateArray().Select(x => x.GetProperty("status").GetString()));
        var state = await kit.RunAsync(requests.Skip(3).ToList(), checkInId);
        Assert.True(state.GetProperty("verified").GetBoolean(), string.Join("；", state.GetProperty("reasons").EnumerateArray()));
        Assert.Empty(state.GetProperty("flags").EnumerateArray());

        // A resend (the answer was lost), also mixed with one chunk more: each stored once.
        var again = await kit.Member.SendAsync(Post(batch));
        Assert.Equal(["duplicate", "duplicate"], (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chunks").EnumerateArray().Select(x => x.GetProperty("status").GetString()));
        var tail = FieldKit.Walk(adit.Lat + 0.0003, adit.Lon, adit.Lat + 0.0006, adit.Lon, begin.AddMinutes(36), 3, 5);
        var more = await kit.Member.SendAsync(Post(new { chunks = new object[] { new { id = b, seq = 1, points = track.Skip(20) }, new { id = c, seq = 2, points = tail } } }));
        Assert.Equal(["duplicate", "created"], (await more.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chunks").EnumerateArray().Select(x => x.GetProperty("status").GetString()));

        // A known id with other content: 409, and the new chunk beside it is not stored either (one transaction).
        var d = Guid.NewGuid();
        var conflict = await kit.Member.SendAsync(Post(new { chunks = new object[] { new { id = d, seq = 3, points = tail }, new { id = a, seq = 0, points = track.Skip(1).Take(19) } } }));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var stored = await app.WithDbAsync(db => db.TrackChunks().IgnoreQueryFilters().Where(x => x.PatrolId == patrolId).Select(x => x.Id).ToListAsync());
        Assert.Equal(new[] { a, b, c }.Order(), stored.Order());

        // Refused: anonymous; a leader (read-only); another member's patrol, of another department or county; bad input.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().SendAsync(Post(batch))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).SendAsync(Post(batch))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-police")).SendAsync(Post(batch))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-patrol")).SendAsync(Post(batch))).StatusCode);
        var bad = await kit.Member.SendAsync(Post(new { chunks = new object[] { new { id = Guid.NewGuid(), seq = 4, points = tail }, new { id = Guid.NewGuid(), seq = 5, points = new[] { new[] { 95.0, 200.0, 5, 1 } } } } }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("第 2 段：第 1 个轨迹点不正确", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("chunks[1].points")[0].GetString());
        var empty = await kit.Member.SendAsync(Post(new { chunks = Array.Empty<object>() }));
        Assert.Equal("缺少轨迹分段", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("chunks")[0].GetString());
        Assert.Equal(3, await app.WithDbAsync(db => db.TrackChunks().IgnoreQueryFilters().CountAsync(x => x.PatrolId == patrolId)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Anonymous_wrong_jurisdiction_and_bad_input_are_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();

        var anonymous = await app.Anonymous().SendAsync(kit.Put($"/api/field/check-ins/{Guid.NewGuid()}", new { }));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/field/bundle")).StatusCode);

        // 洪江市's patrol member may not check in at 嵩县's adit, nor start a patrol for 嵩县's team.
        var hj = await app.LoginAsync("hj-patrol");
        var foreign = await hj.SendAsync(kit.Put($"/api/field/check-ins/{Guid.NewGuid()}", new
        {
            patrolId = Guid.NewGuid(), aditId = adit.Id, at = kit.Now, lat = adit.Lat, lon = adit.Lon, accuracy = 5.0,
        }));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var team = await hj.SendAsync(kit.Put($"/api/field/patrols/{Guid.NewGuid()}", new { teamId = kit.TeamId, startedAt = kit.Now }));
        Assert.Equal(HttpStatusCode.NotFound, team.StatusCode);

        // No device clock: refused, naming the header.
        var noClock = new HttpRequestMessage(HttpMethod.Put, $"/api/field/patrols/{Guid.NewGuid()}") { Content = JsonContent.Create(new { teamId = kit.TeamId, startedAt = kit.Now }) };
        var missing = await kit.Member.SendAsync(noClock);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("X-Device-Time", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("deviceTime")[0].GetString());

        var badTrack = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{Guid.NewGuid()}/track/{Guid.NewGuid()}", new { seq = 0, points = new[] { new[] { 95.0, 200.0, 5, 1 } } }));
        Assert.Equal(HttpStatusCode.BadRequest, badTrack.StatusCode);
        Assert.Contains("第 1 个轨迹点不正确", (await badTrack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("points")[0].GetString());

        var badCheckIn = await kit.Member.SendAsync(kit.Put($"/api/field/check-ins/{Guid.NewGuid()}", new { aditId = adit.Id, lat = 200.0 }));
        var errors = (await badCheckIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("纬度不正确", errors.GetProperty("lat")[0].GetString());
        Assert.Equal("缺少所属巡查", errors.GetProperty("patrolId")[0].GetString());

        // Eight bytes of a JPEG signature are not a photo (Platform/Files/Images: the image header must be readable).
        var truncated = await kit.Member.SendAsync(kit.PutPhoto(Guid.NewGuid(), Guid.NewGuid(), kit.Now, [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x45, 0x78]));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        var notAPhoto = await kit.Member.SendAsync(kit.PutPhoto(Guid.NewGuid(), Guid.NewGuid(), kit.Now, "not a photo"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, notAPhoto.StatusCode);
        Assert.Contains("JPEG", (await notAPhoto.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("photo")[0].GetString());
        // A query value that does not convert is named, not reported as an unreadable body.
        foreach (var (query, field) in new[] { ("takenAt=abc", "takenAt"), ($"checkInId=xyz&takenAt=1764000000000", "checkInId") })
        {
            var badQuery = kit.PutPhoto(Guid.NewGuid(), Guid.NewGuid(), kit.Now, [.. ExifJpeg.Plain()]);
            badQuery.RequestUri = new Uri($"/api/field/photos/{Guid.NewGuid()}?{query}", UriKind.Relative);
            var answer = await kit.Member.SendAsync(badQuery);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal($"“{field}”的格式不正确", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field)[0].GetString());
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_tampered_phone_clock_is_visible_and_the_check_in_unverified(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var requests = kit.GenuinePatrol(adit, out _, out var checkInId);
        foreach (var request in requests.Where((_, i) => i != 3)) await SendAsync(kit.Member, request);
        // The check-in is sent from a phone whose clock runs an hour behind.
        var checkIn = requests[3]();
        checkIn.Headers.Remove("X-Device-Time");
        checkIn.Headers.Add("X-Device-Time", new DateTimeOffset(kit.Now.AddHours(-1)).ToUnixTimeMilliseconds().ToString());
        Assert.Equal(HttpStatusCode.Created, (await kit.Member.SendAsync(checkIn)).StatusCode);
        var state = await kit.CheckInStateAsync(checkInId);
        Assert.False(state.GetProperty("verified").GetBoolean());
        Assert.Contains("手机时间与服务器时间相差 60 分钟，时间可能被修改", state.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_verified_broken_seal_becomes_a_breach_one_assignment_and_a_message_to_the_responsible_person(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync(responsible: "sx-resp");
        var responsible = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-resp").Select(u => u.Id).SingleAsync());
        var sealedOn = MineGuard.Platform.Time.ChinaTime.ToLocal(kit.Now).AddDays(-20).ToString("yyyy-MM-dd");
        var seal = await kit.Office.PostAsJsonAsync($"/api/adits/{adit.Id}/seal", new { on = sealedOn, method = "浆砌石", performedBy = "施工队" });
        Assert.True(seal.IsSuccessStatusCode, await seal.Content.ReadAsStringAsync());

        var requests = kit.GenuinePatrol(adit, out var patrolId, out var checkInId,
            new { sealIntact = false, freshDigging = true, spoil = true, tools = false, power = false, vehicleTracks = false, people = false, smoke = false });
        foreach (var request in requests) Assert.True((await SendAsync(kit.Member, request)).IsSuccessStatusCode);
        // Everything sent again (a phone that lost the answers) and the check-in judged again: still one assignment.
        foreach (var request in requests) Assert.True((await SendAsync(kit.Member, request)).IsSuccessStatusCode);
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<AppDbContext>().CurrentUser.ActAsSystem("test");
            await scope.ServiceProvider.GetRequiredService<PatrolEvaluator>().EvaluateAsync([patrolId], CancellationToken.None, [checkInId]);
        }

        var (state, assignments, notes, linked) = await app.WithDbAsync(async db => (
            await db.Adits().Where(a => a.Id == adit.Id).Select(a => a.State).SingleAsync(),
            await db.Set<Assignment>().Where(a => a.AditId == adit.Id).ToListAsync(),
            await db.Set<Notification>().Where(n => n.SourceType == "patrol-finding" && n.Link == $"/adits/{adit.Id}").ToListAsync(),
            await db.CheckIns().Where(c => c.Id == checkInId).Select(c => c.AssignmentId).SingleAsync()));
        Assert.Equal(SealState.Breached, state);
        var assignment = Assert.Single(assignments);
        Assert.Equal(assignment.Id, linked);
        Assert.Equal(("patrol-finding", (Guid?)checkInId), (assignment.SourceType, assignment.SourceId));
        // A check-in queued by the first app (answer format 1: 封堵是否完好 answered 否) still means a broken seal.
        Assert.Contains("封堵被破坏", assignment.Title);
        Assert.Equal(responsible, Assert.Single(notes).UserId);
        // For the adit's 包保责任人 (their person record or account), due in three days, on the clock.
        var mine = await (await app.LoginAsync("sx-resp")).GetFromJsonAsync<JsonElement[]>("/api/assignments/mine") ?? [];
        Assert.Contains(mine, a => a.GetProperty("id").GetGuid() == assignment.Id);
        var due = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime)).AddDays(PatrolEvaluator.AssignmentDays);
        Assert.Equal(due, assignment.DueOn);
        var deadline = await app.WithDbAsync(db => db.Deadlines().SingleAsync(d => d.SubjectType == Assignment.ClockSubject && d.SubjectId == assignment.Id));
        Assert.Equal(AssignmentDesk.EndOf(due), deadline.DueUtc);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_bundle_holds_the_team_its_plan_and_the_adits_of_its_area(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var plan = await kit.Office.PostAsJsonAsync("/api/patrol-plans", new { teamId = kit.TeamId, from = "2026-11-01", to = "2026-11-30" });
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);

        var bundle = await kit.Member.GetFromJsonAsync<JsonElement>("/api/field/bundle");
        var team = Assert.Single(bundle.GetProperty("teams").EnumerateArray());
        Assert.Equal(kit.TeamId, team.GetProperty("id").GetGuid());
        var items = team.GetProperty("plans")[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("aditId").GetGuid()).ToList();
        Assert.Contains(adit.Id, items);
        var adits = bundle.GetProperty("adits").EnumerateArray().ToList();
        Assert.Contains(adits, a => a.GetProperty("id").GetGuid() == adit.Id && a.GetProperty("number").GetString() == adit.Number);
        Assert.All(adits, a => Assert.Equal("陶村林场", a.GetProperty("township").GetString()));
        Assert.Equal("410325", bundle.GetProperty("countyCode").GetString());
        Assert.Equal(8, bundle.GetProperty("questions").GetArrayLength());
    }
}
