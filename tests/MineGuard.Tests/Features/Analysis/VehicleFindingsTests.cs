using MineGuard.Platform.People;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Analysis;
using MineGuard.Features.Clues;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Notifications;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Analysis;

/// <summary>
/// 卡口车辆研判 end to end: <c>checkpoint.passage</c> events sent through ingestion are stored once as passages (a resend
/// with another event id and a differently written plate stores nothing), a night plate and its companion are found and
/// explained with the numbers while a daytime commuter is not, the nearby adit's risk score counts the night passages,
/// the findings become clues routed to the township and the police (once), and plates are masked and scoped by reader.
/// </summary>
public sealed class VehicleFindingsTests
{
    private const string Window = "from=2026-10-01&to=2026-11-01";

    private sealed record Scene(HttpClient Office, Guid AditId, string Checkpoint, string Night, string Companion, string Commuter, HttpClient Integration);

    private static string NewPlate() => $"豫C{Random.Shared.Next(10000, 99999)}";

    /// <summary>A checkpoint at an adit of its own; on eight October nights a plate passes at 23:30 and another 2 minutes
    /// later; a commuter passes at 08:00 on twenty days.</summary>
    private static async Task<Scene> SceneAsync(TestApp app)
    {
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var adit = await AditAsync(app, null, lon: 111.6 + (Random.Shared.NextDouble() * 0.3), lat: 33.8 + (Random.Shared.NextDouble() * 0.2));
        var checkpoint = (await DeviceAsync(office, "checkpoint", keyId, adit.Id)).GetProperty("code").GetString()!;
        var (night, companion, commuter) = (NewPlate(), NewPlate(), NewPlate());
        var events = new List<object>();
        for (var day = 20; day < 28; day++)
        {
            events.Add(Passage(checkpoint, night, $"2026-10-{day:00}T23:30:00+08:00"));
            events.Add(Passage(checkpoint, companion, $"2026-10-{day:00}T23:32:00+08:00"));
        }
        for (var day = 1; day <= 20; day++) events.Add(Passage(checkpoint, commuter, $"2026-10-{day:00}T08:00:00+08:00"));
        await IngestAsync(integration, [.. events]);

        // The night plate sent again under new event ids, written 豫c·NNNNN: the same passages, nothing stored.
        var again = Enumerable.Range(20, 8).Select(day => Passage(checkpoint, $"{night[..1]}c·{night[2..]}", $"2026-10-{day:00}T23:30:00+08:00")).ToArray();
        Assert.Equal(8, (await IngestAsync(integration, again)).GetProperty("acceptedCount").GetInt32());
        return new Scene(office, adit.Id, checkpoint, night, companion, commuter, integration);
    }

    private static object Passage(string checkpoint, string plate, string at) =>
        Event(EventTypes.Checkpoint, checkpoint, new { plate, direction = "in" }, at: at);

    private static async Task<JsonElement> FindingsAsync(HttpClient client, string query = Window)
    {
        var response = await client.GetAsync($"/api/analysis/vehicle-findings?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement? Of(JsonElement view, string plate) =>
        view.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("plate").GetString() == plate).Select(f => (JsonElement?)f).FirstOrDefault();

    [Theory, OnSqlite, OnPostgres]
    public async Task Night_plates_and_companions_are_found_explained_scored_and_routed_as_clues_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        Assert.Equal(8, await app.WithDbAsync(db => db.Set<VehiclePassage>().CountAsync(p => p.Plate == scene.Night)));
        Assert.Equal(8, await app.WithDbAsync(db => db.Set<VehiclePassage>().CountAsync(p => p.Plate == scene.Night && p.IsNight)));

        var view = await FindingsAsync(scene.Office);
        Assert.False(view.GetProperty("masked").GetBoolean());
        var night = Of(view, scene.Night) ?? throw new InvalidOperationException($"no finding for {scene.Night}: {view}");
        Assert.Equal(8, night.GetProperty("night").GetInt32());
        Assert.Equal(8, night.GetProperty("passages").GetInt32());
        Assert.Equal(1, night.GetProperty("checkpoints").GetInt32());
        var mate = Assert.Single(night.GetProperty("companions").EnumerateArray());
        Assert.Equal(scene.Companion, mate.GetProperty("plate").GetString());
        Assert.Equal(8, mate.GetProperty("days").GetInt32());
        Assert.InRange(night.GetProperty("score").GetDouble(), VehicleFindingsApi.ClueScore, 1);
        var explanation = night.GetProperty("explanation").GetString()!;
        Assert.Contains("10月内夜间（22:00–06:00）经过矿区卡口 8 次（共 8 次）", explanation, StringComparison.Ordinal);
        Assert.Contains($"与 {scene.Companion} 同行 8 天", explanation, StringComparison.Ordinal);
        // The legitimate twin: a daytime commuter through the same gate twenty times is no finding.
        Assert.Null(Of(view, scene.Commuter));

        // The adit's risk score counts the night passages at its checkpoint.
        var risk = await scene.Office.GetFromJsonAsync<JsonElement>($"/api/adits/{scene.AditId}/risk");
        var vehicles = risk.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "vehicles");
        Assert.StartsWith("16 次（1 个卡口", vehicles.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.True(vehicles.GetProperty("points").GetDouble() > 0);

        // Findings from the clue threshold become clues at the township, given to the police; asking again opens none.
        var response = await scene.Office.PostAsync($"/api/analysis/vehicle-findings/clues?{Window}", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var record = await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Plate == scene.Night));
        Assert.Equal((Township, "night+companion"), (record.DivisionCode, record.Cause));
        var sourceId = record.Id;
        var clue = await app.WithDbAsync(async db =>
        {
            var source = await db.Set<ClueSource>().AsNoTracking().SingleAsync(s => s.Type == "vehicle" && s.SourceId == sourceId);
            return await db.Set<Clue>().AsNoTracking().SingleAsync(c => c.Id == source.ClueId);
        });
        Assert.Equal(record.ClueId, clue.Id);
        Assert.Equal(Township, clue.DivisionCode);
        Assert.Equal("public-security", clue.DepartmentCode);
        Assert.Contains(scene.Night, clue.Summary, StringComparison.Ordinal);
        Assert.Contains(scene.Checkpoint, clue.Summary, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await (await app.LoginAsync("sx-police")).GetAsync($"/api/clues/{clue.Id}")).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Set<Notification>().AnyAsync(n => n.SourceType == "vehicle" && n.SourceId == clue.Id)));

        var second = await (await scene.Office.PostAsync($"/api/analysis/vehicle-findings/clues?{Window}", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(second.GetProperty("clueIds").EnumerateArray(), id => id.GetGuid() == clue.Id);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ClueSource>().CountAsync(s => s.Type == "vehicle" && s.SourceId == sourceId)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Plates_are_masked_scoped_and_bad_windows_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        const string url = $"/api/analysis/vehicle-findings?{Window}";

        // Unauthenticated.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync($"/api/analysis/vehicle-findings/clues?{Window}", null)).StatusCode);
        // Another county's office sees none of 嵩县's passages.
        var hj = await FindingsAsync(await app.LoginAsync("hj-office"));
        Assert.Null(Of(hj, scene.Night));
        Assert.DoesNotContain(scene.Night, hj.ToString(), StringComparison.Ordinal);
        // Patrol members do not read vehicle findings; departments other than the police see plates masked; only the office opens clues.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).GetAsync(url)).StatusCode);
        var power = await FindingsAsync(await DepartmentUserAsync(app, "power", "13800000002"));
        Assert.True(power.GetProperty("masked").GetBoolean());
        Assert.NotNull(Of(power, VehiclePlates.Mask(scene.Night)));
        Assert.DoesNotContain(scene.Night, power.ToString(), StringComparison.Ordinal);
        var police = await app.LoginAsync("sx-police");
        Assert.NotNull(Of(await FindingsAsync(police), scene.Night));
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsync($"/api/analysis/vehicle-findings/clues?{Window}", null)).StatusCode);

        // Bad windows: a ProblemDetails naming the field.
        Assert.Contains("from", (await Problems.ErrorsAsync(await scene.Office.GetAsync("/api/analysis/vehicle-findings?from=昨天"))).ToString(), StringComparison.Ordinal);
        Assert.Contains("早于", (await Problems.ErrorsAsync(await scene.Office.GetAsync("/api/analysis/vehicle-findings?from=2026-11-01&to=2026-10-01")))
            .GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("366", (await Problems.ErrorsAsync(await scene.Office.GetAsync("/api/analysis/vehicle-findings?from=2024-01-01&to=2026-01-01")))
            .GetProperty("to")[0].GetString(), StringComparison.Ordinal);
        Assert.True((await Problems.ErrorsAsync(await scene.Office.PostAsync("/api/analysis/vehicle-findings/clues?to=x", null))).TryGetProperty("to", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_plate_a_key_person_uses_is_a_finding_with_its_link_for_those_who_may_see_key_persons(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        Assert.Null(Of(await FindingsAsync(scene.Office), scene.Commuter));

        // A plate that is not a plate is refused beside the field.
        var bad = await scene.Office.PostAsJsonAsync("/api/key-persons", new
        {
            name = KeyPersons.KeyPersonFixtures.UniqueName(), idNumber = KeyPersons.TestIds.Next("410325"), division = KeyPersons.KeyPersonFixtures.Fanpo,
            controlLevel = "重点", plates = "12345",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("格式不正确", KeyPersons.KeyPersonFixtures.FirstError(await Problems.ErrorsAsync(bad), "plates"), StringComparison.Ordinal);

        // The commuter's plate, written as people write it, is a key person's vehicle.
        var name = KeyPersons.KeyPersonFixtures.UniqueName();
        var created = await scene.Office.PostAsJsonAsync("/api/key-persons", new
        {
            name, idNumber = KeyPersons.TestIds.Next("410325"), division = KeyPersons.KeyPersonFixtures.Fanpo, controlLevel = "重点",
            plates = $"{scene.Commuter[..1]}c·{scene.Commuter[2..]}、豫CD12345",
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var person = await scene.Office.GetFromJsonAsync<JsonElement>($"/api/key-persons/{id}");
        Assert.Equal($"{scene.Commuter}，豫CD12345", person.GetProperty("plates").GetString());

        var linked = Of(await FindingsAsync(scene.Office), scene.Commuter) ?? throw new InvalidOperationException("the key person's plate is no finding");
        Assert.Contains($"重点人员 {name}（常用车辆）", linked.GetProperty("links").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains($"重点人员 {name}", linked.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        // A leader sees full plates but not key persons: no link, so the commuter is still no finding for them.
        Assert.Null(Of(await FindingsAsync(await app.LoginAsync("sx-leader")), scene.Commuter));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_findings_page_shows_the_same_findings_scoped_masked_and_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        // A window of its own, so the audit line counted is this test's.
        const string url = "/analysis/vehicles?from=2026-10-02&to=2026-11-01";
        const string audited = "2026100116-2026103116";

        // Anonymous: to the log-in page; a patrol member may not read vehicle findings (to the access-denied page).
        var anonymous = await app.Anonymous().GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/login", anonymous.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Found, (await (await app.LoginAsync("sx-patrol")).GetAsync(url)).StatusCode);

        // The office: full plates, counts, companion, score and explanation; the full read is on the audit trail once per read.
        int Audits(MineGuard.Data.AppDbContext db) => db.AuditRecords.Count(a => a.EntityType == nameof(VehiclePassage) && a.EntityId == audited);
        var before = await app.WithDbAsync(db => Task.FromResult(Audits(db)));
        var page = await PageAsync(scene.Office, url);
        var row = Row(page, scene.Night) ?? throw new InvalidOperationException($"no row for {scene.Night}");
        Assert.Contains(">8<", row, StringComparison.Ordinal);
        Assert.Contains($"{scene.Companion}（8 天", row, StringComparison.Ordinal);
        Assert.Contains("10月内夜间（22:00–06:00）经过矿区卡口 8 次（共 8 次）", row, StringComparison.Ordinal);
        Assert.Null(Row(page, scene.Commuter));
        Assert.DoesNotContain("id=\"masked\"", page, StringComparison.Ordinal);
        Assert.Equal(before + 1, await app.WithDbAsync(db => Task.FromResult(Audits(db))));
        // The devices page links here for those who may read it.
        Assert.Contains("href=\"/analysis/vehicles\"", await PageAsync(scene.Office, "/devices"), StringComparison.Ordinal);

        // Another county's office: none of 嵩县's plates.
        var hj = await PageAsync(await app.LoginAsync("hj-office"), url);
        Assert.DoesNotContain(scene.Night, hj, StringComparison.Ordinal);
        Assert.DoesNotContain(VehiclePlates.Mask(scene.Night), hj, StringComparison.Ordinal);

        // The power department sees masked plates only (and its read is not a full read: no audit line added).
        var power = await PageAsync(await DepartmentUserAsync(app, "power", "13800000003"), url);
        Assert.Contains("id=\"masked\"", power, StringComparison.Ordinal);
        Assert.NotNull(Row(power, VehiclePlates.Mask(scene.Night)));
        Assert.DoesNotContain(scene.Night, power, StringComparison.Ordinal);
        Assert.DoesNotContain(scene.Companion, power, StringComparison.Ordinal);
        Assert.Equal(before + 1, await app.WithDbAsync(db => Task.FromResult(Audits(db))));

        // Bad period: the field named beside a Chinese message, no 500.
        var bad = await PageAsync(scene.Office, "/analysis/vehicles?from=2026-11-01&to=2026-10-01");
        Assert.Contains("data-field=\"from\"", bad, StringComparison.Ordinal);
        Assert.Contains("须早于", bad, StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return System.Net.WebUtility.HtmlDecode(body);
    }

    /// <summary>The table row of a plate on the findings page, or null.</summary>
    private static string? Row(string page, string plate)
    {
        var at = page.IndexOf($"data-plate=\"{plate}\"", StringComparison.Ordinal);
        return at < 0 ? null : page[at..page.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_daily_scan_routes_a_finding_once_and_an_explained_one_never_again(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<VehicleScanJob>(app.Services);
        var now = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        // The daily scan opens the clue at the township, given to the police; the commuter is no finding.
        var first = await job.RunOnceAsync(now, default);
        var record = await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Plate == scene.Night));
        Assert.Contains(record.ClueId!.Value, first.ClueIds);
        var clue = await app.WithDbAsync(db => db.Set<Clue>().AsNoTracking().SingleAsync(c => c.Id == record.ClueId));
        Assert.Equal((Township, "public-security"), (clue.DivisionCode, clue.DepartmentCode));
        Assert.Contains("夜间（22:00–06:00）经过矿区卡口 8 次", clue.Summary, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AnyAsync(r => r.Plate == scene.Commuter)));

        // The next day: the same plate and cause, no second clue.
        var second = await job.RunOnceAsync(now.AddDays(1), default);
        Assert.DoesNotContain(record.ClueId.Value, second.ClueIds);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().CountAsync(r => r.Plate == scene.Night)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ClueSource>().CountAsync(s => s.Type == "vehicle" && s.SourceId == record.Id)));

        // Explaining: log-in, the office only, in scope, a note; once.
        var url = $"/api/analysis/vehicle-findings/{record.Id}/explain";
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync(url, new { note = "x" })).StatusCode);
        var bad = await scene.Office.PostAsJsonAsync(url, new { note = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("说明", (await Problems.ErrorsAsync(bad)).GetProperty("note")[0].GetString(), StringComparison.Ordinal);
        var explained = await scene.Office.PostAsJsonAsync(url, new { note = "本矿夜班交接车辆" });
        Assert.True(explained.StatusCode == HttpStatusCode.OK, await explained.Content.ReadAsStringAsync());
        var view = await explained.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("explained", "已说明"), (view.GetProperty("status").GetString(), view.GetProperty("statusName").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await scene.Office.PostAsJsonAsync(url, new { note = "again" })).StatusCode);

        // The same plate keeps passing at night with its companion: explained, so the scan neither refreshes nor routes it.
        var more = new List<object>();
        for (var day = 1; day < 6; day++)
        {
            more.Add(Passage(scene.Checkpoint, scene.Night, $"2026-11-{day:00}T23:30:00+08:00"));
            more.Add(Passage(scene.Checkpoint, scene.Companion, $"2026-11-{day:00}T23:32:00+08:00"));
        }
        await IngestAsync(scene.Integration, [.. more]);
        await job.RunOnceAsync(new DateTime(2026, 11, 7, 0, 0, 0, DateTimeKind.Utc), default);
        var after = await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Plate == scene.Night));
        Assert.Equal(VehicleFindingStatus.Explained, after.Status);
        Assert.Equal(record.LastFoundUtc, after.LastFoundUtc);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ClueSource>().CountAsync(s => s.Type == "vehicle" && s.SourceId == record.Id)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_marks_a_stored_finding_explained_with_the_command_the_api_uses(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<VehicleScanJob>(app.Services);
        await job.RunOnceAsync(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), default);
        var record = await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Plate == scene.Night));
        const string url = "/analysis/vehicles?from=2026-10-02&to=2026-11-01";
        var post = $"/analysis/vehicles?handler=Explain&from=2026-10-02&to=2026-11-01";
        async Task<HttpResponseMessage> ExplainAsync(HttpClient client, string note) =>
            await client.PostAsync(post, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["id"] = record.Id.ToString(), ["note"] = note, ["__RequestVerificationToken"] = await TestApp.AntiForgeryTokenAsync(client, url),
            }));

        // The office sees the stored finding with its form.
        var page = await PageAsync(scene.Office, url);
        Assert.Contains("explain-form", StoredRow(page, record.Id) ?? throw new InvalidOperationException("no stored row"), StringComparison.Ordinal);

        // A leader (read-only) sees the row without the form, and may not post it.
        var leader = await app.LoginAsync("sx-leader");
        Assert.DoesNotContain("explain-form", StoredRow(await PageAsync(leader, url), record.Id) ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await ExplainAsync(leader, "x")).StatusCode);
        // Another county's office: not found.
        Assert.Equal(HttpStatusCode.NotFound, (await ExplainAsync(await app.LoginAsync("hj-office"), "x")).StatusCode);

        // An empty reason: the page again with a Chinese message beside the form, the period and the findings kept, nothing stored.
        var empty = await ExplainAsync(scene.Office, "  ");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var refused = System.Net.WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        Assert.Contains("请填写说明", StoredRow(refused, record.Id)!, StringComparison.Ordinal);
        Assert.NotNull(Row(refused, scene.Night));
        Assert.Contains("value=\"2026-10-02\"", refused, StringComparison.Ordinal);
        Assert.Equal(VehicleFindingStatus.Routed, (await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Id == record.Id))).Status);

        // A reason: stored as the API stores it, the row shows it without a form.
        var done = await ExplainAsync(scene.Office, "本矿夜班交接车辆");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var after = await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Id == record.Id));
        Assert.Equal((VehicleFindingStatus.Explained, "本矿夜班交接车辆"), (after.Status, after.ExplanationNote));
        var row = StoredRow(await PageAsync(scene.Office, url), record.Id)!;
        Assert.Contains("本矿夜班交接车辆", row, StringComparison.Ordinal);
        Assert.DoesNotContain("explain-form", row, StringComparison.Ordinal);
        // The API refuses a second explanation of the same row (the page's command is the API's).
        Assert.Equal(HttpStatusCode.Conflict, (await scene.Office.PostAsJsonAsync($"/api/analysis/vehicle-findings/{record.Id}/explain", new { note = "again" })).StatusCode);
    }

    /// <summary>The stored finding's row on the findings page, or null.</summary>
    private static string? StoredRow(string page, Guid id)
    {
        var at = page.IndexOf($"data-record=\"{id}\"", StringComparison.Ordinal);
        return at < 0 ? null : page[at..page.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_clue_from_a_key_persons_vehicle_says_so_without_the_persons_name(string provider)
    {
        var app = await TestApp.Shared(provider);
        var scene = await SceneAsync(app);
        var name = KeyPersons.KeyPersonFixtures.UniqueName();
        var created = await scene.Office.PostAsJsonAsync("/api/key-persons", new
        {
            name, idNumber = KeyPersons.TestIds.Next("410325"), division = KeyPersons.KeyPersonFixtures.Fanpo, controlLevel = "重点", plates = scene.Commuter,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        // The daily scan counts the key person's vehicle as a link and opens a clue at the township.
        var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<VehicleScanJob>(app.Services);
        await job.RunOnceAsync(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), default);
        var record = await app.WithDbAsync(db => db.Set<VehicleFindingRecord>().AsNoTracking().SingleAsync(r => r.Plate == scene.Commuter));
        Assert.Contains($"重点人员 {name}", record.Explanation, StringComparison.Ordinal);

        // A township user (a leader of the township: sees every department's clues, not key persons) reads the clue.
        var admin = await app.LoginAsync("sx-admin");
        var user = Spots.Unique("twp");
        var made = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = user, displayName = "乡镇领导 测试", password = "test-pass-123", divisionCode = Township, departmentCode = "natural-resources", roles = new[] { "leader" },
            phoneNumber = $"139{Random.Shared.Next(10_000_000, 99_999_999)}",
        });
        Assert.True(made.StatusCode == HttpStatusCode.Created, await made.Content.ReadAsStringAsync());
        var township = await app.LoginAsync(user, "test-pass-123");
        var clue = await township.GetAsync($"/api/clues/{record.ClueId}");
        var body = await clue.Content.ReadAsStringAsync();
        Assert.True(clue.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("关联重点人员", body, StringComparison.Ordinal);
        Assert.DoesNotContain(name, body, StringComparison.Ordinal);
        // The clue list too.
        Assert.DoesNotContain(name, await township.GetStringAsync("/api/clues?source=vehicle"), StringComparison.Ordinal);

        // The stored row on the findings page keeps the link for the office (masked and audited), not for the leader.
        const string url = "/analysis/vehicles?from=2026-10-02&to=2026-11-01";
        Assert.Contains($"重点人员 {name}", StoredRow(await PageAsync(scene.Office, url), record.Id)!, StringComparison.Ordinal);
        var leaderRow = StoredRow(await PageAsync(await app.LoginAsync("sx-leader"), url), record.Id)!;
        Assert.DoesNotContain(name, leaderRow, StringComparison.Ordinal);
        Assert.Contains("关联重点人员", leaderRow, StringComparison.Ordinal);
    }
}
