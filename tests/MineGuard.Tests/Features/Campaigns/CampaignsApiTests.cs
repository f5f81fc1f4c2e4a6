using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Assignments;
using MineGuard.Features.Campaigns;
using MineGuard.Platform.Deadlines;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Campaigns;

/// <summary>
/// Issue 19 (campaigns) through HTTP: the national plan adopted by a county, a task added, a phase report missed and
/// escalated on the test clock, another reported; the demo national plan; bad phases; scope, department, log-in.
/// </summary>
public sealed class CampaignsApiTests
{
    internal static async Task<JsonElement> OkJson(Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await call;
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{r.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    internal static MultipartFormDataContent ReportForm(string adits = "12", string problems = "3", string rectified = "2")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(adits), "adits" }, { new StringContent(problems), "problems" }, { new StringContent(rectified), "rectified" },
            { new StringContent("0"), "cases" }, { new StringContent("阶段工作报告"), "note" },
        };
        form.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n% report " + Guid.NewGuid() + "\n%%EOF\n")) { Headers = { ContentType = new("application/pdf") } },
            "file", "阶段报告.pdf");
        return form;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    [Theory, OnSqlite, OnPostgres]
    public async Task A_county_adopts_the_national_plan_adds_a_task_misses_a_phase_report_and_is_escalated(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var job = app.Services.GetRequiredService<DeadlineJob>();
        await job.StopAsync(CancellationToken.None);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));

        // A national plan of the test's own, dated from today (the demo plan's days are 2022's).
        var national = await app.WithDbAsync(async db =>
        {
            var c = Campaign.Create("", null, "测试全国专项行动", "测试〔2026〕1号", null, false, null, DateTime.UtcNow);
            db.Add(c);
            db.Add(CampaignPhase.Create(c, 1, "全面排查", today, today.AddDays(10), today.AddDays(10)));
            db.Add(CampaignPhase.Create(c, 2, "集中整治", today.AddDays(11), today.AddDays(40), today.AddDays(40)));
            await db.SaveChangesAsync();
            return c.Id;
        });

        var office = await app.LoginAsync("sx-office");
        var listed = await OkJson(office.GetAsync("/api/campaigns"));
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetGuid() == national && c.GetProperty("adoptable").GetBoolean());

        // The county adopts it: the phases are copied, each report day an assignment of kind report on the clock.
        var adopted = await OkJson(office.PostAsJsonAsync("/api/campaigns", new { parentId = national, divisionCode = "410325" }), HttpStatusCode.Created);
        var id = adopted.GetProperty("id").GetGuid();
        Assert.Equal("county", adopted.GetProperty("level").GetString());
        var phases = adopted.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(2, phases.Count);
        var reportAssignment = phases[0].GetProperty("reportAssignmentId").GetGuid();
        var assignment = await OkJson(office.GetAsync($"/api/assignments/{reportAssignment}"));
        Assert.Equal("report", assignment.GetProperty("kind").GetString());
        Assert.Equal(Day(today.AddDays(10)), assignment.GetProperty("dueOn").GetString());
        // Adopting twice is one adoption.
        Assert.Equal(id, (await OkJson(office.PostAsJsonAsync("/api/campaigns", new { parentId = national, divisionCode = "410325" })))
            .GetProperty("id").GetGuid());

        // Its own task for the first phase, given to the natural-resources bureau: an assignment of kind campaign-task.
        var task = await OkJson(office.PostAsJsonAsync($"/api/campaigns/{id}/tasks", new
        {
            phaseId = phases[0].GetProperty("id").GetGuid(), departmentCode = "natural-resources", title = "建立废弃矿硐台账", dueOn = Day(today.AddDays(5)),
        }), HttpStatusCode.Created);
        var taskAssignment = task.GetProperty("assignmentId").GetGuid();
        Assert.Equal("campaign-task", (await OkJson(office.GetAsync($"/api/assignments/{taskAssignment}"))).GetProperty("kind").GetString());

        //洪江市 sees the national plan but not 嵩县's adoption.
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/campaigns/{id}")).StatusCode);
        Assert.Empty((await OkJson(hj.GetAsync($"/api/campaigns/{national}/progress"))).GetProperty("standings").EnumerateArray());

        // The first report day passes unreported: the one clock escalates the report and the task.
        app.Clock.Advance(TimeSpan.FromDays(12));
        await job.RunOnceAsync(CancellationToken.None);
        office = await app.LoginAsync("sx-office");
        Assert.True((await OkJson(office.GetAsync($"/api/assignments/{reportAssignment}"))).GetProperty("escalationLevel").GetInt32() > 0);
        var progress = await OkJson(office.GetAsync($"/api/campaigns/{national}/progress"));
        var first = progress.GetProperty("standings").EnumerateArray().Single(s => s.GetProperty("ordinal").GetInt32() == 1);
        Assert.Equal("410325", first.GetProperty("divisionCode").GetString());
        Assert.True(first.GetProperty("overdue").GetBoolean());
        Assert.False(first.GetProperty("reported").GetBoolean());
        Assert.True(first.GetProperty("escalationLevel").GetInt32() > 0);
        var summary = progress.GetProperty("phases")[0];
        Assert.Equal(1, summary.GetProperty("overdue").GetInt32());
        Assert.Contains("嵩县", summary.GetProperty("notReported")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(taskAssignment, Assert.Single(progress.GetProperty("overdueTasks").EnumerateArray()).GetProperty("assignmentId").GetGuid());

        // Reported late: stored once, marked late, the report's assignment settled and off the clock.
        var phase1 = phases[0].GetProperty("id").GetGuid();
        var report = await OkJson(office.PostAsync($"/api/campaigns/{id}/phases/{phase1}/report", ReportForm()), HttpStatusCode.Created);
        Assert.True(report.GetProperty("late").GetBoolean());
        Assert.Equal(report.GetProperty("id").GetGuid(),
            (await OkJson(office.PostAsync($"/api/campaigns/{id}/phases/{phase1}/report", ReportForm()))).GetProperty("id").GetGuid());
        Assert.Equal("closed", (await OkJson(office.GetAsync($"/api/assignments/{reportAssignment}"))).GetProperty("status").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => DeadlineClock.Deadlines(db).CountAsync(d => d.SubjectId == reportAssignment && d.ClosedUtc == null)));
        progress = await OkJson(office.GetAsync($"/api/campaigns/{national}/progress"));
        Assert.Equal(1, progress.GetProperty("phases")[0].GetProperty("reported").GetInt32());

        // The police officer reads the campaign, but the task given to another department stays out of their figures.
        var police = await app.LoginAsync("sx-police");
        Assert.Empty((await OkJson(police.GetAsync($"/api/campaigns/{national}/progress"))).GetProperty("overdueTasks").EnumerateArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_demo_national_plan_has_its_four_phases_and_a_county_adopts_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var demo = (await OkJson(office.GetAsync("/api/campaigns"))).EnumerateArray().Single(c => c.GetProperty("title").GetString() == CampaignsDemo.Title);
        Assert.True(demo.GetProperty("isDemo").GetBoolean());
        Assert.Equal("national", demo.GetProperty("level").GetString());
        Assert.Equal(new[] { "2022-07-31", "2022-10-31", "2022-12-31", "2023-02-28" },
            demo.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("reportDueOn").GetString()).ToArray());
        Assert.Equal("2023-03-31", demo.GetProperty("phases")[3].GetProperty("endsOn").GetString());

        // A county adopting it today gets its phases; report days long past open no work to chase.
        var adopted = await OkJson(office.PostAsJsonAsync("/api/campaigns", new { parentId = demo.GetProperty("id").GetGuid() }), HttpStatusCode.Created);
        Assert.Equal(4, adopted.GetProperty("phases").GetArrayLength());
        Assert.All(adopted.GetProperty("phases").EnumerateArray(), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("reportAssignmentId").ValueKind));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Campaign_routes_refuse_bad_phases_other_counties_departments_and_anonymous_callers(string provider)
    {
        var app = await TestApp.Shared(provider);
        var mark = "C" + Guid.NewGuid().ToString("N")[..8];
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/campaigns", new { title = "x" })).StatusCode);

        var city = await app.LoginAsync("ly-office");
        object Body(string starts, string ends, string due, Guid? clientId = null) => new
        {
            clientId, title = $"{mark} 洛阳市专项行动", divisionCode = "4103",
            phases = new[] { new { name = "排查", startsOn = starts, endsOn = ends, reportDueOn = due } },
        };
        Assert.Contains("不能早于开始日期", await ErrorOf(city.PostAsJsonAsync("/api/campaigns", Body("2027-03-01", "2027-02-01", "2027-02-01")), "phases[0].endsOn"),
            StringComparison.Ordinal);
        Assert.Contains("须在阶段起止日期", await ErrorOf(city.PostAsJsonAsync("/api/campaigns", Body("2027-03-01", "2027-07-31", "2027-08-15")),
            "phases[0].reportDueOn"), StringComparison.Ordinal);
        Assert.Contains("区划", await ErrorOf(city.PostAsJsonAsync("/api/campaigns", new
        {
            title = mark, divisionCode = "431281", phases = new[] { new { name = "排查", startsOn = "2027-03-01", endsOn = "2027-07-31", reportDueOn = "2027-07-31" } },
        }), "divisionCode"), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Campaign>().CountAsync(c => c.Title.StartsWith(mark))));

        // Success, sent twice with its client id: stored once.
        var clientId = Guid.NewGuid();
        var created = await OkJson(city.PostAsJsonAsync("/api/campaigns", Body("2027-03-01", "2027-07-31", "2027-07-31", clientId)), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(id, (await OkJson(city.PostAsJsonAsync("/api/campaigns", Body("2027-03-01", "2027-07-31", "2027-07-31", clientId)))).GetProperty("id").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Campaign>().CountAsync(c => c.ClientId == clientId)));
        var phase = created.GetProperty("phases")[0].GetProperty("id").GetGuid();

        // A task outside its phase, or for a division outside the campaign, is refused.
        Assert.Contains("阶段起止日期", await ErrorOf(city.PostAsJsonAsync($"/api/campaigns/{id}/tasks", new { phaseId = phase, title = "x", dueOn = "2027-09-01" }),
            "dueOn"), StringComparison.Ordinal);
        Assert.Contains("区划", await ErrorOf(city.PostAsJsonAsync($"/api/campaigns/{id}/tasks", new { phaseId = phase, title = "x", divisionCode = "431281" }),
            "divisionCode"), StringComparison.Ordinal);
        Assert.Contains("整数", await ErrorOf(city.PostAsync($"/api/campaigns/{id}/phases/{phase}/report", ReportForm(adits: "-3")), "adits"), StringComparison.Ordinal);
        Assert.Contains("不能大于", await ErrorOf(city.PostAsync($"/api/campaigns/{id}/phases/{phase}/report", ReportForm(problems: "1", rectified: "2")), "rectified"),
            StringComparison.Ordinal);

        // 嵩县 (below) reads the city's campaign and may adopt it; 洪江市 (another province) sees nothing of it.
        var county = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.OK, (await county.GetAsync($"/api/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.PostAsJsonAsync($"/api/campaigns/{id}/tasks", new { phaseId = phase, title = "x" })).StatusCode);
        var hj = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.GetAsync($"/api/campaigns/{id}/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hj.PostAsJsonAsync($"/api/campaigns/{id}/tasks", new { phaseId = phase, title = "x" })).StatusCode);
        Assert.DoesNotContain(id.ToString(), await hj.GetStringAsync("/api/campaigns"), StringComparison.Ordinal);
        Assert.Contains("上级", await ErrorOf(hj.PostAsJsonAsync("/api/campaigns", new { parentId = id }), "parentId"), StringComparison.Ordinal);

        // Departments and leaders read; only the office and administrators run campaigns.
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync($"/api/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsJsonAsync("/api/campaigns", new { parentId = id })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("ly-leader")).PostAsJsonAsync("/api/campaigns", new { parentId = id })).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_sent_stage_report_is_the_phase_report_with_the_snapshot_figures_and_its_pdf(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var today = DateOnly.FromDateTime(MineGuard.Platform.Time.ChinaTime.ToLocal(app.Clock.GetUtcNow().UtcDateTime));
        var campaign = await OkJson(office.PostAsJsonAsync("/api/campaigns", new
        {
            title = "阶段报告专项 " + Guid.NewGuid().ToString("N")[..6], divisionCode = "410325",
            phases = new[] { new { name = "排查整治", startsOn = Day(today.AddDays(-30)), endsOn = Day(today.AddDays(10)), reportDueOn = Day(today.AddDays(10)) } },
        }), HttpStatusCode.Created);
        var id = campaign.GetProperty("id").GetGuid();
        var phase = campaign.GetProperty("phases")[0];
        var phaseId = phase.GetProperty("id").GetGuid();
        var reportAssignment = phase.GetProperty("reportAssignmentId").GetGuid();

        // The county's own stage report of the phase's period, generated from the data.
        var stage = await OkJson(office.PostAsJsonAsync("/api/reports", new { from = Day(today.AddDays(-30)), to = Day(today), narrative = "本阶段排查整治情况" }),
            HttpStatusCode.Created);
        var stageId = stage.GetProperty("id").GetGuid();
        MultipartFormDataContent Form(string stageReport) => new() { { new StringContent(stageReport), "stageReport" } };

        // Not yet signed and sent: refused, nothing stored; an unknown report the same.
        Assert.Contains("签发并报送", await ErrorOf(office.PostAsync($"/api/campaigns/{id}/phases/{phaseId}/report", Form(stageId.ToString())), "stageReport"),
            StringComparison.Ordinal);
        Assert.Contains("不存在", await ErrorOf(office.PostAsync($"/api/campaigns/{id}/phases/{phaseId}/report", Form(Guid.NewGuid().ToString())), "stageReport"),
            StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<CampaignReport>().CountAsync(r => r.PhaseId == phaseId)));

        await OkJson((await app.LoginAsync("sx-leader")).PostAsync($"/api/reports/{stageId}/sign-off", null));
        await OkJson(office.PostAsync($"/api/reports/{stageId}/send", null));
        var snapshot = (await OkJson(office.GetAsync($"/api/reports/{stageId}"))).GetProperty("content").GetProperty("board").GetProperty("sections");
        int Figure(string section, string measure) => snapshot.EnumerateArray().Single(x => x.GetProperty("key").GetString() == section)
            .GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("key").GetString() == measure).GetProperty("total").GetProperty("value").GetInt32();

        var report = await OkJson(office.PostAsync($"/api/campaigns/{id}/phases/{phaseId}/report", Form(stageId.ToString())), HttpStatusCode.Created);
        Assert.Equal(Figure("ledger", "known"), report.GetProperty("adits").GetInt32());
        Assert.Equal(Figure("rectification", "new"), report.GetProperty("problems").GetInt32());
        Assert.Equal(Figure("clues", "case"), report.GetProperty("cases").GetInt32());
        Assert.True(Figure("ledger", "known") > 0);
        Assert.False(report.GetProperty("late").GetBoolean());
        Assert.EndsWith(".pdf", report.GetProperty("fileName").GetString(), StringComparison.Ordinal);
        Assert.Contains("阶段报告", report.GetProperty("note").GetString(), StringComparison.Ordinal);
        var fileId = report.GetProperty("fileId").GetGuid();
        var bytes = await app.WithDbAsync(db => db.Set<MineGuard.Platform.Files.StoredFile>().Where(f => f.Id == fileId).Select(f => f.Length).SingleAsync());
        Assert.True(bytes > 1000);
        Assert.Equal("closed", (await OkJson(office.GetAsync($"/api/assignments/{reportAssignment}"))).GetProperty("status").GetString());
        // Sent again: the one stored.
        Assert.Equal(report.GetProperty("id").GetGuid(),
            (await OkJson(office.PostAsync($"/api/campaigns/{id}/phases/{phaseId}/report", Form(stageId.ToString())))).GetProperty("id").GetGuid());
    }
}
