using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>POST /api/ingest/events: each event type, idempotent resends, per-index rejections, routing to the right person.</summary>
public sealed class IngestionTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Ingestion_needs_an_integration_key_and_a_non_empty_batch(string provider)
    {
        var app = await TestApp.Shared(provider);
        var body = new { events = new[] { Event(EventTypes.Heartbeat, "x") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/ingest/events", body)).StatusCode);
        var office = await app.LoginAsync("sx-office");
        Assert.NotEqual(HttpStatusCode.OK, (await office.PostAsJsonAsync("/api/ingest/events", body)).StatusCode);

        var (_, integration) = await IntegrationAsync(app);
        var empty = await integration.PostAsJsonAsync("/api/ingest/events", new { events = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("至少一个事件", problem.GetProperty("errors").GetProperty("events")[0].GetString(), StringComparison.Ordinal);
        var tooMany = await integration.PostAsJsonAsync("/api/ingest/events", new { events = Enumerable.Range(0, 1001).Select(_ => new { }).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);

        var openApi = await integration.GetAsync("/api/ingest/openapi.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var doc = await openApi.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/ingest/events", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_small_batch_routes_its_new_alert_itself_so_the_sms_is_in_the_outbox_when_it_answers(string provider)
    {
        // No background router on this app: what is routed was routed by the ingestion itself.
        await using var app = await TestApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Monitoring:RunJobs"] = "false" });
        var resp = await UserIdAsync(app, "sx-resp");
        var (_, keyId, integration, adit, camera) = await CameraAtSealedAditAsync(app, resp);
        var result = await IngestAsync(integration, [Event(EventTypes.Camera, camera, new { subject = "person" }, id: $"in-place-{camera}")]);
        Assert.Equal(1, result.GetProperty("alertsOpened").GetInt32());

        var alert = await AlertOfAsync(app, adit.Id);
        Assert.NotNull(alert.RoutedUtc);
        Assert.Equal(resp, alert.AssigneeUserId);
        var sms = await SmsForAsync(app, alert.Id);
        Assert.Contains(sms, s => s.UserId == resp);
        var police = await UserIdAsync(app, "sx-police");
        Assert.Contains(sms, s => s.UserId == police);
        var timeline = await app.WithDbAsync(db => db.AlertEntries().Where(e => e.AlertId == alert.Id).Select(e => e.Kind).ToListAsync());
        Assert.Equal(["received", "routed"], timeline.Order().ToList());
        // Still one audit record for the batch, which says it routed.
        var key = keyId.ToString();
        var audit = await app.WithDbAsync(db => db.Set<AuditRecord>().Where(r => r.EntityId == key && r.Action == "ingest").Select(r => r.Changes).ToListAsync());
        Assert.Contains("已推送 1 条", Assert.Single(audit), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Set<AuditRecord>().AnyAsync(r => r.Action == "route" && r.EntityId == alert.Id.ToString())));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Camera_at_a_sealed_adit_reaches_its_responsible_person_by_sms_and_the_police_and_a_resend_stores_nothing_twice(string provider)
    {
        var app = await TestApp.Shared(provider);
        var resp = await UserIdAsync(app, "sx-resp");
        var (office, keyId, integration, adit, camera) = await CameraAtSealedAditAsync(app, resp);

        var batch = new[]
        {
            Event(EventTypes.Camera, camera, new { subject = "person", snapshotUrl = "https://video.example/s/1.jpg" }, id: $"c1-{camera}"),
            Event(EventTypes.Camera, camera, new { subject = "vehicle" }, id: $"c2-{camera}"),
        };
        var result = await IngestAsync(integration, batch);
        Assert.Equal(2, result.GetProperty("acceptedCount").GetInt32());
        Assert.Equal(1, result.GetProperty("alertsOpened").GetInt32());
        // One batch, one audit event, not one per event.
        var key = keyId.ToString();
        var audit = await app.WithDbAsync(db => db.Set<AuditRecord>().Where(r => r.EntityId == key || r.EntityType == nameof(DeviceEvent) || r.EntityType == nameof(Alert))
            .Select(r => new { r.Action, r.EntityType, r.EntityId, r.Changes }).ToListAsync());
        var mine = Assert.Single(audit, r => r.EntityId == key && r.Action == "ingest");
        Assert.Contains("接收 2 条", mine.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain(audit, r => r.Action != "ingest" && r.EntityType == nameof(DeviceEvent));

        await RunJobsAsync(app);
        var alert = await AlertOfAsync(app, adit.Id);
        Assert.Equal(AlertSeverity.High, alert.Severity);
        Assert.Equal(2, alert.SignalCount);
        Assert.Equal(resp, alert.AssigneeUserId);
        Assert.NotNull(alert.RoutedUtc);
        var sms = await SmsForAsync(app, alert.Id);
        var phone = await PhoneOfAsync(app, "sx-resp");
        Assert.Contains(sms, s => s.Phone == phone && s.UserId == resp);
        var police = await UserIdAsync(app, "sx-police");
        Assert.Contains(sms, s => s.UserId == police);
        Assert.Equal(2, sms.Count);
        var notes = await app.WithDbAsync(db => db.Set<Notification>().IgnoreQueryFilters().Where(n => n.SourceId == alert.Id).ToListAsync());
        // The responsible person and the police, each once (other tests of the shared app may add police officers).
        Assert.Equal(notes.Count, notes.Select(n => n.UserId).Distinct().Count());
        Assert.Contains(notes, n => n.UserId == police);
        Assert.Contains(notes, n => n.UserId == resp && n.Link == $"/alerts/{alert.Id}");

        // The integration resends the same batch: nothing new is stored, nobody is told again.
        var again = await IngestAsync(integration, batch);
        Assert.Equal(0, again.GetProperty("acceptedCount").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicateCount").GetInt32());
        Assert.Equal([0, 1], again.GetProperty("duplicates").EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(2, await app.WithDbAsync(db => db.DeviceEvents().CountAsync(e => e.ApiKeyId == keyId)));
        await RunJobsAsync(app);
        Assert.Equal(2, (await SmsForAsync(app, alert.Id)).Count);
        Assert.Equal(2, (await AlertOfAsync(app, adit.Id)).SignalCount);

        // The person sees it on the desk and in their notifications; another county does not.
        var person = await app.LoginAsync("sx-resp");
        var detail = await person.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.Id}");
        var timeline = detail.GetProperty("timeline").EnumerateArray().Select(l => l.GetProperty("kind").GetString()).ToList();
        Assert.Contains("received", timeline);
        Assert.Contains("routed", timeline);
        Assert.Contains("sms", timeline);
        Assert.True((await person.GetFromJsonAsync<JsonElement>("/api/notifications/unread-count")).GetProperty("unread").GetInt32() >= 1);
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/alerts/{alert.Id}")).StatusCode);
        Assert.DoesNotContain(alert.Id.ToString(), await hongjiang.GetStringAsync("/api/alerts"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_malformed_event_is_rejected_by_index_and_field_while_the_valid_ones_are_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null);
        var seal = (await DeviceAsync(office, "eseal", keyId, adit.Id)).GetProperty("code").GetString()!;
        var result = await IngestAsync(integration,
            Event(EventTypes.ESeal, seal, new { action = "opened" }),
            new { type = EventTypes.ESeal, deviceId = seal, occurredAt = "2026-11-02T09:30:00+08:00" },
            Event(EventTypes.ESeal, seal, new { action = "melted" }),
            Event(EventTypes.Camera, "no-such-camera", new { subject = "person" }),
            Event(EventTypes.ESeal, seal, new { action = "tampered" }, at: "2026-11-02 09:30"),
            Event("teleport", seal),
            Event(EventTypes.Camera, seal, new { subject = "person" }),
            42);
        Assert.Equal(1, result.GetProperty("acceptedCount").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("errors"));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], rejected.Keys.Order());
        Assert.Contains("事件编号", rejected[1].GetProperty("id")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("opened", rejected[2].GetProperty("action")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("未登记的设备", rejected[3].GetProperty("deviceId")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("带时区", rejected[4].GetProperty("occurredAt")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("未知的事件类型", rejected[5].GetProperty("type")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("电子封条", rejected[6].GetProperty("type")[0].GetString(), StringComparison.Ordinal);
        Assert.True(rejected[7].TryGetProperty("event", out _));
        Assert.Equal(1, await app.WithDbAsync(db => db.DeviceEvents().CountAsync(e => e.ApiKeyId == keyId)));
        await RunJobsAsync(app);
        var alert = await AlertOfAsync(app, adit.Id);
        Assert.Equal("default:eseal", alert.RuleKey);
        // Nobody is named on the adit: its grid's people are told (sx-resp is the grid's responsible person).
        Assert.Equal(await UserIdAsync(app, "sx-resp"), alert.AssigneeUserId);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_efence_entry_warns_the_phone_that_entered_and_alerts_the_township_when_nobody_is_named(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        // No grid, no responsible person: the township's people (sx-patrol works in 陶村林场) are told.
        var adit = await AditAsync(app, null, grid: null, lon: 111.9, lat: 34.0);
        var zone = (await DeviceAsync(office, "efence-zone", keyId, adit.Id, radius: 300)).GetProperty("code").GetString()!;
        var result = await IngestAsync(integration,
            Event(EventTypes.EFence, zone, new { phone = "13912345678" }),
            // A ping by position alone, 100 m from the adit, finds the zone through the index.
            new { id = Guid.NewGuid().ToString("N"), type = EventTypes.EFence, occurredAt = "2026-11-02T09:31:00+08:00", phone = "13912345679", lon = 111.9, lat = 34.0009 },
            new { id = Guid.NewGuid().ToString("N"), type = EventTypes.EFence, occurredAt = "2026-11-02T09:31:00+08:00", phone = "13912345670", lon = 112.5, lat = 34.5 });
        Assert.Equal(3, result.GetProperty("acceptedCount").GetInt32());
        var warnings = await app.WithDbAsync(db => db.Set<SmsMessage>().Where(s => s.SourceType == "efence-warning" && s.Phone.StartsWith("1391234567")).ToListAsync());
        Assert.Equal(["13912345678", "13912345679"], warnings.Select(w => w.Phone).Order());
        Assert.All(warnings, w => Assert.Contains("您已进入废弃矿硐危险区域", w.Text, StringComparison.Ordinal));

        await RunJobsAsync(app);
        var alert = await AlertOfAsync(app, adit.Id);
        Assert.Equal(2, alert.SignalCount);
        Assert.Equal(AlertSeverity.Medium, alert.Severity);
        // The township's people: sx-patrol, and any patrol member other tests of the shared app placed in 陶村林场.
        Assert.Equal("410325400", await app.WithDbAsync(db => db.Users.Where(u => u.Id == alert.AssigneeUserId).Select(u => u.DivisionCode).SingleAsync()));
        Assert.Contains(await SmsForAsync(app, alert.Id), s => s.Phone == "13800000003");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Meter_checkpoint_drone_satellite_and_heartbeat_events_are_kept_without_alerts(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var meter = (await DeviceAsync(office, "meter", keyId, null, divisionCode: Township)).GetProperty("code").GetString()!;
        var checkpoint = (await DeviceAsync(office, "checkpoint", keyId, null, divisionCode: Township)).GetProperty("code").GetString()!;
        var cameraJson = await DeviceAsync(office, "camera", keyId, null, divisionCode: Township);
        var result = await IngestAsync(integration,
            Event(EventTypes.Meter, meter, new { readings = new[] { new { at = "2026-11-02T08:00:00+08:00", kwh = 12.5 } } }),
            Event(EventTypes.Checkpoint, checkpoint, new { plate = "豫C12345", direction = "in" }),
            new { id = Guid.NewGuid().ToString("N"), type = EventTypes.Drone, occurredAt = "2026-11-02T09:00:00+08:00", lon = 111.95, lat = 34.05, note = "洞口有新渣土", photoUrl = "https://uav.example/1.jpg" },
            new { id = Guid.NewGuid().ToString("N"), type = EventTypes.Satellite, occurredAt = "2026-10-30T00:00:00+08:00",
                polygon = new { type = "Polygon", coordinates = new[] { new[] { new[] { 111.95, 34.05 }, new[] { 111.96, 34.05 }, new[] { 111.96, 34.06 }, new[] { 111.95, 34.05 } } } } },
            Event(EventTypes.Heartbeat, cameraJson.GetProperty("code").GetString()!),
            Event(EventTypes.Meter, meter, new { readings = new[] { new { at = "x" } } }));
        Assert.Equal(5, result.GetProperty("acceptedCount").GetInt32());
        Assert.Equal(0, result.GetProperty("alertsOpened").GetInt32());
        Assert.Equal(5, result.GetProperty("rejected")[0].GetProperty("index").GetInt32());
        var stored = await app.WithDbAsync(db => db.DeviceEvents().Where(e => e.ApiKeyId == keyId).ToListAsync());
        Assert.Equal(5, stored.Count);
        var satellite = stored.Single(e => e.Type == EventTypes.Satellite);
        Assert.InRange(satellite.Lon!.Value, 111.95, 111.96);
        Assert.Equal("豫C12345", JsonDocument.Parse(stored.Single(e => e.Type == EventTypes.Checkpoint).Data).RootElement.GetProperty("plate").GetString());
        var camera = await app.WithDbAsync(db => db.Devices().SingleAsync(d => d.Id == cameraJson.GetProperty("id").GetGuid()));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, camera.LastSeenUtc);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Twenty_signals_about_one_adit_make_one_alert_and_one_message(string provider)
    {
        var app = await TestApp.Shared(provider);
        var resp = await UserIdAsync(app, "sx-resp");
        var (office, keyId, integration, adit, camera) = await CameraAtSealedAditAsync(app, resp);
        var seal = (await DeviceAsync(office, "eseal", keyId, adit.Id)).GetProperty("code").GetString()!;
        for (var round = 0; round < 4; round++)
        {
            await IngestAsync(integration, [.. Enumerable.Range(0, 4).Select(_ => Event(EventTypes.Camera, camera, new { subject = "person" })),
                Event(EventTypes.ESeal, seal, new { action = "tampered" })]);
            await RunJobsAsync(app);
        }
        var alert = await AlertOfAsync(app, adit.Id);
        Assert.Equal(20, alert.SignalCount);
        Assert.Equal(20, await app.WithDbAsync(db => db.DeviceEvents().CountAsync(e => e.AlertId == alert.Id)));
        Assert.Single(await SmsForAsync(app, alert.Id), s => s.UserId == resp);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_disabled_default_rule_raises_no_alert_and_a_night_rule_only_at_night(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var (keyId, integration) = await IntegrationAsync(app, "431281");
        var adit = await AditAsync(app, null, grid: "431281102G001", township: "431281102", lon: 110.0, lat: 27.2);
        var drone = (await DeviceAsync(office, "drone", keyId, adit.Id)).GetProperty("code").GetString()!;

        var bad = await office.PostAsJsonAsync("/api/alert-rules", new { name = "", eventTypes = new[] { "rain" }, severity = "huge" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("eventTypes", out _) && errors.TryGetProperty("severity", out _));
        var outside = await office.PostAsJsonAsync("/api/alert-rules", new { name = "越界", divisionCode = "410325", eventTypes = new[] { EventTypes.Drone } });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        var created = await office.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "夜间无人机发现", divisionCode = "431281102", eventTypes = new[] { EventTypes.Drone }, aditZonesOnly = true, nightOnly = true, severity = "high",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("hj-patrol")).PostAsJsonAsync("/api/alert-rules", new { name = "x" })).StatusCode);

        await IngestAsync(integration, Event(EventTypes.Drone, drone, new { lon = 110.0, lat = 27.2 }, at: "2026-11-02T14:00:00+08:00"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Alerts().CountAsync(a => a.AditId == adit.Id)));
        await IngestAsync(integration, Event(EventTypes.Drone, drone, new { lon = 110.0, lat = 27.2 }, at: "2026-11-01T23:00:00+08:00"));
        Assert.Equal(AlertSeverity.High, (await AlertOfAsync(app, adit.Id)).Severity);

        // Switching the e-seal default off for one township: its seals raise nothing, the rest of the county still does.
        var adit2 = await AditAsync(app, null, grid: "431281103G001", township: "431281103", lon: 110.1, lat: 27.3);
        var seal = (await DeviceAsync(office, "eseal", keyId, adit2.Id)).GetProperty("code").GetString()!;
        var off = await office.PostAsJsonAsync("/api/alert-rules", new { name = "停用电子封条默认规则", divisionCode = "431281103", defaultKey = "eseal", enabled = false });
        Assert.Equal(HttpStatusCode.Created, off.StatusCode);
        await IngestAsync(integration, Event(EventTypes.ESeal, seal, new { action = "opened" }));
        Assert.Equal(0, await app.WithDbAsync(db => db.Alerts().CountAsync(a => a.AditId == adit2.Id)));
        var rules = await (await app.LoginAsync("hj-office")).GetFromJsonAsync<JsonElement>("/api/alert-rules");
        Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("key").GetString() == "default:eseal");
    }
}
