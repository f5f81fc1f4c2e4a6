using System.Text.Json;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// Faked check-ins, one per pattern, are each flagged with their pattern; genuine ones are not. All go through the
/// field app's API and the evaluator, as a phone's would.
/// </summary>
public sealed class SuspiciousPatternTests
{
    private static List<string> Flags(JsonElement state) => state.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList();

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_faked_pattern_is_flagged_and_genuine_patrols_are_not(string provider)
    {
        var app = await TestApp.Shared(provider);

        // Genuine: three patrols by one member a day apart at three adits (each uploaded within the 72 hours the
        // late-upload rule allows), and one by another member.
        var honest = await FieldKit.StartAsync(app);
        for (var day = 1; day <= 3; day++)
        {
            var adit = await honest.AditAsync();
            var state = await honest.RunAsync(honest.GenuinePatrol(adit, out _, out var id, seed: day, start: honest.Now.AddHours(-20 * day).AddHours(-2)), id);
            Assert.True(state.GetProperty("verified").GetBoolean(), string.Join("；", state.GetProperty("reasons").EnumerateArray()));
            Assert.Empty(Flags(state));
        }

        // 1. The same coordinates, to the centimetre, on two different days.
        var copier = await FieldKit.StartAsync(app);
        var spot = await copier.AditAsync();
        var fixedFix = (spot.Lat + 0.0000321, spot.Lon - 0.0000123);
        await copier.RunAsync(copier.GenuinePatrol(spot, out _, out var first, fix: fixedFix, start: copier.Now.AddDays(-3)), first);
        var repeated = await copier.RunAsync(copier.GenuinePatrol(spot, out _, out var second, fix: fixedFix, seed: 2), second);
        Assert.Contains(Flags(repeated), f => f.StartsWith("定位坐标与另外 1 次签到完全相同"));
        Assert.Contains(Flags(await copier.CheckInStateAsync(first)), f => f.StartsWith("定位坐标与另外 1 次签到完全相同"));

        // 2. A ruler-straight track.
        var drawer = await FieldKit.StartAsync(app);
        var line = await drawer.AditAsync();
        var start = drawer.Now.AddMinutes(-40);
        var straight = Enumerable.Range(0, 61).Select(i => new[]
        {
            line.Lat + 0.0054 * (1 - i / 60.0), line.Lon + 0.001 * (1 - i / 60.0), 6.0 + (i % 3), new DateTimeOffset(start.AddSeconds(30 * i + (i % 4))).ToUnixTimeMilliseconds() * 1.0,
        }).ToList();
        await drawer.RunAsync(drawer.GenuinePatrol(line, out _, out var lineId, start: start, track: straight), lineId);
        Assert.Contains(Flags(await drawer.CheckInStateAsync(lineId)), f => f.StartsWith("轨迹是一条") && f.EndsWith("疑似伪造"));

        // 3. No jitter: a simulator repeating one fix.
        var sitter = await FieldKit.StartAsync(app);
        var still = await sitter.AditAsync();
        var frozen = Enumerable.Range(0, 70).Select(i => new[] { still.Lat + 0.00001, still.Lon, 5.0, new DateTimeOffset(start.AddSeconds(30 * i)).ToUnixTimeMilliseconds() * 1.0 }).ToList();
        await sitter.RunAsync(sitter.GenuinePatrol(still, out _, out var stillId, start: start, track: frozen), stillId);
        Assert.Contains("轨迹没有任何定位抖动（每一步完全相同），疑似模拟定位", Flags(await sitter.CheckInStateAsync(stillId)));

        // 4. One photo shown at two adits.
        var reuser = await FieldKit.StartAsync(app);
        var (one, two) = (await reuser.AditAsync(), await reuser.AditAsync());
        var photo = ExifJpeg.Plain().Concat(Guid.NewGuid().ToByteArray()).ToArray();
        await reuser.RunAsync(reuser.GenuinePatrol(one, out _, out var oneId, photo: photo, start: reuser.Now.AddDays(-2)), oneId);
        await reuser.RunAsync(reuser.GenuinePatrol(two, out _, out var twoId, photo: photo, seed: 3), twoId);
        Assert.Contains(Flags(await reuser.CheckInStateAsync(twoId)), f => f.StartsWith("同一张照片也用于") && f.Contains(one.Number));
        Assert.Contains(Flags(await reuser.CheckInStateAsync(oneId)), f => f.StartsWith("同一张照片也用于") && f.Contains(two.Number));

        // 5. Two adits 5 km apart checked in 3 minutes apart (the phone's position spoofed at each).
        var hopper = await FieldKit.StartAsync(app);
        var hop = Spots.SongxianGroup((0, 0), (0.045, 0));
        var near = await hopper.AditAsync(hop[0].Lat, hop[0].Lon);
        var far = await hopper.AditAsync(hop[1].Lat, hop[1].Lon);
        var hopStart = hopper.Now.AddHours(-5);
        await hopper.RunAsync(hopper.GenuinePatrol(near, out _, out var nearId, start: hopStart), nearId);
        await hopper.RunAsync(hopper.GenuinePatrol(far, out _, out var farId, start: hopStart.AddMinutes(3), seed: 4), farId);
        Assert.Contains(Flags(await hopper.CheckInStateAsync(farId)), f => f.Contains("5.0 公里，无法到达"));

        // 6. A check-in at 23:00 from where the member lives.
        var (homeLon, homeLat) = Spots.In(112.0, 34.05, 0.05, 0.03);
        var home = (Lat: homeLat, Lon: homeLon);
        var sleeper = await FieldKit.StartAsync(app, home.Lat + 0.0005, home.Lon);
        var nextDoor = await sleeper.AditAsync(home.Lat, home.Lon);
        var night = ChinaTime.ToUtc(ChinaTime.ToLocal(sleeper.Now).Date.AddDays(-1).AddHours(22).AddMinutes(30));
        await sleeper.RunAsync(sleeper.GenuinePatrol(nextDoor, out _, out var nightId, start: night), nightId);
        Assert.Contains(Flags(await sleeper.CheckInStateAsync(nightId)), f => f.StartsWith("夜间 23:00 在巡查员住所附近签到"));
    }
}
