using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The track rules of issue 15, one test each through the field API: a constructed track that fires the rule and a
/// near miss that does not (each near miss is an honest walk with only the rule's own measure moved just inside).
/// </summary>
public sealed class TrackRuleTests
{
    private sealed record Verdict(bool Verified, List<string> Reasons, List<string> Flags)
    {
        public bool Fired(string start) => Reasons.Concat(Flags).Any(r => r.StartsWith(start, StringComparison.Ordinal));

        public override string ToString() => string.Join("；", Reasons.Concat(Flags.Select(f => "[标记]" + f)));
    }

    private static Verdict Read(JsonElement state) => new(state.GetProperty("verified").GetBoolean(),
        [.. state.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)],
        [.. state.GetProperty("flags").EnumerateArray().Select(r => r.GetString()!)]);

    private static long Ms(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeMilliseconds();

    /// <summary>An honest walk: 600 m to the adit in 30 min, a check-in at 30:20, 4 minutes on.</summary>
    private static List<double[]> Honest((Guid Id, string Number, double Lat, double Lon) adit, DateTime begin, int seed) =>
    [
        .. FieldKit.Walk(adit.Lat + 0.0054, adit.Lon + 0.001, adit.Lat, adit.Lon, begin, 60, seed),
        .. FieldKit.Walk(adit.Lat, adit.Lon, adit.Lat + 0.002, adit.Lon, begin.AddMinutes(30).AddSeconds(30), 8, seed + 1),
    ];

    /// <summary>Sends a patrol as the app does (chunks, check-in at <paramref name="at"/>, a photo) and reads its verdict.</summary>
    private static async Task<Verdict> JudgeAsync(FieldKit kit, (Guid Id, string Number, double Lat, double Lon) adit, DateTime begin,
        List<double[]> track, DateTime? at = null, (double Lat, double Lon)? fix = null, List<double[]>? pauses = null, int chunk = 20,
        byte[]? photo = null)
    {
        var (patrolId, checkInId, teamId) = (Guid.NewGuid(), Guid.NewGuid(), kit.TeamId);
        var when = at ?? begin.AddMinutes(30).AddSeconds(20);
        var position = fix ?? (adit.Lat + 0.00004 + (Random.Shared.NextDouble() * 0.00001), adit.Lon - 0.00003 - (Random.Shared.NextDouble() * 0.00001));
        var requests = new List<Func<HttpRequestMessage>> { () => kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin }) };
        var left = pauses?.ToList() ?? [];
        for (var c = 0; c * chunk < track.Count; c++)
        {
            var (chunkId, seq, part) = (Guid.NewGuid(), c, track.Skip(c * chunk).Take(chunk).ToList());
            var carried = left.Where(p => p[1] <= part[^1][3]).ToList();
            left.RemoveAll(carried.Contains);
            requests.Add(() => kit.Put($"/api/field/patrols/{patrolId}/track/{chunkId}",
                carried.Count == 0 ? new { seq, points = part } : new { seq, points = part, pauses = carried }));
        }

        requests.Add(() => kit.Put($"/api/field/check-ins/{checkInId}", new
        {
            patrolId, aditId = adit.Id, at = when, lat = position.Lat, lon = position.Lon, accuracy = 7.5, answerFormat = 2,
            answers = new { sealBroken = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
        }));
        var image = photo ?? [.. ExifJpeg.Plain(), .. Guid.NewGuid().ToByteArray()];
        requests.Add(() => kit.PutPhoto(Guid.NewGuid(), checkInId, when.AddSeconds(15), image));
        var end = DateTimeOffset.FromUnixTimeMilliseconds((long)track[^1][3]).UtcDateTime.AddMinutes(1);
        requests.Add(() => kit.Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = begin, endedAt = end }));
        return Read(await kit.RunAsync(requests, checkInId));
    }

    private static async Task<(FieldKit Kit, (Guid Id, string Number, double Lat, double Lon) Adit, DateTime Begin)> SetUpAsync(string provider)
    {
        var kit = await FieldKit.StartAsync(await TestApp.Shared(provider));
        return (kit, await kit.AditAsync(), kit.Now.AddHours(-2));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_honest_walk_passes_every_rule(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var verdict = await JudgeAsync(kit, adit, begin, Honest(adit, begin, 3));
        Assert.True(verdict.Verified && verdict.Flags.Count == 0, verdict.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task White_noise_on_a_drawn_path_is_flagged_wandering_error_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var random = new Random(5);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        // The same bent path, once with independent Gaussian noise on each fix (4 m), once with the honest error model.
        // A fix every 5 s, as the app records a walk.
        List<double[]> Dense(DateTime start, int seed) =>
        [
            .. FieldKit.Walk(adit.Lat + 0.0054, adit.Lon + 0.001, adit.Lat, adit.Lon, start, 360, seed, 5),
            .. FieldKit.Walk(adit.Lat, adit.Lon, adit.Lat + 0.002, adit.Lon, start.AddMinutes(30).AddSeconds(5), 48, seed + 1, 5),
        ];
        var drawn = Dense(begin, 3).Select((p, i) => new[]
        {
            adit.Lat + 0.0054 * Math.Max(0, 1 - i / 360.0) + Math.Sin(Math.Min(i, 360) / 360.0 * 9) * 0.0003 + Gauss() * 4 / 111_320,
            adit.Lon + 0.001 * Math.Max(0, 1 - i / 360.0) + Gauss() * 4 / 93_000, p[2], p[3],
        }).ToList();
        var white = await JudgeAsync(kit, adit, begin, drawn);
        Assert.True(white.Fired("轨迹的定位误差是白噪声"), white.ToString());
        var later = begin.AddMinutes(-200);
        var wander = await JudgeAsync(kit, adit, later, Dense(later, 11));
        Assert.False(wander.Fired("轨迹的定位误差是白噪声"), wander.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Straight_legs_at_a_constant_pace_are_flagged_a_varying_pace_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        List<double[]> Legs(bool steady)
        {
            // Two legs (north-east, then north) at 1.2 m/s, a fix every 30 s with a wandering error of 2 m.
            var points = new List<double[]>();
            var (eLat, eLon) = (0.0, 0.0);
            var random = new Random(9);
            for (var i = 0; i <= 68; i++)
            {
                var pace = steady ? 1.0 : 1 + 0.35 * Math.Sin(i / 3.0);
                var d = Math.Min(i, 60) * 36.0 * pace;
                var (north, east) = i <= 30 ? (d * 0.7, d * 0.7) : (30 * 36 * 0.7 + (d - 30 * 36), 30 * 36 * 0.7);
                (eLat, eLon) = (0.8 * eLat + (random.NextDouble() - 0.5) * 1.5, 0.8 * eLon + (random.NextDouble() - 0.5) * 1.5);
                points.Add([adit.Lat - 0.0162 + (north + eLat) / 111_320, adit.Lon - 0.0093 + (east + eLon) / 93_000, 5 + random.NextDouble() * 4,
                    Ms(begin.AddSeconds(30 * i)) + random.Next(1, 500)]);
            }

            return points;
        }

        var steady = await JudgeAsync(kit, adit, begin, Legs(true), fix: (adit.Lat, adit.Lon + 0.00005));
        Assert.True(steady.Fired("轨迹由匀速直线段组成"), steady.ToString());
        var (_, adit2, _) = await SetUpAsync(provider);
        Assert.False((await JudgeAsync(kit, adit2, begin.AddMinutes(-200), Honest(adit2, begin.AddMinutes(-200), 4))).Fired("轨迹由匀速直线段组成"));
        Assert.False((await JudgeAsync(kit, adit, begin.AddMinutes(-400), Legs(false), fix: (adit.Lat, adit.Lon + 0.00005))).Fired("轨迹由匀速直线段组成"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Fixes_at_exactly_regular_intervals_are_flagged_jittered_ones_are_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var regular = Honest(adit, begin, 3).Select((p, i) => new[] { p[0], p[1], p[2], Ms(begin) + 30_000.0 * i }).ToList();
        Assert.True((await JudgeAsync(kit, adit, begin, regular)).Fired("轨迹点的时间间隔完全相同"));
        var later = begin.AddMinutes(-200);
        // Near miss: the same, but every third interval 7 ms longer (a phone's callback jitter).
        var jittered = Honest(adit, later, 3).Select((p, i) => new[] { p[0], p[1], p[2], Ms(later) + 30_000.0 * i + (i / 3 * 7) + (i % 2) }).ToList();
        var verdict = await JudgeAsync(kit, adit, later, jittered);
        Assert.False(verdict.Fired("轨迹点的时间间隔完全相同") || verdict.Fired("轨迹点的时间都是整秒"), verdict.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Coordinates_on_a_coarse_grid_are_flagged_fine_ones_are_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        List<double[]> Snapped(double grid, DateTime start) => Honest(adit, start, 3)
            .Select(p => new[] { Math.Round(p[0] / grid) * grid, Math.Round(p[1] / grid) * grid, p[2], p[3] }).ToList();
        Assert.True((await JudgeAsync(kit, adit, begin, Snapped(1e-5, begin))).Fired("轨迹坐标落在 0.00001°"));
        // Near miss: six decimals (0.1 m), as precise as many phones' fixes print.
        var later = begin.AddMinutes(-200);
        Assert.False((await JudgeAsync(kit, adit, later, Snapped(1e-6, later))).Fired("轨迹坐标落在"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Constant_or_impossible_accuracy_is_flagged_varying_accuracy_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var constant = Honest(adit, begin, 3).Select(p => new[] { p[0], p[1], 5.0, p[3] }).ToList();
        Assert.True((await JudgeAsync(kit, adit, begin, constant)).Fired("每个轨迹点报告的定位精度都是 5 米"));
        var later = begin.AddMinutes(-200);
        var subMetre = Honest(adit, later, 3).Select((p, i) => new[] { p[0], p[1], 0.5 + (i % 7) * 0.2, p[3] }).ToList();
        Assert.True((await JudgeAsync(kit, adit, later, subMetre)).Fired("轨迹报告的定位精度中位数"));
        // Near miss: most fixes say 5 m, one in six another value.
        var earlier = begin.AddMinutes(-400);
        var mostly = Honest(adit, earlier, 3).Select((p, i) => new[] { p[0], p[1], i % 6 == 0 ? 8.0 : 5.0, p[3] }).ToList();
        var verdict = await JudgeAsync(kit, adit, earlier, mostly);
        Assert.False(verdict.Fired("每个轨迹点报告") || verdict.Fired("轨迹报告的定位精度中位数"), verdict.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_jump_hidden_by_huge_accuracy_is_refused_a_network_fix_that_comes_back_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        // Walked 3 km away, then two fixes of ±2 km accuracy carry the phone to the adit within a minute.
        var away = FieldKit.Walk(adit.Lat + 0.027, adit.Lon + 0.001, adit.Lat + 0.028, adit.Lon + 0.003, begin, 58, 21);
        var jumped = new List<double[]>(away)
        {
            new[] { adit.Lat + 0.018, adit.Lon + 0.001, 2000.0, away[^1][3] + 20_000 },
            new[] { adit.Lat + 0.009, adit.Lon, 1800.0, away[^1][3] + 40_000 },
        };
        jumped.AddRange(FieldKit.Walk(adit.Lat + 0.0001, adit.Lon, adit.Lat + 0.002, adit.Lon, DateTimeOffset.FromUnixTimeMilliseconds((long)away[^1][3] + 60_000).UtcDateTime, 10, 22));
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)jumped[^9][3]).UtcDateTime.AddSeconds(5);
        var verdict = await JudgeAsync(kit, adit, begin, jumped, at);
        Assert.False(verdict.Verified);
        Assert.True(verdict.Fired("轨迹在") && verdict.Reasons.Any(r => r.Contains("用精度掩盖跳跃")), verdict.ToString());

        // Near miss: one network fall-back fix 600 m off (±1.2 km) on an honest walk, then the walk goes on.
        var later = begin.AddMinutes(-200);
        var honest = Honest(adit, later, 3);
        honest[20] = [honest[20][0] + 0.0054, honest[20][1], 1200.0, honest[20][3]];
        var near = await JudgeAsync(kit, adit, later, honest);
        Assert.True(near.Verified, near.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Too_far_in_five_minutes_is_flagged_a_ride_at_road_speed_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        List<double[]> Ride(double metresPerFix, DateTime start)
        {
            // Ten fixes 30 s apart along a road (no pair is a teleport), then the honest walk to the adit.
            var ride = Enumerable.Range(0, 11).Select(i => new[]
            {
                adit.Lat + 0.0054 + ((10 - i) * metresPerFix / 111_320), adit.Lon + 0.001 + (i % 2 * 0.00002), 6.0 + (i % 3),
                Ms(start.AddSeconds(-330 + (30 * i))) + 17.0 * i,
            }).ToList();
            return [.. ride, .. Honest(adit, start, 3)];
        }

        // 750 m every 30 s = 90 km/h for five minutes (the hop rule allows 60); pairwise below the 120 km/h teleport.
        var fast = await JudgeAsync(kit, adit, begin, Ride(750, begin));
        Assert.True(fast.Fired("轨迹在") && fast.Flags.Any(f => f.Contains("分钟内移动")), fast.ToString());
        // Near miss: 450 m every 30 s = 54 km/h.
        var later = begin.AddMinutes(-200);
        var road = await JudgeAsync(kit, adit, later, Ride(450, later));
        Assert.DoesNotContain(road.Flags, f => f.Contains("分钟内移动"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_track_that_starts_at_the_adit_is_refused_one_that_comes_from_300_metres_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        List<double[]> From(double metresNorth, DateTime start) =>
        [
            .. FieldKit.Walk(adit.Lat + (metresNorth / 111_320), adit.Lon, adit.Lat, adit.Lon, start, 60, 31),
            .. FieldKit.Walk(adit.Lat, adit.Lon, adit.Lat + 0.002, adit.Lon, start.AddMinutes(30).AddSeconds(30), 8, 32),
        ];
        var verdict = await JudgeAsync(kit, adit, begin, From(60, begin));
        Assert.False(verdict.Verified);
        Assert.True(verdict.Fired("签到前的轨迹始终在矿硐"), verdict.ToString());
        var later = begin.AddMinutes(-200);
        var near = await JudgeAsync(kit, adit, later, From(300, later));
        Assert.False(near.Fired("签到前的轨迹始终在矿硐"), near.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_fix_equal_to_the_registered_coordinate_is_flagged_half_a_metre_off_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        Assert.True((await JudgeAsync(kit, adit, begin, Honest(adit, begin, 3), fix: (adit.Lat, adit.Lon))).Fired("签到定位与矿硐登记坐标完全相同"));
        var later = begin.AddMinutes(-200);
        Assert.False((await JudgeAsync(kit, adit, later, Honest(adit, later, 4), fix: (adit.Lat + 0.0000045, adit.Lon))).Fired("签到定位与矿硐登记坐标完全相同"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_declared_pause_that_resumes_where_it_stopped_is_no_gap(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        // A 45-minute lunch after 20 fixes of the approach, declared with the pause button, resumed at the same spot.
        List<double[]> WithLunch(DateTime start, double moveNorth)
        {
            var honest = Honest(adit, start, 3);
            return honest.Select((p, i) => i < 20 ? p : new[] { p[0] + (i == 20 ? moveNorth / 111_320 : 0), p[1], p[2], p[3] + 45 * 60_000 }).ToList();
        }

        var track = WithLunch(begin.AddMinutes(-45), 0);
        var pause = new[] { track[19][3] + 2000, track[20][3] - 3000 };
        var at = begin.AddMinutes(-45).AddMinutes(75).AddSeconds(20);
        var paused = await JudgeAsync(kit, adit, begin.AddMinutes(-45), track, at, pauses: [pause]);
        Assert.True(paused.Verified, paused.ToString());

        // The same gap without the declaration is a lost track; declared but resumed 400 m away it is a reason too.
        var later = begin.AddMinutes(-300);
        var lost = await JudgeAsync(kit, adit, later, WithLunch(later, 0), later.AddMinutes(75).AddSeconds(20));
        Assert.True(lost.Fired("轨迹在") && lost.Reasons.Any(r => r.Contains("后中断")), lost.ToString());
        var earlier = begin.AddMinutes(-500);
        var moved = WithLunch(earlier, 400);
        var far = await JudgeAsync(kit, adit, earlier, moved, earlier.AddMinutes(75).AddSeconds(20), pauses: [[moved[19][3] + 2000, moved[20][3] - 3000]]);
        Assert.True(far.Fired("巡查在"), far.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Signal_lost_for_18_minutes_on_the_way_is_no_gap_26_minutes_of_silence_is(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        List<double[]> Lost(DateTime start, int seed, int from, int to) => [.. Honest(adit, start, seed).Where((_, i) => i < from || i >= to)];

        // Fixes 20 to 54 of the approach lost (9:30 to 27:30, 18 minutes): the walk resumes 360 m on, three minutes
        // before the check-in.
        var lost = await JudgeAsync(kit, adit, begin, Lost(begin, 5, 20, 55));
        Assert.True(lost.Verified && lost.Flags.Count == 0, lost.ToString());
        var later = begin.AddMinutes(-200);
        var silent = await JudgeAsync(kit, adit, later, Lost(later, 7, 5, 56));
        Assert.True(silent.Reasons.Any(r => r.Contains("后中断 26 分钟")), silent.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_track_copied_to_another_member_is_flagged_two_phones_walking_apart_are_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var other = await FieldKit.StartAsync(kit.App);
        var track = Honest(adit, begin, 3);
        Assert.True((await JudgeAsync(kit, adit, begin, track)).Verified);
        var copy = track.Select(p => new[] { p[0] + 0.000003, p[1], p[2], p[3] + 800 }).ToList();
        var copied = await JudgeAsync(other, adit, begin, copy, begin.AddMinutes(30).AddSeconds(50));
        Assert.True(copied.Fired("轨迹与巡查员"), copied.ToString());
        // Near miss: the other member's own phone on the same path at the same time (its own error, 3 m apart).
        var third = await FieldKit.StartAsync(kit.App);
        var own = Honest(adit, begin, 77).Select(p => new[] { p[0] + 0.000027, p[1], p[2], p[3] + 1300 }).ToList();
        var together = await JudgeAsync(third, adit, begin, own, begin.AddMinutes(30).AddSeconds(55));
        Assert.False(together.Fired("轨迹与巡查员"), together.ToString());
    }

    /// <summary>
    /// On a busy day many members walk the same hours: the copy is still compared with the track it copies, which
    /// checked in at the same adit, however many other patrols' chunks of those hours come first by time.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task A_copy_is_flagged_on_a_busy_day_when_forty_other_patrols_walk_the_same_hours(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var track = Honest(adit, begin, 9);
        Assert.True((await JudgeAsync(kit, adit, begin, track)).Verified);
        // Forty patrols of another member elsewhere, each a chunk that ends in the first minutes of the walk: before the
        // original's first chunk (which ends ten minutes in) in the order of the time index.
        var busy = await FieldKit.StartAsync(kit.App);
        var elsewhere = await busy.AditAsync();
        for (var i = 0; i < 40; i++)
        {
            var patrolId = Guid.NewGuid();
            var from = begin.AddSeconds(5 + i);
            var fixes = FieldKit.Walk(elsewhere.Lat, elsewhere.Lon, elsewhere.Lat + 0.0005, elsewhere.Lon, from, 3, 100 + i);
            await busy.SendAllAsync(
            [
                busy.Put($"/api/field/patrols/{patrolId}", new { teamId = busy.TeamId, startedAt = from }),
                busy.Put($"/api/field/patrols/{patrolId}/track/{Guid.NewGuid()}", new { seq = 0, points = fixes.Take(2).ToList() }),
            ]);
        }

        var other = await FieldKit.StartAsync(kit.App);
        var copy = track.Select(p => new[] { p[0] + 0.000003, p[1], p[2], p[3] + 800 }).ToList();
        var copied = await JudgeAsync(other, adit, begin, copy, begin.AddMinutes(30).AddSeconds(50));
        Assert.True(copied.Fired("轨迹与巡查员"), copied.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_earlier_patrol_replayed_with_new_times_is_flagged_a_fresh_walk_of_the_route_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var first = begin.AddDays(-1);
        var track = Honest(adit, first, 3);
        Assert.True((await JudgeAsync(kit, adit, first, track)).Verified);
        var replay = track.Select(p => new[] { p[0], p[1], p[2], p[3] + 86_400_000 }).ToList();
        Assert.True((await JudgeAsync(kit, adit, begin, replay)).Fired("轨迹与"));
        var fresh = await JudgeAsync(kit, adit, begin.AddHours(-6), Honest(adit, begin.AddHours(-6), 41));
        Assert.False(fresh.Fired("轨迹与"), fresh.ToString());
    }

    /// <summary>
    /// An adit checked on many days: the replay of yesterday's track is compared with yesterday's, not only with whichever
    /// 20 earlier patrols at the adit the database returns first (on SQLite the oldest).
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task A_replay_of_yesterdays_track_is_flagged_when_the_adit_was_checked_on_twenty_five_earlier_days(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        for (var day = 2; day <= 26; day++)
        {
            var (patrolId, at) = (Guid.NewGuid(), begin.AddDays(-day));
            await kit.SendAllAsync(
            [
                kit.Put($"/api/field/patrols/{patrolId}", new { teamId = kit.TeamId, startedAt = at }),
                kit.Put($"/api/field/check-ins/{Guid.NewGuid()}", new
                {
                    patrolId, aditId = adit.Id, at = at.AddMinutes(30), lat = adit.Lat + 0.00004, lon = adit.Lon, accuracy = 8.0, answerFormat = 2,
                    answers = new { sealBroken = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
                }),
            ]);
        }

        var yesterday = begin.AddDays(-1);
        var track = Honest(adit, yesterday, 12);
        Assert.True((await JudgeAsync(kit, adit, yesterday, track)).Verified);
        var replay = track.Select(p => new[] { p[0], p[1], p[2], p[3] + 86_400_000 }).ToList();
        var replayed = await JudgeAsync(kit, adit, begin, replay);
        Assert.True(replayed.Fired("轨迹与"), replayed.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_track_in_one_large_chunk_is_flagged_the_apps_chunks_are_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        Assert.True((await JudgeAsync(kit, adit, begin, Honest(adit, begin, 3), chunk: 69)).Fired("一段轨迹有 69 个点"));
        var later = begin.AddMinutes(-200);
        Assert.False((await JudgeAsync(kit, adit, later, Honest(adit, later, 3), chunk: 20)).Fired("一段轨迹有"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_patrol_first_uploaded_four_days_later_is_flagged_two_days_later_is_not(string provider)
    {
        var (kit, adit, _) = await SetUpAsync(provider);
        var old = kit.Now.AddDays(-4);
        var late = await JudgeAsync(kit, adit, old, Honest(adit, old, 3));
        Assert.Contains(late.Flags, f => f.StartsWith("签到 4.0 天后巡查数据才首次上传"));
        var recent = kit.Now.AddDays(-2);
        var onTime = await JudgeAsync(kit, adit, recent, Honest(adit, recent, 4));
        Assert.DoesNotContain(onTime.Flags, f => f.Contains("天后巡查数据才首次上传"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_far_camera_position_is_a_flag_when_fix_and_track_agree_and_a_coarse_one_passes(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var local = ChinaTime.ToLocal(begin.AddMinutes(30).AddSeconds(40));
        var far = await JudgeAsync(kit, adit, begin, Honest(adit, begin, 3), photo: ExifJpeg.Create(local, adit.Lon, adit.Lat + 0.03, 1));
        Assert.True(far.Verified, far.ToString());
        Assert.Contains(far.Flags, f => f.StartsWith("第 1 张照片自带的位置距矿硐") && f.Contains("签到定位和轨迹都在矿硐"));
        var later = begin.AddMinutes(-200);
        var coarse = await JudgeAsync(kit, adit, later, Honest(adit, later, 3),
            photo: ExifJpeg.Create(ChinaTime.ToLocal(later.AddMinutes(30).AddSeconds(40)), adit.Lon, adit.Lat + 0.008, 2));
        Assert.True(coarse.Verified && coarse.Flags.Count == 0, coarse.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_night_check_in_within_the_home_radius_is_flagged_not_refused_and_beyond_it_is_not_flagged(string provider)
    {
        var app = await TestApp.Shared(provider);
        async Task<Verdict> NightAsync(double homeMetresNorth)
        {
            var (lon, lat) = Spots.Songxian();
            var kit = await FieldKit.StartAsync(app, lat + (homeMetresNorth / 111_320), lon);
            var adit = await kit.AditAsync(lat, lon);
            var begin = ChinaTime.ToUtc(ChinaTime.ToLocal(kit.Now).Date.AddDays(-1).AddHours(22).AddMinutes(30));
            return await JudgeAsync(kit, adit, begin, Honest(adit, begin, 5));
        }

        // 1.5 km from home: outside the old fixed 500 m, inside the 2 km default radius.
        var near = await NightAsync(1500);
        Assert.True(near.Verified, near.ToString());
        Assert.Contains(near.Flags, f => f.StartsWith("夜间 23:00 在巡查员住所附近签到"));
        var beyond = await NightAsync(2600);
        Assert.DoesNotContain(beyond.Flags, f => f.StartsWith("夜间"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Resends_of_chunks_stored_before_pauses_existed_are_duplicates_and_pauses_are_part_of_the_hash(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var (patrolId, oldChunk, newChunk) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var points = Honest(adit, begin, 3).Take(20).ToList();
        // A chunk stored by the server before this change: its hash as that server computed it.
        var userId = await kit.App.WithDbAsync(db => db.Users.Where(u => u.UserName == kit.UserName).Select(u => u.Id).SingleAsync());
        var before = TrackCodec.Encode(FieldSync.Points([.. points]));
        await kit.App.WithDbAsync(async db =>
        {
            db.TrackChunks().Add(TrackChunk.Create(oldChunk, patrolId, userId, "410325400", 0, FieldSync.Points([.. points]), kit.Now));
            await db.SaveChangesAsync();
            var stored = await db.TrackChunks().SingleAsync(c => c.Id == oldChunk);
            Assert.Equal(SyncHash.Of($"{patrolId}|0|", before), stored.PayloadHash);
            return 0;
        });
        var resent = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}/track/{oldChunk}", new { seq = 0, points }));
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        var withEmpty = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}/track/{oldChunk}", new { seq = 0, points, pauses = Array.Empty<double[]>() }));
        Assert.Equal(HttpStatusCode.OK, withEmpty.StatusCode);

        var pause = new[] { points[^1][3] + 1000, points[^1][3] + 600_000 };
        Assert.Equal(HttpStatusCode.Created, (await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}/track/{newChunk}", new { seq = 1, points = Array.Empty<double[]>(), pauses = new[] { pause } }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}/track/{newChunk}", new { seq = 1, points = Array.Empty<double[]>(), pauses = new[] { pause } }))).StatusCode);
        var other = new[] { pause[0], pause[1] + 1000 };
        Assert.Equal(HttpStatusCode.Conflict, (await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}/track/{newChunk}", new { seq = 1, points = Array.Empty<double[]>(), pauses = new[] { other } }))).StatusCode);

        // Bad input names the field.
        var bad = await kit.Member.SendAsync(kit.Put($"/api/field/patrols/{patrolId}/track/{Guid.NewGuid()}", new { seq = 2, points = Array.Empty<double[]>(), pauses = new[] { new[] { pause[1], pause[0] } } }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("pauses", await bad.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// 重放: a patrol whose track is an earlier patrol's track at the same adit, sent again a day later, is flagged; the
    /// same walk really walked again (the same seed's path, a fresh error of metres) is not.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task A_track_replayed_from_an_earlier_patrol_is_flagged_a_walk_repeated_is_not(string provider)
    {
        var (kit, adit, begin) = await SetUpAsync(provider);
        var earlier = begin.AddHours(-26);
        var first = Honest(adit, earlier, 3);
        Assert.False((await JudgeAsync(kit, adit, earlier, first)).Fired("轨迹与"));

        var shift = (begin - earlier).TotalMilliseconds;
        var replayed = await JudgeAsync(kit, adit, begin, [.. first.Select(p => new[] { p[0], p[1], p[2], p[3] + shift })]);
        Assert.True(replayed.Flags.Any(f => f.Contains("疑似重放", StringComparison.Ordinal)), replayed.ToString());

        var again = begin.AddHours(1);
        var walked = await JudgeAsync(kit, adit, again, Honest(adit, again, 17));
        Assert.False(walked.Flags.Any(f => f.Contains("疑似重放", StringComparison.Ordinal)), walked.ToString());
    }
}
