using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>Arranging monitoring scenarios: an integration key, adits with their people, devices registered over HTTP.</summary>
public static class MonitoringFixtures
{
    /// <summary>陶村林场 (410325400) and its first demo grid, where sx-resp is the grid's responsible person.</summary>
    public const string Township = "410325400";
    public const string Grid = "410325400G001";

    /// <summary>A new integration key in a scope: its id and the client sending with it.</summary>
    public static async Task<(Guid KeyId, HttpClient Client)> IntegrationAsync(TestApp app, string scope = "410325")
    {
        var (key, plain) = await app.WithDbAsync(async db =>
        {
            var created = ApiKey.Create($"测试平台-{Guid.NewGuid():N}"[..20], scope, null, db.Clock.GetUtcNow().UtcDateTime);
            db.ApiKeys.Add(created.Key);
            await db.SaveChangesAsync();
            return created;
        });
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", plain);
        return (key.Id, client);
    }

    public static Task<Guid> UserIdAsync(TestApp app, string userName) =>
        app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    /// <summary>A new adit (sealed unless told otherwise) in a grid or township, with a responsible person or none.</summary>
    public static Task<Adit> AditAsync(TestApp app, Guid? responsible, string? grid = Grid, string township = Township, bool sealedAdit = true,
        double lon = 111.95, double lat = 34.05) =>
        app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var county = township[..6];
            var adit = Adit.Register($"MON-{Guid.NewGuid():N}"[..20], new Adit.Place(county, township, null, grid), lon, lat,
                new Adit.Details("监控测试矿硐", 800, Mineral.Gold, AditOrigin.TheftPoint, null, null, responsible, null), now);
            if (sealedAdit)
                adit.Seal(new Adit.SealWork(new DateOnly(2026, 10, 1), SealMethod.Concrete, null, "施工队", null, null), null, now);
            db.Add(adit);
            await db.SaveChangesAsync();
            return adit;
        });

    /// <summary>Registers a device through the API as the county office; returns its integration code.</summary>
    public static async Task<JsonElement> DeviceAsync(HttpClient office, string kind, Guid keyId, Guid? aditId, string? divisionCode = null,
        int? heartbeatMinutes = null, double? radius = null, string? code = null)
    {
        code ??= $"{kind}-{Guid.NewGuid():N}"[..24];
        var response = await office.PostAsJsonAsync("/api/devices", new
        {
            kind, code, name = $"测试{kind}{code[^4..]}", apiKeyId = keyId, aditId, divisionCode, heartbeatMinutes, radiusMeters = radius,
        });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Created) throw new InvalidOperationException($"device: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>The usual scene: a new key, a sealed adit in 陶村林场's first grid (with this person named), its camera.</summary>
    public sealed record Scene(HttpClient Office, Guid KeyId, HttpClient Integration, Adit Adit, string Camera);

    public static async Task<Scene> CameraAtSealedAditAsync(TestApp app, Guid? responsible)
    {
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var adit = await AditAsync(app, responsible);
        var camera = (await DeviceAsync(office, "camera", keyId, adit.Id)).GetProperty("code").GetString()!;
        return new Scene(office, keyId, integration, adit, camera);
    }

    public static object Event(string type, string deviceId, object? extra = null, string? id = null, string at = "2026-11-02T09:30:00+08:00")
    {
        var e = new Dictionary<string, object?> { ["id"] = id ?? Guid.NewGuid().ToString("N"), ["type"] = type, ["deviceId"] = deviceId, ["occurredAt"] = at };
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject()) e[p.Name] = p.Value;
        }
        return e;
    }

    public static async Task<JsonElement> IngestAsync(HttpClient integration, params object[] events)
    {
        var response = await integration.PostAsJsonAsync("/api/ingest/events", new { events });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ingest: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>A new 部门人员 of 嵩县 in this department, created by the county's administrator and logged in.</summary>
    public static async Task<HttpClient> DepartmentUserAsync(TestApp app, string department, string phone)
    {
        var admin = await app.LoginAsync("sx-admin");
        var name = Spots.Unique(department);
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = $"嵩县{department} 测试", password = "test-pass-123", divisionCode = "410325",
            departmentCode = department, roles = new[] { "department" }, phoneNumber = phone,
        });
        if (created.StatusCode != System.Net.HttpStatusCode.Created) throw new InvalidOperationException($"user: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        return await app.LoginAsync(name, "test-pass-123");
    }

    /// <summary>Runs the alert jobs (route, offline) and then the one clock (escalation) once, as the hosted loops would.</summary>
    public static async Task<AlertJobs.Round> RunJobsAsync(TestApp app)
    {
        var round = await app.Services.GetRequiredService<AlertJobs>().RunOnceAsync(CancellationToken.None);
        await app.Services.GetRequiredService<DeadlineJob>().RunOnceAsync(CancellationToken.None);
        return round;
    }

    /// <summary>Stops this node's hosted alert loop and clock, so the test runs them at the moments it chooses.</summary>
    public static async Task StopJobsAsync(TestApp app)
    {
        await app.Services.GetRequiredService<AlertJobs>().StopAsync(CancellationToken.None);
        await app.Services.GetRequiredService<DeadlineJob>().StopAsync(CancellationToken.None);
    }

    public static Task<int> SendSmsAsync(TestApp app) =>
        app.Services.GetRequiredService<SmsSender>().RunOnceAsync(CancellationToken.None);

    /// <summary>An e-seal at a new adit reports tampering: the adit and its one open alert.</summary>
    public static async Task<(Adit Adit, Guid AlertId)> TamperedSealAlertAsync(TestApp app, HttpClient office)
    {
        var (keyId, integration) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var seal = (await DeviceAsync(office, "eseal", keyId, adit.Id)).GetProperty("code").GetString()!;
        await IngestAsync(integration, Event(EventTypes.ESeal, seal, new { action = "tampered" }));
        await RunJobsAsync(app);
        return (adit, (await AlertOfAsync(app, adit.Id)).Id);
    }

    public static Task<Alert> AlertOfAsync(TestApp app, Guid aditId) =>
        app.WithDbAsync(db => db.Alerts().AsNoTracking().SingleAsync(a => a.AditId == aditId));

    public static Task<List<SmsMessage>> SmsForAsync(TestApp app, Guid alertId) =>
        app.WithDbAsync(db => db.Set<SmsMessage>().AsNoTracking().Where(s => s.SourceId == alertId).ToListAsync());

    public static Task<string?> PhoneOfAsync(TestApp app, string userName) =>
        app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.PhoneNumber).SingleAsync());
}
