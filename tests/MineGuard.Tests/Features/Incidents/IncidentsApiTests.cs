using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Incidents;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Incidents;

/// <summary>
/// 事件/事故 and 安全警示 over HTTP (issue 19): an incident recorded at a demo adit shows the signals that came before it,
/// raises the adit's risk and opens the lesson work; the first report upward escalates on the test clock when missed and
/// settles when the timeline records it; a safety notice reaches the villages' persons by SMS; 401/403/404 and bad input
/// (times out of order, casualties that do not add up) refused with nothing stored; a request sent twice stored once.
/// </summary>
public sealed class IncidentsApiTests
{

    private static string Local(DateTime utc) => ChinaTime.ToLocal(utc).ToString("yyyy-MM-dd HH:mm");

    /// <summary>The Songxian-like body: 10 involved, 2 dead, 7 injured, 1 unharmed; 6 blind rescuers (1 dead, 5 injured).</summary>
    private static object Body(Guid aditId, DateTime occurredUtc, object[] timeline, Guid? clientId = null, int involved = 10) => new
    {
        aditId, occurredAt = Local(occurredUtc), kind = "poisoning", title = "测试“9·26”盗采废弃金矿硐中毒窒息事件 " + Guid.NewGuid().ToString("N")[..6],
        summary = "村民扒开自然坍塌的废弃矿硐盗采金矿石，硐内使用汽油发电机致一氧化碳中毒，村民盲目施救致后果扩大。",
        involved, dead = 2, injured = 7, unharmed = 1, rescued = 9, blindRescuers = 6, blindRescuerDead = 1, blindRescuerInjured = 5,
        oreKg = 540.69, oreValue = 150000m, directLoss = 194000m,
        timeline,
        findings = new object[]
        {
            new { kind = "direct", text = "在通风不良的矿硐内使用汽油发电机，一氧化碳积聚；村民盲目施救" },
            new { kind = "unit", unit = "陶村村民委员会", text = "废弃硐口底数不清，动态巡查流于形式" },
            new { kind = "measure", text = "按标准彻底封堵，做到“三清两断”" },
        },
        accountability = new object[] { new { unit = "县自然资源局", official = "某某", post = "局长", what = "履行行业监管责任不到位", referred = true } },
        clientId,
    };

    private static async Task<Guid> AditWithCheckInsAsync(TestApp app, string county) => await app.WithDbAsync(async db =>
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var withCheckIns = db.CheckIns().Where(c => c.AtUtc < now).Select(c => c.AditId);
        return await db.Adits().Where(a => a.CountyCode == county && withCheckIns.Contains(a.Id)).OrderBy(a => a.Number).Select(a => a.Id).FirstAsync();
    });

    [Theory, OnSqlite, OnPostgres]
    public async Task An_incident_at_a_demo_adit_shows_what_came_before_raises_its_risk_and_opens_the_lesson_work(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var aditId = await AditWithCheckInsAsync(app, "410325");
        var office = await app.LoginAsync("sx-office");
        var riskBefore = await office.GetFromJsonAsync<JsonElement>($"/api/adits/{aditId}/risk");
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var occurred = now.AddHours(-3);
        var timeline = new object[]
        {
            new { at = Local(occurred.AddDays(-3)), kind = "event", what = "4 名村民扒开自然坍塌的洞口进入矿硐" },
            new { at = Local(occurred), kind = "event", what = "硐内使用汽油发电机，2 人先后昏迷" },
            new { at = Local(occurred.AddMinutes(50)), kind = "rescue", what = "6 名村民未带防护进硐施救，相继昏迷" },
            new { at = Local(occurred.AddMinutes(90)), kind = "report", what = "县政府接报后启动应急预案", reportedBy = "城关镇政府", reportedTo = "县委县政府" },
        };
        var created = await Problems.Json(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, timeline)), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        // The "before" side: the adit's patrol check-ins before the incident (the demo's), oldest first.
        var before = created.GetProperty("before").EnumerateArray().ToList();
        Assert.Contains(before, b => b.GetProperty("kind").GetString() == "patrol");
        Assert.True(before.All(b => b.GetProperty("atUtc").GetDateTime() < occurred));
        // Timeline kept in order; the report came 30 minutes after the one-hour rule.
        var lines = created.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal("迟报 30 分钟", lines[3].GetProperty("lateness").GetString());
        Assert.StartsWith("迟报", created.GetProperty("reportStatus").GetString());
        // Lesson work through AssignmentDesk: re-seal and the safety notice (the report was already made: no report task).
        var work = created.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("label").GetString()!).ToList();
        Assert.Equal(2, work.Count);
        Assert.Contains(work, w => w.StartsWith("按标准重新封堵矿硐", StringComparison.Ordinal));
        Assert.Contains(work, w => w.Contains("安全警示", StringComparison.Ordinal));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<Assignment>().CountAsync(a => a.SourceType == "incident" && a.SourceId == id)));

        // The adit's risk rises by the incident signal.
        var riskAfter = await office.GetFromJsonAsync<JsonElement>($"/api/adits/{aditId}/risk");
        var incidentPart = riskAfter.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "incidents");
        Assert.True(incidentPart.GetProperty("points").GetDouble() > 0);
        Assert.True(riskAfter.GetProperty("score").GetDouble() > riskBefore.GetProperty("score").GetDouble());

        // Listed, read and printed by the county; the list of another county holds nothing of it; a leader reads it.
        Assert.Contains(id.ToString(), await office.GetStringAsync("/api/incidents"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await (await app.LoginAsync("sx-leader")).GetAsync($"/api/incidents/{id}")).StatusCode);
        var pdf = await office.GetAsync($"/api/incidents/{id}/summary.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        var other = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/incidents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/incidents/{id}/summary.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/incidents/{id}/timeline", new { timeline })).StatusCode);
        Assert.DoesNotContain(id.ToString(), await other.GetStringAsync("/api/incidents"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_missed_first_report_escalates_on_the_clock_and_the_timeline_settles_it(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var job = app.Services.GetRequiredService<DeadlineJob>();
        await job.StopAsync(CancellationToken.None);
        var aditId = await AditWithCheckInsAsync(app, "410325");
        var office = await app.LoginAsync("sx-office");
        var occurred = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-10);
        var first = new { at = Local(occurred), kind = "event", what = "硐内有人昏迷" };
        var created = await Problems.Json(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, [first])), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var report = await app.WithDbAsync(db => db.Set<Assignment>().SingleAsync(a => a.SourceId == id && a.Kind == AssignmentKinds.Report));
        Assert.StartsWith("事件首报", report.Title, StringComparison.Ordinal);

        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, (await app.WithDbAsync(db => db.Set<Assignment>().SingleAsync(a => a.Id == report.Id))).EscalationLevel);
        app.Clock.Advance(TimeSpan.FromMinutes(75));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.True((await app.WithDbAsync(db => db.Set<Assignment>().SingleAsync(a => a.Id == report.Id))).EscalationLevel > 0);
        var view = await office.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.StartsWith("未报告，已超时", view.GetProperty("reportStatus").GetString(), StringComparison.Ordinal);

        // The report recorded in the timeline settles the work and takes it off the clock; it shows how late it was.
        var reportAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1);
        var timeline = new object[] { first, new { at = Local(reportAt), kind = "report", what = "电话报告", reportedBy = "城关镇", reportedTo = "县应急管理局" } };
        view = await Problems.Json(await office.PutAsJsonAsync($"/api/incidents/{id}/timeline", new { timeline }), HttpStatusCode.OK);
        Assert.StartsWith("迟报", view.GetProperty("reportStatus").GetString(), StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Closed, (await app.WithDbAsync(db => db.Set<Assignment>().SingleAsync(a => a.Id == report.Id))).Status);
        Assert.False(await app.WithDbAsync(db => db.Set<Deadline>().AnyAsync(d => d.SubjectId == report.Id && d.ClosedUtc == null)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_wrong_county_department_and_anonymous_are_refused_and_a_resend_is_stored_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var aditId = await AditWithCheckInsAsync(app, "410325");
        var office = await app.LoginAsync("sx-office");
        var occurred = app.Clock.GetUtcNow().UtcDateTime.AddHours(-5);
        var ordered = new object[] { new { at = Local(occurred), what = "发生" } };
        async Task<int> CountAsync() => await app.WithDbAsync(db => db.Set<Incident>().CountAsync(i => i.AditId == aditId));
        var count = await CountAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/incidents")).StatusCode);
        // A department's officer and a leader read but do not record.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered))).StatusCode);
        // Another county's office cannot record at this adit.
        Assert.Contains("管辖范围", await ErrorOf(await (await app.LoginAsync("hj-office")).PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered)), "aditId"),
            StringComparison.Ordinal);
        // Times out of order.
        var disordered = new object[] { new { at = Local(occurred.AddHours(1)), what = "救援" }, new { at = Local(occurred), what = "发生" } };
        Assert.Contains("早于上一条", await ErrorOf(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, disordered)), "timeline[1].at"),
            StringComparison.Ordinal);
        // Casualties that do not add up.
        Assert.Contains("伤亡人数对不上", await ErrorOf(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered, involved: 9)), "involved"),
            StringComparison.Ordinal);
        // A report without whom it went to, and an unreadable time.
        var noWhom = new object[] { new { at = Local(occurred.AddMinutes(30)), kind = "report", what = "报告" } };
        Assert.Contains("向谁报告", await ErrorOf(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, noWhom)), "timeline[0].reportedTo"),
            StringComparison.Ordinal);
        Assert.Contains("无法识别", await ErrorOf(await office.PostAsJsonAsync("/api/incidents", new { aditId, occurredAt = "昨天", title = "x" }), "occurredAt"),
            StringComparison.Ordinal);
        Assert.Equal(count, await CountAsync());

        // Sent twice: stored once.
        var clientId = Guid.NewGuid();
        var first = await Problems.Json(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered, clientId)), HttpStatusCode.Created);
        var again = await Problems.Json(await office.PostAsJsonAsync("/api/incidents", Body(aditId, occurred, ordered, clientId)), HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(count + 1, await CountAsync());
        // Timeline update out of order refused, nothing changed.
        var id = first.GetProperty("id").GetGuid();
        Assert.Contains("早于上一条", await ErrorOf(await office.PutAsJsonAsync($"/api/incidents/{id}/timeline", new { timeline = disordered }), "timeline[1].at"),
            StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<IncidentEntry>().CountAsync(e => e.IncidentId == id)));
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/incidents/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_safety_notice_reaches_the_villages_persons_by_sms_and_prints_a_poster_with_the_hotline(string provider)
    {
        var app = await TestApp.Shared(provider);
        // A grid of this test's own under a township (administrators add villages and grids), with two persons registered there.
        var admin = await app.LoginAsync("sx-admin");
        var village = (await Problems.Json(await admin.PostAsJsonAsync("/api/admin/divisions",
            new { parentCode = "410325101", kind = "grid", name = $"警示网格{Guid.NewGuid():N}"[..10] }), HttpStatusCode.Created)).GetProperty("code").GetString()!;
        var office = await app.LoginAsync("sx-office");
        var tag = Random.Shared.Next(1000, 9999);
        var phones = new[] { $"1370325{tag}", $"1380325{tag}" };
        foreach (var (phone, n) in phones.Select((p, n) => (p, n)))
            await Problems.Json(await office.PostAsJsonAsync("/api/persons", new { divisionCode = village, name = $"村民{tag}-{n}", phone }), HttpStatusCode.Created);
        // An incident of the county whose lessons opened a "safety notice" work item: the notice issued for it settles it.
        var occurred = app.Clock.GetUtcNow().UtcDateTime.AddHours(-2);
        var incidentId = (await Problems.Json(await office.PostAsJsonAsync("/api/incidents", Body(await AditWithCheckInsAsync(app, "410325"), occurred, [])),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var body = new { kind = "blind-rescue", villageCodes = new[] { village }, clientId = Guid.NewGuid(), incidentId };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/safety-notices", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).PostAsJsonAsync("/api/safety-notices", body)).StatusCode);
        Assert.Contains("管辖范围", await ErrorOf(await (await app.LoginAsync("hj-office")).PostAsJsonAsync("/api/safety-notices", body), "villageCodes"),
            StringComparison.Ordinal);
        Assert.Contains("警示类型", await ErrorOf(await office.PostAsJsonAsync("/api/safety-notices", new { kind = "x", villageCodes = new[] { village } }), "kind"),
            StringComparison.Ordinal);

        var notice = await Problems.Json(await office.PostAsJsonAsync("/api/safety-notices", body), HttpStatusCode.Created);
        var id = notice.GetProperty("id").GetGuid();
        Assert.Equal(id, (await Problems.Json(await office.PostAsJsonAsync("/api/safety-notices", body), HttpStatusCode.OK)).GetProperty("id").GetGuid());
        var sms = await app.WithDbAsync(db => db.Set<SmsMessage>().Where(m => m.SourceType == "safety-notice" && m.SourceId == id).ToListAsync());
        foreach (var phone in phones) Assert.Single(sms, m => m.Phone == phone);
        Assert.All(sms, m => Assert.Contains("盲目", m.Text, StringComparison.Ordinal));
        Assert.All(sms, m => Assert.Contains("举报电话", m.Text, StringComparison.Ordinal));
        var view = await office.GetFromJsonAsync<JsonElement>($"/api/safety-notices/{id}");
        Assert.Equal(sms.Count, view.GetProperty("recipients").GetArrayLength());
        Assert.Equal(sms.Count, view.GetProperty("sent").GetInt32() + view.GetProperty("pending").GetInt32() + view.GetProperty("failed").GetInt32());

        var noticeWork = await app.WithDbAsync(db => db.Set<Assignment>().SingleAsync(a => a.SourceId == incidentId && a.Title.Contains("安全警示")));
        Assert.Equal(AssignmentStatus.Closed, noticeWork.Status);
        Assert.Contains($"向 {sms.Count} 人发送短信", noticeWork.Resolution, StringComparison.Ordinal);

        var poster = await office.GetAsync($"/api/safety-notices/{id}/poster.pdf");
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("application/pdf", poster.Content.Headers.ContentType!.MediaType);
        var other = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/safety-notices/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/safety-notices/{id}/poster.pdf")).StatusCode);
        Assert.DoesNotContain(id.ToString(), await other.GetStringAsync("/api/safety-notices"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_notice_to_every_village_of_the_county_is_issued(string provider)
    {
        // 嵩县 has 340 villages: their codes took 4,419 characters in a column of 4,000, and the notice was refused.
        var app = await TestApp.Shared(provider);
        // Villages are loaded per county when first needed (a picker, a sweep): load 嵩县's as those do.
        await app.WithDbAsync(db => MineGuard.Platform.Jurisdiction.Villages.EnsureCountyAsync(db, "410325", null, CancellationToken.None));
        var villages = await app.WithDbAsync(db => db.Divisions.AsNoTracking()
            .Where(d => d.Level == MineGuard.Platform.Jurisdiction.DivisionLevel.Village && d.Code.StartsWith("410325")).Select(d => d.Code).ToListAsync());
        Assert.True(villages.Count > 4000 / 13, $"{villages.Count} villages");
        var office = await app.LoginAsync("sx-office");
        await Problems.Json(await office.PostAsJsonAsync("/api/persons",
            new { divisionCode = villages[^1], name = $"村民{Random.Shared.Next(1000, 9999)}", phone = $"1370326{Random.Shared.Next(1000, 9999)}" }), HttpStatusCode.Created);
        var notice = await Problems.Json(await office.PostAsJsonAsync("/api/safety-notices",
            new { kind = "blind-rescue", villageCodes = villages, clientId = Guid.NewGuid() }), HttpStatusCode.Created);
        var id = notice.GetProperty("id").GetGuid();
        Assert.Equal(villages.Order(), (await app.WithDbAsync(db => db.Set<MineGuard.Features.Incidents.SafetyNotice>().AsNoTracking()
            .Where(n => n.Id == id).Select(n => n.Villages).SingleAsync())).Split(',').Order());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_demo_holds_the_songxian_like_incident_and_the_notice_that_settled_its_lesson(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var demo = (await office.GetFromJsonAsync<JsonElement>("/api/incidents")).EnumerateArray().Single(i => i.GetProperty("isDemo").GetBoolean());
        Assert.Contains("9·26", demo.GetProperty("title").GetString(), StringComparison.Ordinal);
        var id = demo.GetProperty("id").GetGuid();
        var notice = (await office.GetFromJsonAsync<JsonElement>("/api/safety-notices")).EnumerateArray()
            .Single(n => n.GetProperty("isDemo").GetBoolean() && n.GetProperty("incidentId").GetString() == id.ToString());
        Assert.True(notice.GetProperty("sent").GetInt32() + notice.GetProperty("pending").GetInt32() > 0);
        var detail = await office.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.Contains(detail.GetProperty("assignments").EnumerateArray(),
            a => a.GetProperty("label").GetString()!.Contains("安全警示", StringComparison.Ordinal) && a.GetProperty("status").GetString() == "已办结");
    }
}
