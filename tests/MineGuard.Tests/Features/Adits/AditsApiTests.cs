using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Adits;

/// <summary>The adit ledger over HTTP as 嵩县's office (alice) may use it and 洪江市's (bob) may not.</summary>
public sealed class AditsApiTests
{
    // Each test places its adits at its own spot in 陶村林场's part of 嵩县 so that tests never collide (20 m rule).
    private static (double Lon, double Lat) Spot() => Spots.In(111.95, 33.95, 0.15, 0.15);

    public static object NewAdit((double Lon, double Lat) at, string township = "陶村林场", string? number = null, string origin = "盗采点") => new
    {
        number, name = "测试硐", township, lon = at.Lon.ToString("F6"), lat = at.Lat.ToString("F6"), mineral = "金", origin,
        elevation = "820", description = "测试",
    };

    public static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/adits", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_registers_an_adit_with_a_generated_number_and_the_derived_sealing_party(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var at = Spot();
        // Degrees-minutes-seconds as people type them.
        var body = new
        {
            township = "陶村", lon = MineGuard.Platform.Geo.Dms.Format(at.Lon, false), lat = MineGuard.Platform.Geo.Dms.Format(at.Lat, true),
            mineral = "金", origin = "盗采点",
        };
        var created = await CreateAsync(office, body);
        var adit = created.GetProperty("adit");
        Assert.Matches(@"^410325-\d{5}$", adit.GetProperty("number").GetString()!);
        Assert.Equal("陶村林场", adit.GetProperty("township").GetString());
        // Within a few metres (度分秒 as typed carry seconds to a fraction): a tolerance, not rounding to 4 places, which
        // fails whenever the two sides fall either side of a rounding boundary.
        Assert.InRange(adit.GetProperty("lon").GetDouble(), at.Lon - 5e-5, at.Lon + 5e-5);
        Assert.Equal("陶村林场人民政府", created.GetProperty("sealingParty").GetString());
        Assert.Equal("未封堵", adit.GetProperty("state").GetString());
        Assert.Equal(["seal"], created.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        // One spot for both coordinates: a longitude of one spot with the latitude of another is a place nobody reserved,
        // and once landed within 20 m of another test's adit (refused as a likely duplicate).
        var other = Spot();
        var normal = await CreateAsync(office, new
        {
            township = "城关镇", lon = other.Lon.ToString("F6"), lat = other.Lat.ToString("F6"), origin = "正常关闭", rightsHolder = "嵩县某金矿有限公司",
        });
        Assert.Equal("嵩县某金矿有限公司", normal.GetProperty("sealingParty").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Responsible_person_is_found_by_login_full_name_or_personal_name(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        foreach (var name in new[] { "sx-resp", "陶村林场第一网格包保责任人 赵刚", "赵刚" })
        {
            var at = Spot();
            var created = await CreateAsync(office, new { township = "陶村林场", lon = at.Lon.ToString("F6"), lat = at.Lat.ToString("F6"), responsible = name });
            Assert.Equal("陶村林场第一网格包保责任人 赵刚", created.GetProperty("adit").GetProperty("responsible").GetString());
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task GCJ02_input_is_converted_to_WGS84(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var wgs = Spot();
        var (gLon, gLat) = MineGuard.Platform.Geo.Gcj02.FromWgs84(wgs.Lon, wgs.Lat);
        var created = await CreateAsync(office, new { township = "陶村林场", lon = gLon.ToString("F7"), lat = gLat.ToString("F7"), crs = "gcj02" });
        Assert.Equal(wgs.Lon, created.GetProperty("adit").GetProperty("lon").GetDouble(), 1e-5);
        Assert.Equal(wgs.Lat, created.GetProperty("adit").GetProperty("lat").GetDouble(), 1e-5);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_is_refused_field_by_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        await AssertFieldError(office, new { }, "township", "请填写所在乡镇");
        await AssertFieldError(office, new { township = "陶村林场" }, "lon", "请填写经度");
        await AssertFieldError(office, new { township = "火星镇", lon = "112", lat = "34" }, "township", "不在嵩县的区划中");
        await AssertFieldError(office, new { township = "陶村林场", lon = "113.60", lat = "34.75" }, "lon", "不在嵩县境内");
        await AssertFieldError(office, new { township = "陶村林场", lon = "34.0", lat = "112.0" }, "lon", "填反");
        await AssertFieldError(office, new { township = "陶村林场", lon = "112°75'", lat = "34" }, "lon", "超出范围");
        await AssertFieldError(office, new { township = "陶村林场", lon = "112.0", lat = "34.0", mineral = "钻石" }, "mineral", "无法识别");
        await AssertFieldError(office, new { township = "陶村林场", lon = "112.0", lat = "34.0", crs = "bd09" }, "crs", "坐标系");
        await AssertFieldError(office, new { township = "陶村林场", lon = "112.0", lat = "34.0", sealState = "已封堵" }, "sealMethod", "封堵方式");
        await AssertFieldError(office, new { township = "陶村林场", lon = "112.0", lat = "34.0", responsible = "hj-office" }, "responsible", "不是本县");

        var existing = await CreateAsync(office, NewAdit(Spot()));
        var number = existing.GetProperty("adit").GetProperty("number").GetString();
        await AssertFieldError(office, NewAdit(Spot(), number: number), "number", "已被使用");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_second_adit_within_20_m_needs_confirmation(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var at = Spot();
        var first = await CreateAsync(office, NewAdit(at));
        var nearby = (at.Lon + 0.0001, at.Lat); // ≈ 9 m east
        await AssertFieldError(office, NewAdit(nearby), "confirmNearby", first.GetProperty("adit").GetProperty("number").GetString()!);
        var confirmed = await office.PostAsJsonAsync("/api/adits", new
        {
            township = "陶村林场", lon = nearby.Item1.ToString("F6"), lat = nearby.Lat.ToString("F6"), confirmNearby = true,
        });
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Another_county_and_the_read_only_leader_are_kept_out(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var created = await CreateAsync(office, NewAdit(Spot()));
        var id = created.GetProperty("adit").GetProperty("id").GetString();
        var number = created.GetProperty("adit").GetProperty("number").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/adits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/adits", NewAdit(Spot()))).StatusCode);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/adits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PutAsJsonAsync($"/api/adits/{id}", NewAdit(Spot()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/adits/{id}/seal", new { on = "2025-01-01", method = "混凝土浇筑" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/adits/{id}/photos/{Guid.NewGuid()}")).StatusCode);
        var theirList = await hongjiang.GetStringAsync($"/api/adits?q={number}");
        Assert.DoesNotContain(number, theirList, StringComparison.Ordinal);
        // 洪江市 cannot register an adit in 嵩县 either.
        var intoSongxian = await hongjiang.PostAsJsonAsync("/api/adits", new { county = "410325", township = "陶村林场", lon = "112.0", lat = "34.0" });
        Assert.Equal(HttpStatusCode.BadRequest, intoSongxian.StatusCode);
        Assert.Contains("超出您的管辖范围", await intoSongxian.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var leader = await app.LoginAsync("sx-leader");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/adits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/adits", NewAdit(Spot()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"/api/adits/{id}/seal", new { on = "2025-01-01", method = "混凝土浇筑" })).StatusCode);

        // The city leader above sees it; a township patrol member elsewhere does not.
        Assert.Equal(HttpStatusCode.OK, (await (await app.LoginAsync("ly-leader")).GetAsync($"/api/adits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-patrol")).GetAsync($"/api/adits/{id}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Sealing_lifecycle_keeps_every_event_and_enforces_its_rules(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var admin = await app.LoginAsync("sx-admin");
        var created = await CreateAsync(office, NewAdit(Spot()));
        var id = created.GetProperty("adit").GetProperty("id").GetString();

        await AssertRule(office, $"/api/adits/{id}/breach", new { on = "2025-03-01", howFound = "巡查发现" }, "OnlyASealCanBeBreached");
        var sealedResponse = await office.PostAsJsonAsync($"/api/adits/{id}/seal", new { on = "2025-03-01", method = "石块堆砌", performedBy = "村民" });
        Assert.Equal(HttpStatusCode.Created, sealedResponse.StatusCode);
        var detail = await office.GetFromJsonAsync<JsonElement>($"/api/adits/{id}");
        Assert.True(detail.GetProperty("adit").GetProperty("weakSeal").GetBoolean());
        Assert.True(detail.GetProperty("adit").GetProperty("neverAccepted").GetBoolean());

        await AssertRule(office, $"/api/adits/{id}/seal", new { on = "2025-03-02", method = "混凝土浇筑" }, "AditCannotBeSealedTwice");
        await AssertRule(office, $"/api/adits/{id}/accept", new { on = "2025-03-05" }, "AcceptanceNeedsSecondPerson");
        await AssertRule(admin, $"/api/adits/{id}/accept", new { on = "2025-02-01" }, "AcceptanceCannotPredateSeal");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/adits/{id}/accept", new { on = "2025-03-05", note = "现场查看" })).StatusCode);

        await AssertRule(office, $"/api/adits/{id}/breach", new { on = "2025-02-20", howFound = "巡查发现" }, "BreachCannotPredateSeal");
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync($"/api/adits/{id}/breach", new { on = "2025-06-10", foundBy = "李强", howFound = "巡查发现" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync($"/api/adits/{id}/seal", new { on = "2025-06-12", method = "混凝土浇筑", standard = "嵩县封堵标准" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync($"/api/adits/{id}/breach", new { on = "2025-09-01", howFound = "群众举报" })).StatusCode);

        detail = await office.GetFromJsonAsync<JsonElement>($"/api/adits/{id}");
        var kinds = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kindName").GetString()).ToList();
        Assert.Equal(["封堵", "验收", "发现破坏/被盗采", "重新封堵", "发现破坏/被盗采"], kinds);
        Assert.Equal("发现破坏", detail.GetProperty("adit").GetProperty("state").GetString());
        Assert.Equal(2, detail.GetProperty("adit").GetProperty("breachCount").GetInt32());
        Assert.Equal(["reseal"], detail.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        var repeat = await office.GetFromJsonAsync<JsonElement>("/api/adits?flag=repeat&pageSize=500");
        Assert.Contains(repeat.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetString() == id);

        var bad = await office.PostAsJsonAsync($"/api/adits/{id}/seal", new { on = "明天", method = "水泥" });
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("on", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("method", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Write_off_needs_an_accepted_seal_and_a_reason(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var admin = await app.LoginAsync("sx-admin");
        var id = (await CreateAsync(office, NewAdit(Spot()))).GetProperty("adit").GetProperty("id").GetString();
        await AssertRule(office, $"/api/adits/{id}/write-off", new { reason = "已回填" }, "WriteOffNeedsAcceptedSeal");
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync($"/api/adits/{id}/seal", new { on = "2025-05-01", method = "回填" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/adits/{id}/accept", new { on = "2025-05-03" })).StatusCode);
        await AssertRule(office, $"/api/adits/{id}/write-off", new { reason = " " }, "WriteOffNeedsReason");
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync($"/api/adits/{id}/write-off", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/adits/{id}/write-off", new { reason = "x" })).StatusCode);

        var done = await office.PostAsJsonAsync($"/api/adits/{id}/write-off", new { reason = "已回填并验收，永久消除隐患" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var detail = await done.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("已销号", detail.GetProperty("status").GetString());
        Assert.Equal("已回填并验收，永久消除隐患", detail.GetProperty("statusReason").GetString());
        Assert.Empty(detail.GetProperty("allowedActions").EnumerateArray());
        await AssertRule(office, $"/api/adits/{id}/write-off", new { reason = "again" }, "AditAlreadyWrittenOff");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_filters_sorts_pages_and_counts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var tag = Guid.NewGuid().ToString("N")[..6];
        // Made last to first: their insertion order is not their numbers' order.
        for (var i = 2; i >= 0; i--)
        {
            var spot = Spots.Hongjiang();
            await CreateAsync(office, new { number = $"HJ-{tag}-{i}", township = "黔城镇", lon = spot.Lon.ToString("F6"), lat = spot.Lat.ToString("F6"), mineral = i == 0 ? "萤石" : "金" });
        }

        var page = await office.GetFromJsonAsync<JsonElement>($"/api/adits?q=HJ-{tag}&sort=-number&pageSize=2");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal([$"HJ-{tag}-2", $"HJ-{tag}-1"], page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("number").GetString()));
        // The test clock stands still, so all three were created at the same instant: ties go by number, and the pages
        // neither repeat nor skip an adit.
        var byCreated = new List<string?>();
        for (var p = 1; p <= 2; p++)
        {
            byCreated.AddRange((await office.GetFromJsonAsync<JsonElement>($"/api/adits?q=HJ-{tag}&sort=-created&pageSize=2&page={p}"))
                .GetProperty("items").EnumerateArray().Select(a => a.GetProperty("number").GetString()));
        }
        Assert.Equal([$"HJ-{tag}-0", $"HJ-{tag}-1", $"HJ-{tag}-2"], byCreated);
        var fluorite = await office.GetFromJsonAsync<JsonElement>($"/api/adits?q=HJ-{tag}&mineral=萤石");
        Assert.Equal(1, fluorite.GetProperty("total").GetInt32());
        var counts = await office.GetFromJsonAsync<JsonElement>($"/api/adits/counts?q=HJ-{tag}");
        var qiancheng = Assert.Single(counts.GetProperty("townships").EnumerateArray());
        Assert.Equal("黔城镇", qiancheng.GetProperty("name").GetString());
        Assert.Equal(3, qiancheng.GetProperty("byState").GetProperty("未封堵").GetInt32());

        var bad = await office.GetAsync("/api/adits?state=塌了&pageSize=9999&sort=size");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("state", out _) && errors.TryGetProperty("pageSize", out _) && errors.TryGetProperty("sort", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Photos_keep_their_own_EXIF_time_and_position(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var at = Spot();
        var created = await CreateAsync(office, NewAdit(at));
        var id = created.GetProperty("adit").GetProperty("id").GetString();
        var token = await TestApp.AntiForgeryTokenAsync(office, $"/adits/{id}");

        var jpeg = ExifJpeg.Create(new DateTime(2025, 5, 1, 9, 30, 0), at.Lon, at.Lat, variant: Random.Shared.Next());
        var response = await Upload(office, id!, jpeg, "photo.jpg", token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var photo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new DateTime(2025, 5, 1, 1, 30, 0, DateTimeKind.Utc), photo.GetProperty("takenUtc").GetDateTime().ToUniversalTime());
        Assert.Equal(at.Lon, photo.GetProperty("takenLon").GetDouble(), 1e-4);
        Assert.Equal(at.Lat, photo.GetProperty("takenLat").GetDouble(), 1e-4);
        var bytes = await office.GetByteArrayAsync(photo.GetProperty("url").GetString());
        Assert.Equal(jpeg, bytes);

        var notImage = await Upload(office, id!, "MZ fake exe"u8.ToArray(), "photo.jpg", token);
        Assert.Equal(HttpStatusCode.BadRequest, notImage.StatusCode);
        Assert.Contains("JPEG、PNG 或 WebP", await notImage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var withoutToken = await Upload(office, id!, jpeg, "photo.jpg", null);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains("防伪令牌", await withoutToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync(photo.GetProperty("url").GetString())).StatusCode);
    }

    private static Task<HttpResponseMessage> Upload(HttpClient client, string id, byte[] content, string name, string? token)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", name);
        form.Add(new StringContent("洞口"), "caption");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/adits/{id}/photos") { Content = form };
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }

    private static async Task AssertFieldError(HttpClient client, object body, string field, string message)
    {
        var response = await client.PostAsJsonAsync("/api/adits", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for {field}: {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
    }

    private static async Task AssertRule(HttpClient client, string url, object body, string rule)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(rule, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }
}
