using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>Editing a device (owner, adit, heartbeat, e-fence shape) and retiring it, over HTTP and on the devices page.</summary>
public sealed class DeviceEditTests
{
    /// <summary>A square away from where the other tests put their adits and pings (the shared app's zone index sees it).</summary>
    private const string Square =
        """{"type":"Polygon","coordinates":[[[112.405,34.405],[112.415,34.405],[112.415,34.415],[112.405,34.415],[112.405,34.405]]]}""";

    [Theory, OnSqlite, OnPostgres]
    public async Task The_office_sets_a_devices_owner_adit_heartbeat_and_fence_and_no_one_else_can(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, _) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var other = await AditAsync(app, null, lon: 111.96, lat: 34.06);
        var zone = await DeviceAsync(office, "efence-zone", keyId, adit.Id);
        var id = zone.GetProperty("id").GetGuid();
        var url = $"/api/devices/{id}";

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync(url, new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"{url}/retire", null)).StatusCode);
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.Forbidden, (await patrol.PutAsJsonAsync(url, new { name = "x" })).StatusCode);
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PutAsJsonAsync(url, new { name = "越界" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsync($"{url}/retire", null)).StatusCode);

        var bad = await office.PutAsJsonAsync(url, new
        {
            name = "", owner = "hj-office", heartbeatMinutes = -5, radiusMeters = 1, polygon = new { type = "Polygon", coordinates = "x" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("设备名称", errors.GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("管辖范围内没有", errors.GetProperty("owner")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("心跳间隔", errors.GetProperty("heartbeatMinutes")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("围栏半径", errors.GetProperty("radiusMeters")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("GeoJSON", errors.GetProperty("polygon")[0].GetString(), StringComparison.Ordinal);

        var edited = await office.PutAsJsonAsync(url, new
        {
            name = "二号硐口围栏", owner = "sx-resp", aditId = other.Id, heartbeatMinutes = 15,
            polygon = JsonSerializer.Deserialize<JsonElement>(Square),
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var view = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("二号硐口围栏", view.GetProperty("name").GetString());
        Assert.Equal(await UserIdAsync(app, "sx-resp"), view.GetProperty("ownerUserId").GetGuid());
        Assert.Equal(other.Id, view.GetProperty("aditId").GetGuid());
        Assert.Equal(15, view.GetProperty("heartbeatMinutes").GetInt32());
        Assert.Contains("Polygon", view.GetProperty("polygonGeoJson").GetString(), StringComparison.Ordinal);

        // The owner by display name; a field left out keeps its value.
        var patrolName = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.DisplayName).SingleAsync());
        view = await (await office.PutAsJsonAsync(url, new { owner = patrolName })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(await UserIdAsync(app, "sx-patrol"), view.GetProperty("ownerUserId").GetGuid());
        Assert.Equal("二号硐口围栏", view.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, view.GetProperty("polygonGeoJson").ValueKind);

        var retired = await office.PostAsync($"{url}/retire", null);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal(JsonValueKind.String, (await retired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retiredUtc").ValueKind);
        var again = await office.PostAsync($"{url}/retire", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PutAsJsonAsync(url, new { name = "复活" })).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_retired_camera_raises_no_offline_alert(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await StopJobsAsync(app);
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var watched = (await DeviceAsync(office, "camera", keyId, adit.Id, heartbeatMinutes: 30)).GetProperty("id").GetGuid();
        var retiredCamera = await DeviceAsync(office, "camera", keyId, adit.Id, heartbeatMinutes: 30);
        var retired = retiredCamera.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsync($"/api/devices/{retired}/retire", null)).StatusCode);

        // What a retired device still sends is refused with its index and the reason, and raises nothing.
        var result = await IngestAsync(integration, Event(EventTypes.Camera, retiredCamera.GetProperty("code").GetString()!, new { subject = "person" }));
        Assert.Equal(0, result.GetProperty("acceptedCount").GetInt32());
        Assert.Contains("已停用", result.GetProperty("rejected")[0].GetProperty("errors").GetProperty("deviceId")[0].GetString());

        app.Clock.Advance(TimeSpan.FromMinutes(45));
        await RunJobsAsync(app);
        Task<int> Offline(Guid device) => app.WithDbAsync(db => db.Alerts().CountAsync(a => a.DeviceId == device && a.EventType == EventTypes.Offline));
        Assert.Equal(1, await Offline(watched));
        Assert.Equal(0, await Offline(retired));
        Assert.False((await office.GetFromJsonAsync<JsonElement>($"/api/devices/{retired}")).GetProperty("silent").GetBoolean());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_devices_page_edits_and_retires_a_device_in_scope(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, _) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var camera = await DeviceAsync(office, "camera", keyId, adit.Id);
        var id = camera.GetProperty("id").GetGuid();
        var token = await TestApp.AntiForgeryTokenAsync(office, "/devices");

        async Task<string> PostAsync(string url, params (string Key, string Value)[] fields)
        {
            var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token));
            return await (await office.PostAsync(url, new FormUrlEncodedContent(form))).Content.ReadAsStringAsync();
        }

        var edit = await office.GetStringAsync($"/devices?id={id}");
        Assert.Contains("id=\"device-edit-form\"", edit, StringComparison.Ordinal);
        Assert.Contains(adit.Number, edit, StringComparison.Ordinal);

        var refused = await PostAsync("/devices?handler=Update", ("Edit.Id", id.ToString()), ("Edit.Name", "页面改名"), ("Edit.Owner", "没有这个人"),
            ("Edit.AditNumber", adit.Number), ("Edit.HeartbeatMinutes", "30"), ("Edit.Polygon", "{not json"));
        Assert.Contains("不是有效的 GeoJSON", refused, StringComparison.Ordinal);
        refused = await PostAsync("/devices?handler=Update", ("Edit.Id", id.ToString()), ("Edit.Name", "页面改名"), ("Edit.Owner", "没有这个人"),
            ("Edit.AditNumber", adit.Number), ("Edit.HeartbeatMinutes", "30"));
        Assert.Contains("管辖范围内没有名为 没有这个人 的用户", refused, StringComparison.Ordinal);

        var saved = await PostAsync("/devices?handler=Update", ("Edit.Id", id.ToString()), ("Edit.Name", "页面改名"), ("Edit.Owner", "sx-resp"),
            ("Edit.AditNumber", adit.Number), ("Edit.HeartbeatMinutes", "45"));
        Assert.Contains("已保存设备：页面改名", saved, StringComparison.Ordinal);
        var device = await app.WithDbAsync(db => db.Devices().AsNoTracking().SingleAsync(d => d.Id == id));
        Assert.Equal(("页面改名", await UserIdAsync(app, "sx-resp"), 45, (Guid?)adit.Id), (device.Name, device.OwnerUserId, device.HeartbeatMinutes, device.AditId));

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/devices?id={id}")).StatusCode);
        var hjToken = await TestApp.AntiForgeryTokenAsync(hongjiang, "/devices");
        var foreign = await hongjiang.PostAsync($"/devices?handler=Retire&id={id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = hjToken }));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // Not confirmed (no dialog, no ticked box): nothing happens.
        Assert.Contains("未停用：请先确认", await PostAsync($"/devices?handler=Retire&id={id}"), StringComparison.Ordinal);
        Assert.Null(await app.WithDbAsync(db => db.Devices().Where(d => d.Id == id).Select(d => d.RetiredUtc).SingleAsync()));
        var retired = await PostAsync($"/devices?handler=Retire&id={id}", ("confirmed", "true"));
        Assert.Contains("已停用设备：页面改名", retired, StringComparison.Ordinal);
        Assert.Contains("id=\"undo\"", retired, StringComparison.Ordinal);
        Assert.NotNull(await app.WithDbAsync(db => db.Devices().Where(d => d.Id == id).Select(d => d.RetiredUtc).SingleAsync()));

        // Undo: back in service, audited.
        var foreignUndo = await hongjiang.PostAsync($"/devices?handler=Reinstate&id={id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = hjToken }));
        Assert.Equal(HttpStatusCode.NotFound, foreignUndo.StatusCode);
        Assert.Contains("已恢复使用设备：页面改名", await PostAsync($"/devices?handler=Reinstate&id={id}"), StringComparison.Ordinal);
        Assert.Null(await app.WithDbAsync(db => db.Devices().Where(d => d.Id == id).Select(d => d.RetiredUtc).SingleAsync()));
        Assert.True(await app.WithDbAsync(db => db.AuditRecords.AnyAsync(r => r.EntityId == id.ToString() && r.Action == "update" && r.ActorName == "sx-office")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_retired_device_is_put_back_into_service_through_the_api(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, _) = await IntegrationAsync(app);
        var camera = await DeviceAsync(office, "camera", keyId, (await AditAsync(app, null)).Id);
        var id = camera.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync($"/api/devices/{id}/reinstate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).PostAsync($"/api/devices/{id}/reinstate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsync($"/api/devices/{id}/reinstate", null)).StatusCode);
        var notRetired = await office.PostAsync($"/api/devices/{id}/reinstate", null);
        Assert.Equal(HttpStatusCode.Conflict, notRetired.StatusCode);
        Assert.Contains("该设备未停用", await notRetired.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await office.PostAsync($"/api/devices/{id}/retire", null)).StatusCode);
        var back = await office.PostAsync($"/api/devices/{id}/reinstate", null);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retiredUtc").ValueKind);
    }
}
