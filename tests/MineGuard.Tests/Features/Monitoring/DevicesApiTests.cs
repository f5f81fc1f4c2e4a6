using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>The device registry over HTTP, and the e-fence zone index behind position pings.</summary>
public sealed class DevicesApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Devices_need_a_log_in_the_office_registers_them_and_another_county_sees_nothing(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/devices/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/devices", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/alert-rules")).StatusCode);

        var office = await app.LoginAsync("sx-office");
        var (keyId, _) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var device = await DeviceAsync(office, "camera", keyId, adit.Id);
        Assert.Equal("摄像头", device.GetProperty("kindName").GetString());
        Assert.Equal(30, device.GetProperty("heartbeatMinutes").GetInt32());
        var id = device.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/devices/{id}")).StatusCode);

        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.Forbidden, (await patrol.PostAsJsonAsync("/api/devices", new { kind = "camera" })).StatusCode);
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/devices/{id}")).StatusCode);
        var foreign = await hongjiang.PostAsJsonAsync("/api/devices", new { kind = "camera", code = "X1", name = "越界", apiKeyId = keyId, aditId = adit.Id });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        var foreignErrors = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(foreignErrors.TryGetProperty("apiKeyId", out _));
        Assert.Contains("管辖范围", foreignErrors.GetProperty("aditId")[0].GetString(), StringComparison.Ordinal);

        var bad = await office.PostAsJsonAsync("/api/devices", new { kind = "toaster", code = device.GetProperty("code").GetString(), apiKeyId = keyId, heartbeatMinutes = -1 });
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("设备类型", errors.GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("已有编号", errors.GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("设备名称", errors.GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("divisionCode", out _));
        Assert.True(errors.TryGetProperty("heartbeatMinutes", out _));
    }

    [Fact]
    public void The_zone_grid_finds_circles_and_polygons_and_nothing_outside()
    {
        var grid = new ZoneGrid();
        var circle = Guid.NewGuid();
        var square = Guid.NewGuid();
        grid.Add(new ZoneGrid.Zone(circle, 112.0, 34.0, 200, null));
        grid.Add(ZoneGrid.FromDevice(square, null, null, null,
            """{"type":"Polygon","coordinates":[[[111.995,33.995],[112.015,33.995],[112.015,34.005],[111.995,34.005],[111.995,33.995]]]}""")!);
        Assert.Equal(new[] { circle, square }.Order(), grid.Containing(112.0, 34.001).Order());
        Assert.Equal([square], grid.Containing(112.012, 34.0));
        Assert.Empty(grid.Containing(112.0, 34.01));
        Assert.Empty(grid.Containing(113.0, 35.0));
        // 190 m north is inside the 200 m circle, 210 m is not.
        Assert.Contains(circle, grid.Containing(112.0, 34.0 + 190 / 111_320.0));
        Assert.DoesNotContain(circle, grid.Containing(112.0, 34.0 + 210 / 111_320.0));
    }
}
