using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Geo;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Mines.MineData;

namespace MineGuard.Tests.Features.Mines;

/// <summary>The mines API as sx-office (嵩县) may use it and others may not; every test makes its own mines.</summary>
public sealed class MinesApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Mines_need_a_log_in_and_leaders_only_read(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/mines")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/mines/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/mines", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/api/mines/{id}", Body())).StatusCode);

        var mine = await CreateAsync(await app.LoginAsync("sx-office"), Body());
        var leader = await app.LoginAsync("sx-leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/mines", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsJsonAsync($"/api/mines/{mine.GetProperty("id")}", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/mines/{mine.GetProperty("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/api/mines")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_registers_a_mine_from_dms_corners_and_reads_it_back_with_its_boundary(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        const string corners = """
            序号 X Y
            1 34°03′00″ 112°03′00″
            2 34°03′00″ 112°03′36″
            3 34°03′36″ 112°03′36″
            4 34°03′36″ 112°03′00″
            """;
        var body = Body(boundary: corners, mineral: "金矿", validTo: "2031.6.30");
        var created = await CreateAsync(office, body);
        Assert.Equal("410325109", created.GetProperty("divisionCode").GetString());
        Assert.Equal("饭坡镇", created.GetProperty("divisionName").GetString());
        Assert.Equal("嵩县", created.GetProperty("countyName").GetString());
        Assert.Equal("金", created.GetProperty("mineral").GetString());
        Assert.Equal("2031-06-30", created.GetProperty("validTo").GetString());
        Assert.False(created.GetProperty("expired").GetBoolean());
        Assert.False(created.GetProperty("closing").GetBoolean());

        var id = created.GetProperty("id").GetString();
        var got = await office.GetFromJsonAsync<JsonElement>($"/api/mines/{id}");
        var boundary = got.GetProperty("boundary");
        Assert.Equal("Polygon", boundary.GetProperty("type").GetString());
        var ring = boundary.GetProperty("coordinates")[0];
        Assert.Equal(5, ring.GetArrayLength());
        Assert.Equal(112.05, ring[0][0].GetDouble(), 1e-7);
        Assert.Equal(34.05, ring[0][1].GetDouble(), 1e-7);
        Assert.Equal([112.05, 34.05, 112.06, 34.06], got.GetProperty("bbox").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 7)));

        var stored = await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().SingleAsync(m => m.Id == Guid.Parse(id!)));
        Assert.Equal(body["licenceNumber"], stored.LicenceNumber);
        Assert.Equal(112.06, stored.MaxLon, 1e-7);
        Assert.Equal(34.06, stored.MaxLat, 1e-7);
        var audit = await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.EntityType == "LicensedMine" && a.EntityId == id && a.Action == "create"));
        Assert.Equal(1, audit);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Gcj02_boundary_is_converted_and_stored_as_wgs84(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        const string geoJson = """{"type":"Polygon","coordinates":[[[112.08,34.08],[112.09,34.08],[112.09,34.09],[112.08,34.09],[112.08,34.08]]]}""";
        var body = Body(boundary: geoJson);
        body["boundaryCrs"] = "GCJ-02";
        var created = await CreateAsync(office, body);
        var id = created.GetProperty("id").GetString();

        var corner = created.GetProperty("boundary").GetProperty("coordinates")[0][0];
        var (lon, lat) = Gcj02.ToWgs84(112.08, 34.08);
        Assert.Equal(lon, corner[0].GetDouble(), 1e-6);
        Assert.Equal(lat, corner[1].GetDouble(), 1e-6);
        Assert.True(112.08 - lon > 0.003, "GCJ-02 is shifted by several hundred metres in Henan");

        // Asked for in GCJ-02 (for a GCJ-02 tile layer), it comes back where it was drawn.
        var shifted = await office.GetFromJsonAsync<JsonElement>($"/api/mines/{id}?crs=gcj02");
        Assert.Equal(112.08, shifted.GetProperty("boundary").GetProperty("coordinates")[0][0][0].GetDouble(), 1e-6);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync($"/api/mines/{id}?crs=utm")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Another_countys_mine_is_not_found_and_not_listed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var hongjiang = await app.LoginAsync("hj-office");
        var theirs = await CreateAsync(hongjiang, Body(boundary: Square(110.0, 27.2), township: null, mineral: "钼"));
        Assert.Equal("431281", theirs.GetProperty("divisionCode").GetString());
        var id = theirs.GetProperty("id").GetString();
        var licence = theirs.GetProperty("licenceNumber").GetString();

        var songxian = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.GetAsync($"/api/mines/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.PutAsJsonAsync($"/api/mines/{id}", Body())).StatusCode);
        var list = await songxian.GetFromJsonAsync<JsonElement>($"/api/mines?q={licence}");
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        // Luoyang's leader sees Songxian's mines but not Hongjiang's.
        var ours = await CreateAsync(songxian, Body());
        var luoyang = await app.LoginAsync("ly-leader");
        Assert.Equal(HttpStatusCode.OK, (await luoyang.GetAsync($"/api/mines/{ours.GetProperty("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await luoyang.GetAsync($"/api/mines/{id}")).StatusCode);

        // The number is still taken nationwide, without saying by whom.
        var again = await songxian.PostAsJsonAsync("/api/mines", Body(licence: licence));
        Assert.Equal("许可证号“" + licence + "”已在其他辖区登记", (await Problems.ErrorsAsync(again)).GetProperty("licenceNumber")[0].GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_is_refused_field_by_field_and_stores_nothing(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var before = await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().CountAsync());

        var empty = await office.PostAsJsonAsync("/api/mines", new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        var errors = await Problems.ErrorsAsync(empty);
        foreach (var field in new[] { "name", "rightsHolder", "licenceNumber", "mineral", "status", "validFrom", "validTo", "boundary" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        Assert.Equal("请填写矿山名称", errors.GetProperty("name")[0].GetString());

        await AssertFieldError(office, Body(boundary: "112.05 34.05\n112.06 34.06\n112.06 34.05\n112.05 34.06"), "boundary", "不是有效的多边形");
        await AssertFieldError(office, Body(boundary: "112.05 34.05\n112.06 34.05"), "boundary", "至少需要 3 个不同的点");
        await AssertFieldError(office, Body(boundary: "1 3765432.12 38456789.01\n2 3765432.12 38457789.01\n3 3766432.12 38457789.01"), "boundary", "投影坐标");
        await AssertFieldError(office, Body(boundary: Square(110.0, 27.2)), "boundary", "不在“嵩县”境内");
        await AssertFieldError(office, Body(validFrom: "31/01/2024"), "validFrom", "日期格式应为");
        await AssertFieldError(office, Body(validTo: "2024年2月30日"), "validTo", "日期不存在");
        await AssertFieldError(office, Body(validFrom: "2030-01-01", validTo: "2029-01-01"), "validTo", "不能早于起始日期");
        await AssertFieldError(office, Body(mineral: "金刚石"), "mineral", "未知的矿种“金刚石”");
        await AssertFieldError(office, Body(status: "半停产"), "status", "未知的状态“半停产”");
        await AssertFieldError(office, Body(township: "黔城镇"), "township", "不是“嵩县”的乡镇");
        var crs = Body();
        crs["boundaryCrs"] = "UTM";
        await AssertFieldError(office, crs, "boundaryCrs", "坐标系只能是");

        var first = await CreateAsync(office, Body());
        var licence = first.GetProperty("licenceNumber").GetString()!;
        await AssertFieldError(office, Body(licence: " " + licence.ToLowerInvariant()), "licenceNumber", "已登记");

        var after = await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().CountAsync());
        Assert.True(after >= before + 1);
        var stray = await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>().CountAsync(m => m.Name == "金刚石"));
        Assert.Equal(0, stray);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_township_user_files_mines_in_their_own_township(string provider)
    {
        var app = await TestApp.Shared(provider);
        var patrol = await app.LoginAsync("sx-patrol"); // 陶村林场
        await AssertFieldError(patrol, Body(township: null), "township", "请选择所在乡镇");
        await AssertFieldError(patrol, Body(township: "饭坡镇"), "township", "超出您的管辖范围");
        var mine = await CreateAsync(patrol, Body(township: "陶村"));
        Assert.Equal("410325400", mine.GetProperty("divisionCode").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Update_changes_the_mine_and_keeps_licence_numbers_unique(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var a = await CreateAsync(office, Body());
        var b = await CreateAsync(office, Body());
        var id = a.GetProperty("id").GetString();

        var changed = Body(licence: a.GetProperty("licenceNumber").GetString(), name: "改名后的萤石矿", mineral: "萤石", status: "停产整顿",
            boundary: """{"type":"MultiPolygon","coordinates":[[[[112.1,34.1],[112.11,34.1],[112.11,34.11],[112.1,34.11],[112.1,34.1]]]]}""",
            township: "410325100000");
        var response = await office.PutAsJsonAsync($"/api/mines/{id}", changed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("改名后的萤石矿", updated.GetProperty("name").GetString());
        Assert.Equal("停产整顿", updated.GetProperty("status").GetString());
        Assert.Equal("城关镇", updated.GetProperty("divisionName").GetString());
        Assert.Equal("MultiPolygon", updated.GetProperty("boundary").GetProperty("type").GetString());

        var clash = Body(licence: b.GetProperty("licenceNumber").GetString());
        var refused = await office.PutAsJsonAsync($"/api/mines/{id}", clash);
        Assert.Contains("已登记", (await Problems.ErrorsAsync(refused)).GetProperty("licenceNumber")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_status_change_is_kept_in_the_history_from_the_day_given_and_a_bad_day_is_named(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mine = await CreateAsync(office, Body(status: "生产"));
        var id = mine.GetProperty("id").GetGuid();
        var licence = mine.GetProperty("licenceNumber").GetString();

        var future = Body(licence: licence, status: "停产");
        future["statusSince"] = "2099-01-01";
        Assert.Contains("不能晚于今天", (await Problems.ErrorsAsync(await office.PutAsJsonAsync($"/api/mines/{id}", future))).GetProperty("statusSince")[0].GetString(),
            StringComparison.Ordinal);
        var garbled = Body(licence: licence, status: "停产");
        garbled["statusSince"] = "去年秋天";
        Assert.True((await Problems.ErrorsAsync(await office.PutAsJsonAsync($"/api/mines/{id}", garbled))).TryGetProperty("statusSince", out _));

        var stopped = Body(licence: licence, status: "停产");
        stopped["statusSince"] = "2026-10-20";
        Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync($"/api/mines/{id}", stopped)).StatusCode);
        // The same status again adds nothing.
        Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync($"/api/mines/{id}", stopped)).StatusCode);
        var history = await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.MineStatusChange>().AsNoTracking().Where(c => c.MineId == id)
            .OrderBy(c => c.SinceOn != null).ThenBy(c => c.SinceOn).Select(c => new { c.Status, c.SinceOn }).ToListAsync());
        Assert.Equal(2, history.Count);
        Assert.Equal((MineGuard.Features.Mines.MineStatus.Producing, (DateOnly?)null), (history[0].Status, history[0].SinceOn));
        Assert.Equal((MineGuard.Features.Mines.MineStatus.Suspended, (DateOnly?)new DateOnly(2026, 10, 20)), (history[1].Status, history[1].SinceOn));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_filters_sorts_and_pages(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var tag = Unique("列表");
        await CreateAsync(office, Body(name: tag + "甲", mineral: "金", township: "饭坡镇"));
        await CreateAsync(office, Body(name: tag + "乙", mineral: "萤石", township: "陶村林场", status: "停产"));
        await CreateAsync(office, Body(name: tag + "丙", mineral: "金", township: "饭坡镇", status: "关闭退出", validFrom: "", validTo: ""));

        var all = await office.GetFromJsonAsync<JsonElement>($"/api/mines?q={tag}&pageSize=2&sort=-name");
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
        var second = await office.GetFromJsonAsync<JsonElement>($"/api/mines?q={tag}&pageSize=2&page=2&sort=-name");
        Assert.Single(second.GetProperty("items").EnumerateArray());

        async Task<string[]> Names(string filter) =>
            (await office.GetFromJsonAsync<JsonElement>($"/api/mines?q={tag}&{filter}")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("name").GetString()![tag.Length..]).Order().ToArray();
        Assert.Equal(["丙", "甲"], await Names("mineral=金"));
        Assert.Equal(["乙"], await Names("township=410325400"));
        Assert.Equal(["丙", "甲"], await Names("township=饭坡镇"));
        Assert.Equal(["乙"], await Names("status=停产"));
        Assert.Equal(["丙"], await Names("status=关闭退出"));
        Assert.Equal(["丙", "乙", "甲"], await Names("expired=false"));

        var bad = await office.GetAsync("/api/mines?mineral=钻石&status=x&expired=maybe&pageSize=1000&sort=colour&township=431281");
        var errors = await Problems.ErrorsAsync(bad);
        foreach (var field in new[] { "mineral", "status", "expired", "pageSize", "sort", "township" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
    }

    private static async Task AssertFieldError(HttpClient client, Dictionary<string, object?> body, string field, string expected)
    {
        var errors = await Problems.ErrorsAsync(await client.PostAsJsonAsync("/api/mines", body));
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {errors}");
        Assert.Contains(expected, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Single(errors.EnumerateObject());
    }
}
