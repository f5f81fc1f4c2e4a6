using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// The phone's own evidence (issue 15), through the field API: the device id the app keeps (one phone recording for two
/// members on one day) and the device clock every field request carries (set back for a patrol and put right before
/// the upload). Each rule with a case that fires it and a near miss that does not.
/// </summary>
public sealed class DeviceRuleTests
{
    private const string SharedPhone = "同一部手机当天为";
    private const string PutRight = "手机时间曾被";

    private static List<string> Flags(JsonElement state) => [.. state.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];

    private static List<Func<HttpRequestMessage>> OnPhone(List<Func<HttpRequestMessage>> requests, Guid? device) =>
        requests.Select(build => (Func<HttpRequestMessage>)(() =>
        {
            var request = build();
            if (device is { } id) request.Headers.Add(FieldDevice.IdHeader, id.ToString());
            return request;
        })).ToList();

    private static HttpRequestMessage Get(string url, DateTime? deviceNow, Guid? device)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (deviceNow is { } now) request.Headers.Add(FieldApi.DeviceTimeHeader, new DateTimeOffset(now).ToUnixTimeMilliseconds().ToString());
        if (device is { } id) request.Headers.Add(FieldDevice.IdHeader, id.ToString());
        return request;
    }

    private static Task<Guid> UserIdAsync(FieldKit kit) =>
        kit.App.WithDbAsync(db => db.Users.Where(u => u.UserName == kit.UserName).Select(u => u.Id).SingleAsync());

    [Theory, OnSqlite, OnPostgres]
    public async Task Two_members_on_one_phone_the_same_day_are_flagged_other_days_and_other_phones_are_not(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (first, second, third) = (await FieldKit.StartAsync(app), await FieldKit.StartAsync(app), await FieldKit.StartAsync(app));
        var (phone, other) = (Guid.NewGuid(), Guid.NewGuid());
        // 05:00 and 07:00 China time of the same day (the test clock stands at 10:00), one phone.
        var firstRun = first.GenuinePatrol(await first.AditAsync(), out var firstPatrol, out var firstCheckIn, seed: 2, start: first.Now.AddHours(-5));
        await first.RunAsync(OnPhone(firstRun, phone), firstCheckIn);
        var secondState = await second.RunAsync(OnPhone(second.GenuinePatrol(await second.AditAsync(), out _, out var secondCheckIn, seed: 3,
            start: second.Now.AddHours(-3)), phone), secondCheckIn);

        var names = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == first.UserName || u.UserName == second.UserName)
            .OrderBy(u => u.UserName == first.UserName ? 0 : 1).Select(u => u.DisplayName).ToListAsync());
        var flag = Flags(secondState).SingleOrDefault(f => f.StartsWith(SharedPhone, StringComparison.Ordinal));
        Assert.True(flag is not null, string.Join("；", Flags(secondState)));
        Assert.Contains(names[0], flag);
        Assert.Contains(names[1], flag);
        Assert.StartsWith("同一部手机当天为两名队员记录巡查：", flag);
        // The first member's check-in, judged before the second patrol arrived, is flagged as well.
        Assert.Contains(Flags(await first.CheckInStateAsync(firstCheckIn)), f => f.StartsWith(SharedPhone, StringComparison.Ordinal));

        // The same phone the day before, and another phone the same day: no flag.
        var dayBefore = await third.RunAsync(OnPhone(third.GenuinePatrol(await third.AditAsync(), out _, out var dayBeforeCheckIn, seed: 4,
            start: third.Now.AddHours(-26)), phone), dayBeforeCheckIn);
        Assert.DoesNotContain(Flags(dayBefore), f => f.StartsWith(SharedPhone, StringComparison.Ordinal));
        var otherPhone = await third.RunAsync(OnPhone(third.GenuinePatrol(await third.AditAsync(), out _, out var otherCheckIn, seed: 5,
            start: third.Now.AddHours(-4)), other), otherCheckIn);
        Assert.DoesNotContain(Flags(otherPhone), f => f.StartsWith(SharedPhone, StringComparison.Ordinal));

        // The device id is no part of the payload: a resend from another phone or from an old app is a duplicate and
        // does not change the phone the patrol was started on.
        var resend = OnPhone([firstRun[0]], other)[0]();
        Assert.Equal(HttpStatusCode.OK, (await first.Member.SendAsync(resend)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Member.SendAsync(firstRun[0]())).StatusCode);
        Assert.Equal(phone, await app.WithDbAsync(db => db.Patrols().Where(p => p.Id == firstPatrol).Select(p => p.DeviceId).SingleAsync()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_clock_set_back_for_the_patrol_and_put_right_before_the_upload_is_flagged_small_drift_is_not(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (faker, honest) = (await FieldKit.StartAsync(app), await FieldKit.StartAsync(app));
        var (fakerPhone, honestPhone) = (Guid.NewGuid(), Guid.NewGuid());
        var back = TimeSpan.FromDays(1) + TimeSpan.FromHours(3);
        var fetched = app.Clock.GetUtcNow().UtcDateTime;

        // The faker fetches the bundle with the clock set back, walks (the phone records the wrong times), puts the
        // clock right and uploads an hour later; nothing about the upload itself shows the clock.
        Assert.Equal(HttpStatusCode.OK, (await faker.Member.SendAsync(Get("/api/field/bundle", fetched - back, fakerPhone))).StatusCode);
        // The honest member's phone is a minute and a half fast all along.
        Assert.Equal(HttpStatusCode.OK, (await honest.Member.SendAsync(Get("/api/field/bundle", fetched.AddSeconds(90), honestPhone))).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await faker.Member.SendAsync(Get("/api/field/bundle", app.Clock.GetUtcNow().UtcDateTime - back, fakerPhone))).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(40));

        var fake = await faker.RunAsync(OnPhone(faker.GenuinePatrol(await faker.AditAsync(), out _, out var fakeCheckIn, seed: 6,
            start: fetched.AddMinutes(10) - back), fakerPhone), fakeCheckIn);
        var flag = Flags(fake).SingleOrDefault(f => f.StartsWith(PutRight, StringComparison.Ordinal));
        Assert.True(flag is not null, string.Join("；", Flags(fake)));
        var local = MineGuard.Platform.Time.ChinaTime.ToLocal(fetched);
        Assert.Equal($"手机时间曾被调慢 1 天 3 小时（{local.Month}月{local.Day}日 {local:HH:mm} 取任务时），上传前又调回", flag);

        // The honest phone's drift: recorded and uploaded on a clock 30–90 s fast.
        var honestRun = honest.GenuinePatrol(await honest.AditAsync(), out _, out var honestCheckIn, seed: 7, start: fetched.AddMinutes(5).AddSeconds(90));
        var drift = await honest.RunAsync(OnPhone(honestRun.Select(build => (Func<HttpRequestMessage>)(() =>
        {
            var request = build();
            request.Headers.Remove(FieldApi.DeviceTimeHeader);
            request.Headers.Add(FieldApi.DeviceTimeHeader, app.Clock.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds().ToString());
            return request;
        })).ToList(), honestPhone), honestCheckIn);
        Assert.DoesNotContain(Flags(drift), f => f.StartsWith(PutRight, StringComparison.Ordinal));

        // A clock wrong at a bundle fetch but put right before the walk (the patrol's times are the true ones): no flag.
        var honestLater = app.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(HttpStatusCode.OK, (await honest.Member.SendAsync(Get("/api/field/bundle", honestLater.AddDays(-30), honestPhone))).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await honest.Member.SendAsync(Get("/api/field/bundle", app.Clock.GetUtcNow().UtcDateTime, honestPhone))).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(45));
        var rightAgain = await honest.RunAsync(OnPhone(honest.GenuinePatrol(await honest.AditAsync(), out _, out var rightCheckIn, seed: 8,
            start: honestLater.AddMinutes(8)), honestPhone), rightCheckIn);
        Assert.DoesNotContain(Flags(rightAgain), f => f.StartsWith(PutRight, StringComparison.Ordinal));

        // A clock set back three hours at a morning fetch and put right half an hour later; then an honest patrol on the
        // right clock, uploaded four hours after it began (its start, taken forward by that old skew, falls between the
        // wrong reading and the upload): not this patrol's clock, no flag (the red team's one honest patrol flagged, seed 42).
        var other = await FieldKit.StartAsync(app);
        var otherPhone = Guid.NewGuid();
        var otherAdit = await other.AditAsync();
        var morning = app.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(HttpStatusCode.OK, (await other.Member.SendAsync(Get("/api/field/bundle", morning.AddHours(-3), otherPhone))).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.OK, (await other.Member.SendAsync(Get("/api/field/bundle", app.Clock.GetUtcNow().UtcDateTime, otherPhone))).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var walked = app.Clock.GetUtcNow().UtcDateTime;
        app.Clock.Advance(TimeSpan.FromHours(4));
        var days = await other.RunAsync(OnPhone(other.GenuinePatrol(otherAdit, out _, out var daysCheckIn, seed: 9, start: walked), otherPhone), daysCheckIn);
        Assert.DoesNotContain(Flags(days), f => f.StartsWith(PutRight, StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Clock_readings_are_stored_only_when_the_clock_moved_and_requests_without_the_headers_still_work(string provider)
    {
        // Its own app: the readings depend on the server's clock between requests, which other tests move on the shared app.
        await using var app = await TestApp.StartAsync(provider);
        var kit = await FieldKit.StartAsync(app);
        var me = await UserIdAsync(kit);
        var phone = Guid.NewGuid();
        Task<int> Readings() => kit.App.WithDbAsync(db => db.Set<DeviceClockReading>().CountAsync(r => r.UserId == me));

        // Many verdict polls and bundle fetches with the same skew: one reading.
        for (var i = 0; i < 8; i++)
        {
            var url = i % 2 == 0 ? $"/api/field/check-ins?ids={Guid.NewGuid()}" : "/api/field/bundle";
            Assert.Equal(HttpStatusCode.OK, (await kit.Member.SendAsync(Get(url, kit.Now.AddSeconds(40 + i), phone))).StatusCode);
        }

        Assert.Equal(1, await Readings());
        // A clock moved by ten minutes: a second reading; back within the step of it: none more.
        Assert.Equal(HttpStatusCode.OK, (await kit.Member.SendAsync(Get("/api/field/bundle", kit.Now.AddMinutes(10), phone))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kit.Member.SendAsync(Get("/api/field/bundle", kit.Now.AddMinutes(10).AddSeconds(50), phone))).StatusCode);
        Assert.Equal(2, await Readings());
        var stored = await kit.App.WithDbAsync(db => db.Set<DeviceClockReading>().Where(r => r.UserId == me).OrderBy(r => r.SkewSeconds).ToListAsync());
        Assert.All(stored, r => Assert.Equal(phone, r.DeviceId));
        Assert.Equal(new[] { "bundle", "states" }, stored.Select(r => r.Request).Order());

        // No headers at all (an old app's bundle fetch and poll), and a device id that is no UUID: still answered,
        // nothing recorded, the patrol stored without a phone.
        Assert.Equal(HttpStatusCode.OK, (await kit.Member.SendAsync(Get("/api/field/bundle", null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kit.Member.SendAsync(Get($"/api/field/check-ins?ids={Guid.NewGuid()}", null, null))).StatusCode);
        Assert.Equal(2, await Readings());
        var patrolId = Guid.NewGuid();
        var start = kit.Put($"/api/field/patrols/{patrolId}", new { teamId = kit.TeamId, startedAt = kit.Now.AddMinutes(-5) });
        start.Headers.Add(FieldDevice.IdHeader, "not-a-phone-id");
        Assert.Equal(HttpStatusCode.Created, (await kit.Member.SendAsync(start)).StatusCode);
        Assert.Null(await kit.App.WithDbAsync(db => db.Patrols().Where(p => p.Id == patrolId).Select(p => p.DeviceId).SingleAsync()));
        // That upload's clock (right, from no known phone) is a reading of its own.
        Assert.Equal(3, await Readings());
        var bundle = await kit.Member.GetFromJsonAsync<JsonElement>("/api/field/bundle");
        Assert.Equal(kit.UserName, bundle.GetProperty("user").GetString());
    }
}
