using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// A field request marks its patrol and the judge job judges it once the burst is over (issue 21); whatever the order a
/// day arrives in, every check-in ends as a full re-judge of the patrol (<see cref="PatrolEvaluator.EvaluateAsync"/>) would leave it.
/// </summary>
public sealed class FieldSyncOrderTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_day_synced_in_a_shuffled_order_is_judged_as_a_full_re_judge_would(string provider)
    {
        var app = await TestApp.Shared(provider);
        foreach (var seed in new[] { 11, 12 })
        {
            var kit = await FieldKit.StartAsync(app);
            var (requests, patrolId) = await DayAsync(kit, seed);
            var random = new Random(seed);
            // Seed 11 sends the patrol's start and end first (each re-judges the whole patrol at once, so coming last they
            // would hide what the other requests left unjudged), then the check-ins and photos, then the track: what each
            // late request stored must be judged by the job.
            List<Func<HttpRequestMessage>> order = seed == 11
                ? [requests[0], requests[^1], .. requests[1..9].OrderBy(_ => random.Next()), .. requests[9..^1].OrderBy(_ => random.Next())]
                : requests.OrderBy(_ => random.Next()).ToList();
            foreach (var request in order)
            {
                var response = await kit.Member.SendAsync(request());
                Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await kit.JudgeAsync();
            var synced = await JudgementsAsync(app, patrolId);
            Assert.Equal(4, synced.Count);
            // The day holds what the rules see: a fix far from its adit, a photo shown at two adits, verified ones.
            Assert.Contains(synced, j => j.Reasons?.Contains("签到定位距矿硐", StringComparison.Ordinal) == true);
            Assert.Contains(synced, j => j.Flags?.Contains("同一张照片也用于", StringComparison.Ordinal) == true);
            Assert.Contains(synced, j => j.Verified);

            using (var scope = app.Services.CreateScope())
            {
                scope.ServiceProvider.GetRequiredService<AppDbContext>().CurrentUser.ActAsSystem("test");
                await scope.ServiceProvider.GetRequiredService<PatrolEvaluator>().EvaluateAsync([patrolId], default);
            }

            Assert.Equal(await JudgementsAsync(app, patrolId), synced);
        }
    }

    private sealed record Judgement(Guid Id, bool Verified, double DistanceMetres, string? Reasons, string? Flags);

    private static Task<List<Judgement>> JudgementsAsync(TestApp app, Guid patrolId) =>
        app.WithDbAsync(db => db.CheckIns().IgnoreQueryFilters().AsNoTracking().Where(c => c.PatrolId == patrolId).OrderBy(c => c.AtUtc)
            .Select(c => new Judgement(c.Id, c.Verified, c.DistanceMetres, c.Reasons, c.Flags)).ToListAsync());

    /// <summary>
    /// A member's patrol past four adits ~550 m apart, a fix every 30 s, check-ins with one photo each (the fourth
    /// shows the first's file again; the third's fix is 2 km off), the track as the app sends it: chunks of 20 fixes,
    /// in batches of up to three and one chunk alone.
    /// </summary>
    private static async Task<(List<Func<HttpRequestMessage>> Requests, Guid PatrolId)> DayAsync(FieldKit kit, int seed)
    {
        var adits = new List<(Guid Id, string Number, double Lat, double Lon)>();
        foreach (var spot in Spots.SongxianGroup([.. Enumerable.Range(0, 4).Select(i => (0.005 * i, 0.001 * (i % 2)))]))
            adits.Add(await kit.AditAsync(spot.Lat, spot.Lon));
        var first = adits[0];
        var patrolId = Guid.NewGuid();
        var begin = kit.Now.AddHours(-3);
        var teamId = kit.TeamId;
        var requests = new List<Func<HttpRequestMessage>> { () => kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin }) };
        var track = new List<double[]>();
        var (lat, lon, at) = (first.Lat - 0.0054, first.Lon + 0.001, begin);
        byte[]? firstPhoto = null;
        for (var i = 0; i < adits.Count; i++)
        {
            var adit = adits[i];
            track.AddRange(FieldKit.Walk(lat, lon, adit.Lat, adit.Lon, at, 30, seed * 10 + i));
            var checkedAt = at.AddMinutes(15).AddSeconds(20);
            var checkInId = Guid.NewGuid();
            var fix = i == 2 ? (Lat: adit.Lat + 0.018, Lon: adit.Lon) : (Lat: adit.Lat + 0.00003 * (1 + (seed + i) % 7), Lon: adit.Lon - 0.00002 * (1 + i));
            requests.Add(() => kit.Put($"/api/field/check-ins/{checkInId}", new
            {
                patrolId, aditId = adit.Id, at = checkedAt, lat = fix.Lat, lon = fix.Lon, accuracy = 8.0,
                answers = new { sealBroken = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
                answerFormat = 2,
            }));
            var photo = i == 3 ? firstPhoto! : ExifJpeg.Create(ChinaTime.ToLocal(checkedAt), adit.Lon + 0.00002, adit.Lat - 0.00002, seed * 10 + i);
            firstPhoto ??= photo;
            var photoId = Guid.NewGuid();
            requests.Add(() => kit.PutPhoto(photoId, checkInId, checkedAt.AddSeconds(15), photo));
            (lat, lon, at) = (adit.Lat + 0.0002, adit.Lon, checkedAt.AddSeconds(10));
        }

        var chunks = track.Chunk(20).Select((points, seq) => (Id: Guid.NewGuid(), Seq: seq, Points: points)).ToList();
        requests.Add(() => kit.Put($"/api/field/patrols/{patrolId}/track/{chunks[0].Id}", new { seq = 0, points = chunks[0].Points }));
        foreach (var batch in chunks.Skip(1).Chunk(3))
        {
            var body = new { chunks = batch.Select(c => new { id = c.Id, seq = c.Seq, points = c.Points }).ToArray() };
            requests.Add(() => kit.Post($"/api/field/patrols/{patrolId}/track", body));
        }

        var end = at.AddMinutes(2);
        requests.Add(() => kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin, endedAt = end }));
        return (requests, patrolId);
    }
}
