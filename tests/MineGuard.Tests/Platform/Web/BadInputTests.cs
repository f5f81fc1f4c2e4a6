using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Web;
using MineGuard.Tests.Features.Monitoring;
using MineGuard.Tests.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Web;

/// <summary>
/// The requests that ended in HTTP 500 (issue 10, "Bad input"), and the limits on every text input and body: each is a
/// 400 (or 413) naming the field, in Chinese, and nothing is stored.
/// </summary>
public sealed class BadInputTests
{
    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors), body);
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {body}");
        var message = messages[0].GetString()!;
        Assert.Matches("[\u4e00-\u9fff]", message);
        return message;
    }

    private static HttpRequestMessage Put(string url, string json, string deviceTime) => new(HttpMethod.Put, url)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
        Headers = { { "X-Device-Time", deviceTime } },
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Field_timestamps_out_of_range_are_400s_naming_the_header_the_points_and_the_photo_time(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var now = new DateTimeOffset(kit.Now).ToUnixTimeMilliseconds().ToString();
        var patrolId = Guid.NewGuid();
        var patrol = JsonSerializer.Serialize(new { teamId = kit.TeamId, startedAt = kit.Now });

        foreach (var header in new[] { "99999999999999999", "9223372036854775807", "253402300800000" })
        {
            var message = await ErrorAsync(await kit.Member.SendAsync(Put($"/api/field/patrols/{patrolId}", patrol, header)), "deviceTime");
            Assert.Contains("X-Device-Time", message, StringComparison.Ordinal);
        }
        foreach (var time in new[] { "1e300", "9.3e18", "-1e300", "253402300800000" })
        {
            var points = $$"""{"seq":0,"points":[[34.0,112.0,5,{{time}}]]}""";
            await ErrorAsync(await kit.Member.SendAsync(Put($"/api/field/patrols/{patrolId}/track/{Guid.NewGuid()}", points, now)), "points");
        }
        var photo = kit.PutPhoto(Guid.NewGuid(), Guid.NewGuid(), kit.Now, ExifJpeg.Create(DateTime.Now, 112, 34, 1));
        photo.RequestUri = new Uri($"/api/field/photos/{Guid.NewGuid()}?checkInId={Guid.NewGuid()}&takenAt=9223372036854775807", UriKind.Relative);
        await ErrorAsync(await kit.Member.SendAsync(photo), "takenAt");

        // Nothing of it was stored; a good request still is.
        Assert.Equal(0, await app.WithDbAsync(db => db.Patrols().IgnoreQueryFilters().CountAsync(p => p.Id == patrolId)));
        Assert.Equal(HttpStatusCode.Created, (await kit.Member.SendAsync(Put($"/api/field/patrols/{patrolId}", patrol, now))).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NaN_and_infinite_numbers_are_refused_in_JSON_query_and_form_and_nothing_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, _) = await MonitoringFixtures.IntegrationAsync(app);
        var code = $"nan-{Guid.NewGuid():N}"[..20];
        foreach (var radius in new[] { "\"NaN\"", "\"Infinity\"", "\"-Infinity\"" })
        {
            var json = $$"""{"kind":"efence-zone","code":"{{code}}","name":"围栏","apiKeyId":"{{keyId}}","divisionCode":"410325400","lon":112,"lat":34,"radiusMeters":{{radius}}}""";
            await ErrorAsync(await office.PostAsync("/api/devices", new StringContent(json, Encoding.UTF8, "application/json")), "radiusMeters");
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Devices().IgnoreQueryFilters().CountAsync(d => d.Code == code)));

        // The field app's position: NaN passed "< -90 or > 90".
        var kit = await FieldKit.StartAsync(app);
        var checkIn = $$"""{"patrolId":"{{Guid.NewGuid()}}","aditId":"{{Guid.NewGuid()}}","at":"2026-11-02T01:00:00Z","lat":"NaN","lon":112,"accuracy":5}""";
        await ErrorAsync(await kit.Member.SendAsync(Put($"/api/field/check-ins/{Guid.NewGuid()}", checkIn,
            new DateTimeOffset(kit.Now).ToUnixTimeMilliseconds().ToString())), "lat");

        // A page form: the model binder reads "NaN" as a number too.
        var token = await TestApp.AntiForgeryTokenAsync(office, "/devices");
        var form = await office.PostAsync("/devices", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Kind"] = "efence-zone", ["Input.Code"] = code, ["Input.Name"] = "围栏", ["Input.ApiKeyId"] = keyId.ToString(),
            ["Input.DivisionCode"] = "410325400", ["Input.RadiusMeters"] = "NaN", ["__RequestVerificationToken"] = token,
        }));
        await ErrorAsync(form, "Input.RadiusMeters");
        Assert.Equal(0, await app.WithDbAsync(db => db.Devices().IgnoreQueryFilters().CountAsync(d => d.Code == code)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_month_beyond_the_calendar_is_a_400_on_compliance_and_the_patrol_list(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        foreach (var url in new[] { "/api/patrols/compliance?month=9999-12", "/api/patrols/compliance.xlsx?month=9999-12", "/api/patrols?month=9999-12", "/api/patrols/compliance?month=0001-01" })
            Assert.Contains("月份", await ErrorAsync(await office.GetAsync(url), "month"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/api/patrols/compliance?month=2026-10")).StatusCode);
        var page = await office.GetAsync("/patrols?month=9999-12");
        Assert.True((int)page.StatusCode < 500, $"{page.StatusCode}");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Overlong_text_is_a_400_naming_the_field_in_the_API_and_on_pages_and_nothing_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = "超长" + Guid.NewGuid().ToString("N")[..8];
        var (lon, lat) = Spots.In(112.01, 34.0, 0.05, 0.05);
        var adit = new Dictionary<string, object?>
        {
            ["name"] = name, ["township"] = "陶村林场", ["lon"] = lon.ToString("F6"), ["lat"] = lat.ToString("F6"), ["mineral"] = "金",
            ["origin"] = "盗采点", ["description"] = new string('述', InputLimits.DefaultMaxLength + 1),
        };
        var message = await ErrorAsync(await office.PostAsJsonAsync("/api/adits", adit), "description");
        Assert.Contains($"最多 {InputLimits.DefaultMaxLength} 个字符", message, StringComparison.Ordinal);

        // 5 MB: beyond the JSON body limit, refused before it is read.
        adit["description"] = new string('a', 5 * 1024 * 1024);
        var big = new StringContent(JsonSerializer.Serialize(adit), Encoding.UTF8, "application/json");
        await ErrorAsync(await office.PostAsync("/api/adits", big), "body", HttpStatusCode.RequestEntityTooLarge);
        // The same without a declared length (chunked): cut off while reading.
        var chunked = new StringContent(JsonSerializer.Serialize(adit), Encoding.UTF8, "application/json");
        await chunked.LoadIntoBufferAsync();
        var stream = new StreamContent(await chunked.ReadAsStreamAsync());
        stream.Headers.ContentType = chunked.Headers.ContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/adits") { Content = stream };
        request.Headers.TransferEncodingChunked = true;
        var cut = await office.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, cut.StatusCode);
        Assert.Contains("上传内容过大", await cut.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A page form, too.
        var token = await TestApp.AntiForgeryTokenAsync(office, "/adits/new");
        var form = await office.PostAsync("/adits/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Township"] = "410325400", ["Input.Lon"] = lon.ToString("F6"), ["Input.Lat"] = lat.ToString("F6"),
            ["Input.Description"] = new string('述', 10_000), ["__RequestVerificationToken"] = token,
        }));
        await ErrorAsync(form, "Input.Description");
        Assert.Equal(0, await app.WithDbAsync(db => db.Adits().IgnoreQueryFilters().CountAsync(a => a.Name == name)));

        // A query string: the same default.
        await ErrorAsync(await office.GetAsync("/api/devices?kind=" + new string('x', InputLimits.DefaultMaxLength + 1)), "kind");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_ingest_batch_of_a_thousand_events_fits_the_body_limit(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, integration) = await MonitoringFixtures.IntegrationAsync(app);
        var events = Enumerable.Range(0, 1000).Select(i => MonitoringFixtures.Event(EventTypes.Heartbeat, $"unknown-device-{i:0000}",
            new { note = new string('x', 200) })).ToArray();
        var response = await integration.PostAsJsonAsync("/api/ingest/events", new { events });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task No_entity_is_saved_with_text_beyond_its_column_on_either_engine(string provider)
    {
        var app = await TestApp.Shared(provider);
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var adit = Adit.Register(new string('号', 300), new Adit.Place("410325", "410325400", null, null), 112, 34,
                new Adit.Details("测试", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, null, null), now);
            db.Add(adit);
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("最多 40 个字符", Assert.Single(e.Errors["Number"]), StringComparison.Ordinal);
    }
}
