using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Demo;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>A patrol member of their own (so tests never see each other's check-ins), their team, adits and a phone.</summary>
public sealed class FieldKit
{
    private FieldKit(TestApp app, HttpClient office, HttpClient member, Guid teamId, string userName)
    {
        App = app;
        Office = office;
        Member = member;
        TeamId = teamId;
        UserName = userName;
    }

    public TestApp App { get; }
    public HttpClient Office { get; }
    public HttpClient Member { get; }
    public Guid TeamId { get; }
    public string UserName { get; }

    public DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    public static async Task<FieldKit> StartAsync(TestApp app, double? homeLat = null, double? homeLon = null, string kind = "林场巡查队")
    {
        var admin = await app.LoginAsync("sx-admin");
        var name = "fp" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "巡查员" + name[2..6], password = DemoData.Password, divisionCode = "410325400",
            departmentCode = "forestry", roles = new[] { "patrol" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var office = await app.LoginAsync("sx-office");
        var team = await office.PostAsJsonAsync("/api/patrol-teams", new
        {
            name = "测试队" + name, kind, divisionCode = "410325400", areas = new[] { "410325400" },
            members = new[] { new { user = name, homeLat, homeLon } },
        });
        Assert.True(team.StatusCode == HttpStatusCode.Created, await team.Content.ReadAsStringAsync());
        var teamId = (await team.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new FieldKit(app, office, await app.LoginAsync(name), teamId, name);
    }

    /// <summary>A new adit at a random spot of 陶村林场 (each test its own, so the 20 m rule never bites).</summary>
    public async Task<(Guid Id, string Number, double Lat, double Lon)> AditAsync(double? lat = null, double? lon = null, string? responsible = null)
    {
        var random = lat is null || lon is null;
        HttpResponseMessage response;
        for (var attempt = 0; ; attempt++)
        {
            var at = random ? Spots.Songxian() : (Lon: lon!.Value, Lat: lat!.Value);
            response = await Office.PostAsJsonAsync("/api/adits", new
            {
                name = "巡查测试硐", township = "陶村林场", lon = at.Lon.ToString("F7"), lat = at.Lat.ToString("F7"), mineral = "金", origin = "盗采点", responsible,
            });
            // A random spot can still fall within 20 m of an adit some other test placed by hand (the ledger's
            // duplicate rule, not what these tests are about): take another spot.
            if (!random || attempt == 4 || response.StatusCode != HttpStatusCode.BadRequest
                || !(await response.Content.ReadAsStringAsync()).Contains("confirmNearby", StringComparison.Ordinal)) break;
        }
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var adit = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adit");
        return (adit.GetProperty("id").GetGuid(), adit.GetProperty("number").GetString()!, adit.GetProperty("lat").GetDouble(), adit.GetProperty("lon").GetDouble());
    }

    /// <summary>
    /// A walk from a point some metres away to the target as a phone records it: a fix about every 30 s (stamped by the
    /// phone's clock, to the ms), GPS error of a few metres that wanders slowly (first-order autoregressive) plus a
    /// little white noise, and an accuracy that varies.
    /// </summary>
    public static List<double[]> Walk(double fromLat, double fromLon, double toLat, double toLon, DateTime start, int steps, int seed,
        double stepSeconds = 30)
    {
        var random = new Random(seed);
        var points = new List<double[]>();
        var (eLat, eLon) = (0.0, 0.0);
        double Metres() => (random.NextDouble() - 0.5) * 2 / 111_000;
        // The error's correlation time is about a minute; about 2.5 m of it stays between fixes.
        var phi = Math.Exp(-stepSeconds / 60);
        var drive = 4.3 * Math.Sqrt(1 - (phi * phi));
        for (var i = 0; i <= steps; i++)
        {
            // A pace that varies along the way.
            var f = i == 0 || i == steps ? (double)i / steps : (i + (0.3 * Math.Sin(i * 1.1))) / steps;
            (eLat, eLon) = ((phi * eLat) + (drive * Metres()), (phi * eLon) + (drive * Metres()));
            points.Add([fromLat + (toLat - fromLat) * f + eLat + (0.3 * Metres()) + Math.Sin(f * 9) * 0.0003, fromLon + (toLon - fromLon) * f + eLon + (0.3 * Metres()),
                Math.Round(5 + random.NextDouble() * 7, 1), new DateTimeOffset(start.AddSeconds(stepSeconds * i)).ToUnixTimeMilliseconds() + random.Next(1, 400)]);
        }

        return points;
    }

    public HttpRequestMessage Put(string url, object body, DateTime? deviceNow = null) => Send(HttpMethod.Put, url, body, deviceNow);

    public HttpRequestMessage Post(string url, object body, DateTime? deviceNow = null) => Send(HttpMethod.Post, url, body, deviceNow);

    /// <summary>A request as the field app sends it: JSON with the phone's clock in X-Device-Time.</summary>
    private HttpRequestMessage Send(HttpMethod method, string url, object body, DateTime? deviceNow)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Device-Time", new DateTimeOffset(deviceNow ?? Now).ToUnixTimeMilliseconds().ToString());
        return request;
    }

    /// <summary>
    /// A batch as the app sends its queue (POST /api/field/sync): the JSON part "batch", then each photo's bytes named by
    /// its id.
    /// </summary>
    public HttpRequestMessage PostBatch(object batch, params (Guid Id, byte[] Bytes)[] photos)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(batch, JsonSerializerOptions.Web)), "batch" } };
        foreach (var (id, bytes) in photos)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, id.ToString(), "photo");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/field/sync") { Content = form };
        request.Headers.Add("X-Device-Time", new DateTimeOffset(Now).ToUnixTimeMilliseconds().ToString());
        return request;
    }

    public HttpRequestMessage PutPhoto(Guid photoId, Guid checkInId, DateTime takenUtc, byte[] jpeg)
    {
        var request = new HttpRequestMessage(HttpMethod.Put,
            $"/api/field/photos/{photoId}?checkInId={checkInId}&takenAt={new DateTimeOffset(takenUtc).ToUnixTimeMilliseconds()}")
        {
            Content = new ByteArrayContent(jpeg),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        request.Headers.Add("X-Device-Time", new DateTimeOffset(Now).ToUnixTimeMilliseconds().ToString());
        return request;
    }

    /// <summary>
    /// Every request of a patrol that walks 600 m to the adit and checks in there with a photo — genuine unless the
    /// caller swaps in a faked track, fix or photo.
    /// </summary>
    public List<Func<HttpRequestMessage>> GenuinePatrol((Guid Id, string Number, double Lat, double Lon) adit, out Guid patrolId,
        out Guid checkInId, object? answers = null, int seed = 1, DateTime? start = null, List<double[]>? track = null,
        (double Lat, double Lon)? fix = null, byte[]? photo = null, int? answerFormat = null)
    {
        var (pid, cid) = (Guid.NewGuid(), Guid.NewGuid());
        (patrolId, checkInId) = (pid, cid);
        var begin = start ?? Now.AddMinutes(-40);
        var at = begin.AddMinutes(30).AddSeconds(20);
        var end = begin.AddMinutes(35);
        // 40 fixes (a fix every 50 s on the way, 30 s after): the app's two chunks of 20.
        track ??= [.. Walk(adit.Lat + 0.0054, adit.Lon + 0.001, adit.Lat, adit.Lon, begin, 36, seed, 50),
            .. Walk(adit.Lat, adit.Lon, adit.Lat + 0.0003, adit.Lon, begin.AddMinutes(30).AddSeconds(30), 2, seed + 1)];
        var position = fix ?? (adit.Lat + 0.00003 * (1 + seed % 7), adit.Lon - 0.00002 * (1 + seed % 5));
        photo ??= ExifJpeg.Create(MineGuard.Platform.Time.ChinaTime.ToLocal(at), adit.Lon + 0.00002, adit.Lat - 0.00002, Random.Shared.Next());
        var (chunk1, chunk2, photoId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var teamId = TeamId;
        var points = track;
        var image = photo;
        return
        [
            () => Put($"/api/field/patrols/{pid}", new { teamId, startedAt = begin }),
            () => Put($"/api/field/patrols/{pid}/track/{chunk1}", new { seq = 0, points = points.Take(20) }),
            () => Put($"/api/field/patrols/{pid}/track/{chunk2}", new { seq = 1, points = points.Skip(20) }),
            () => Put($"/api/field/check-ins/{cid}", new
            {
                patrolId = pid, aditId = adit.Id, at, lat = position.Lat, lon = position.Lon, accuracy = 8.0,
                answers = answers ?? new { sealIntact = true, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
                answerFormat,
            }),
            () => PutPhoto(photoId, cid, at.AddSeconds(15), image),
            () => Put($"/api/field/patrols/{pid}", new { teamId, startedAt = begin, endedAt = end }),
        ];
    }

    public async Task<JsonElement> RunAsync(List<Func<HttpRequestMessage>> requests, Guid checkInId)
    {
        await SendAllAsync(requests.Select(r => r()));
        return await CheckInStateAsync(checkInId);
    }

    /// <summary>Sends the requests in order as the member; each must succeed.</summary>
    public async Task SendAllAsync(IEnumerable<HttpRequestMessage> requests)
    {
        foreach (var request in requests)
        {
            var response = await Member.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// What the judge job does seconds after the phone's last request (<see cref="MineGuard.Features.Patrols.PatrolJudgeJob"/>),
    /// now: the test clock does not move by itself.
    /// </summary>
    public Task JudgeAsync() => JudgeAsync(App);

    public static Task JudgeAsync(TestApp app) =>
        app.Services.GetRequiredService<MineGuard.Features.Patrols.PatrolJudgeJob>().JudgeAllMarkedAsync(default);

    /// <summary>The check-in's state as the app polls it, once the requests sent so far are judged.</summary>
    public async Task<JsonElement> CheckInStateAsync(Guid checkInId)
    {
        await JudgeAsync();
        var states = await Member.GetFromJsonAsync<JsonElement>($"/api/field/check-ins?ids={checkInId}");
        return states.EnumerateArray().Single();
    }
}
