using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Tests.Features.Clues;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Assignments;

/// <summary>督办事项 over HTTP: scope, departments, hidden from lower levels, bad input, completion and second-person verification, reopen, escalation.</summary>
public sealed class AssignmentsApiTests
{
    private static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var r = await client.PostAsJsonAsync("/api/assignments", body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, text);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Assignments_stay_in_their_county_department_and_level_and_refuse_bad_input(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = Guid.NewGuid().ToString("N")[..8];
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(5)).ToString("yyyy-MM-dd");
        var a = (await CreateAsync(office, new { divisionCode = "410325400", kind = "rectification", title = $"整改 {mark}", dueOn = due })).GetProperty("id").GetGuid();
        var police = (await CreateAsync(office, new { divisionCode = "410325400", kind = "report", title = $"报告 {mark}", departmentCode = "public-security", dueOn = due }))
            .GetProperty("id").GetGuid();
        var hidden = (await CreateAsync(office, new { divisionCode = "410325400", kind = "patch-check", title = $"抽查 {mark}", hiddenBelow = "410325", dueOn = due }))
            .GetProperty("id").GetGuid();

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/assignments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/assignments/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/assignments/{a}/complete", new { measures = "x" })).StatusCode);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/assignments/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/assignments/{a}/complete", new { measures = "x" })).StatusCode);
        Assert.DoesNotContain(a.ToString(), await hongjiang.GetStringAsync("/api/assignments?status=all"), StringComparison.Ordinal);

        var officer = await app.LoginAsync("sx-police");
        var seen = await officer.GetStringAsync("/api/assignments?status=all");
        Assert.Contains(police.ToString(), seen, StringComparison.Ordinal);
        Assert.DoesNotContain(a.ToString(), seen, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/api/assignments/{a}")).StatusCode);

        // Hidden below the county: the county office sees it, the township's patrol member does not.
        Assert.Contains(hidden.ToString(), await office.GetStringAsync("/api/assignments"), StringComparison.Ordinal);
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.DoesNotContain(hidden.ToString(), await patrol.GetStringAsync("/api/assignments?status=all"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await patrol.GetAsync($"/api/assignments/{hidden}")).StatusCode);
        Assert.Contains(a.ToString(), await patrol.GetStringAsync("/api/assignments"), StringComparison.Ordinal);

        var past = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(-1)).ToString("yyyy-MM-dd");
        Assert.Contains("早于今天", await ErrorOf(await office.PostAsJsonAsync("/api/assignments", new { divisionCode = "410325400", title = "x", dueOn = past }), "dueOn"), StringComparison.Ordinal);
        Assert.Contains("事项类型", await ErrorOf(await office.PostAsJsonAsync("/api/assignments", new { divisionCode = "410325400", title = "x", kind = "party" }), "kind"), StringComparison.Ordinal);
        Assert.Contains("管辖", await ErrorOf(await office.PostAsJsonAsync("/api/assignments", new { divisionCode = "431281101", title = "x" }), "divisionCode"), StringComparison.Ordinal);
        var (outsider, _) = await CluesApiTests.CadreAsync(app, "431281101");
        Assert.Contains("管辖", await ErrorOf(await office.PostAsJsonAsync("/api/assignments", new { divisionCode = "410325400", title = "x", responsiblePersonId = outsider }), "responsiblePersonId"), StringComparison.Ordinal);
        Assert.Contains("措施", await ErrorOf(await office.PostAsJsonAsync($"/api/assignments/{a}/complete", new { measures = " " }), "measures"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/assignments?status=later")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/assignments/{a}/verify", new { resolution = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/assignments/{a}/complete", new { measures = "x" })).StatusCode);

        // Done by one, verified by another; reopened (counted) and back on the clock.
        await office.PostAsJsonAsync($"/api/assignments/{a}/complete", new { measures = "已拆除设备" });
        var refused = await office.PostAsJsonAsync($"/api/assignments/{a}/verify", new { resolution = "同意" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("完成人以外", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("completed", (await office.GetFromJsonAsync<JsonElement>($"/api/assignments/{a}")).GetProperty("status").GetString());
        var admin = await app.LoginAsync("sx-admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/assignments/{a}/verify", new { resolution = "同意销号" })).StatusCode);
        var reopened = await admin.PostAsJsonAsync($"/api/assignments/{a}/reopen", new { reason = "回头看发现复采" });
        var view = await reopened.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("open", view.GetProperty("status").GetString());
        Assert.Equal(1, view.GetProperty("reopens").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_responsible_persons_inbox_lists_their_assignments_and_an_overdue_one_escalates_once_a_level(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("sx-office");
        var person = await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "sx-resp");
            var p = Person.Create("410325400G001", "赵刚", "13600002222", "陶村林场", "网格员", null, user.Id, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        var created = await CreateAsync(office, new { divisionCode = "410325100", title = "拆除盗采设备", responsiblePersonId = person });
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<SmsMessage>().CountAsync(m => m.SourceId == id && m.Phone == "13600002222")));
        var resp = await app.LoginAsync("sx-resp");
        Assert.Contains((await resp.GetFromJsonAsync<JsonElement>("/api/inbox")).GetProperty("assignments").EnumerateArray(), x => x.GetProperty("id").GetGuid() == id);
        Assert.Contains(id.ToString(), await resp.GetStringAsync("/api/assignments/mine"), StringComparison.Ordinal);

        Assert.DoesNotContain(id.ToString(), await office.GetStringAsync("/api/assignments/overdue"), StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromDays(9));
        office = await app.LoginAsync("sx-office");
        resp = await app.LoginAsync("sx-resp");
        Assert.Contains(id.ToString(), await office.GetStringAsync("/api/assignments/overdue"), StringComparison.Ordinal);
        var escalation = await CluesApiTests.EscalateAsync(app, Assignment.ClockSubject, id);
        Assert.NotNull(escalation);
        Assert.True(escalation.Level >= AnswerLevel.Township);
        Assert.Equal((int)escalation.Level, (await office.GetFromJsonAsync<JsonElement>($"/api/assignments/{id}")).GetProperty("escalationLevel").GetInt32());

        // Done: off the clock, the handler has nothing left to do.
        Assert.Equal(HttpStatusCode.OK, (await resp.PostAsJsonAsync($"/api/assignments/{id}/complete", new { measures = "已拆除" })).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => MineGuard.Platform.Deadlines.DeadlineClock.Deadlines(db).CountAsync(d => d.SubjectId == id && d.ClosedUtc == null)));
    }
}
