using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Petitions;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Petitions;

/// <summary>信访事项: recorded, routed by the Hongjiang table, replied to, archived; overdue ones escalate.</summary>
public sealed class PetitionsApiTests
{
    private static object Body(string nature, string? content = null, string division = "431281101", string? receivedOn = null) =>
        new { divisionCode = division, nature, content = content ?? "反映某村后山有人非法采矿 " + Guid.NewGuid().ToString("N")[..6], petitioner = "群众", receivedOn };

    [Theory, OnSqlite, OnPostgres]
    public async Task Petitions_route_by_the_table_to_the_responsible_department(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var expected = new Dictionary<string, string>
        {
            ["非法采矿"] = "自然资源", ["涉爆物品"] = "公安", ["暴力抗法、威胁举报人"] = "公安", ["毁坏林地"] = "林业",
            ["污染环境"] = "生态环境", ["违规供电"] = "电力", ["公职人员参与、包庇"] = "纪委监委",
        };
        foreach (var (nature, department) in expected)
        {
            var response = await office.PostAsJsonAsync("/api/petitions", Body(nature));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var p = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(department, p.GetProperty("department").GetString());
            Assert.Equal("已转办待答复", p.GetProperty("status").GetString());
        }
        // The enum name works as well as the Chinese, and the table is published.
        var byName = await (await office.PostAsJsonAsync("/api/petitions", Body("Pollution"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ecology", byName.GetProperty("departmentCode").GetString());
        var table = await office.GetFromJsonAsync<JsonElement>("/api/petitions/routing");
        Assert.Equal(8, table.GetArrayLength());
        // The discipline commission's user is told of a petition about officials.
        var discipline = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.UserName == "hj-discipline"));
        var told = await app.WithDbAsync(db => db.Set<MineGuard.Platform.Notifications.Notification>().CountAsync(n => n.UserId == discipline.Id && n.SourceType == "petition"));
        Assert.True(told >= 1);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Petitions_need_a_log_in_stay_in_scope_and_name_bad_fields(string provider)
    {
        var app = await TestApp.Shared(provider);
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/petitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/petitions", Body("非法采矿"))).StatusCode);
        var office = await app.LoginAsync("hj-office");
        var created = await (await office.PostAsJsonAsync("/api/petitions", Body("非法采矿"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        var sx = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.NotFound, (await sx.GetAsync($"/api/petitions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sx.PostAsJsonAsync($"/api/petitions/{id}/reply", new { reply = "x" })).StatusCode);
        var bad = await sx.PostAsJsonAsync("/api/petitions", new { divisionCode = "431281101", nature = "闹鬼", content = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("divisionCode", out _));
        Assert.True(errors.TryGetProperty("nature", out _));
        Assert.True(errors.TryGetProperty("content", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("hj-leader")).PostAsJsonAsync("/api/petitions", Body("非法采矿"))).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_responsible_department_replies_and_the_office_archives(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var created = await (await office.PostAsJsonAsync("/api/petitions", Body("暴力抗法、威胁举报人"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/petitions/{id}/archive", new { })).StatusCode);
        // Another department neither sees nor answers the police's petition (departments see their share).
        var discipline = await app.LoginAsync("hj-discipline");
        Assert.Equal(HttpStatusCode.NotFound, (await discipline.PostAsJsonAsync($"/api/petitions/{id}/reply", new { reply = "已阅" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await discipline.GetAsync($"/api/petitions/{id}")).StatusCode);
        var police = await app.LoginAsync("hj-police");
        Assert.Equal(HttpStatusCode.BadRequest, (await police.PostAsJsonAsync($"/api/petitions/{id}/reply", new { reply = "" })).StatusCode);
        var replied = await (await police.PostAsJsonAsync($"/api/petitions/{id}/reply", new { reply = "已立案侦查，已告知信访人" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("已答复", replied.GetProperty("status").GetString());
        var archived = await (await office.PostAsJsonAsync($"/api/petitions/{id}/archive", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("已归档", archived.GetProperty("status").GetString());
        Assert.NotNull(archived.GetProperty("archivedAt").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Overdue_petitions_escalate_once_to_the_office_and_leader(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var office = await app.LoginAsync("hj-office");
        var created = await (await office.PostAsJsonAsync("/api/petitions", Body("违规供电"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("电力", created.GetProperty("department").GetString());
        // The one clock escalates it (the hosted job is stopped so the test decides when a round runs).
        var clock = app.Services.GetRequiredService<MineGuard.Platform.Deadlines.DeadlineJob>();
        await clock.StopAsync(CancellationToken.None);
        async Task<int> EscalateAsync()
        {
            var before = await app.WithDbAsync(db => db.Set<MineGuard.Platform.Deadlines.Deadline>().Where(d => d.SubjectId == id).SumAsync(d => d.Escalations));
            await clock.RunOnceAsync(CancellationToken.None);
            return await app.WithDbAsync(db => db.Set<MineGuard.Platform.Deadlines.Deadline>().Where(d => d.SubjectId == id).SumAsync(d => d.Escalations)) - before;
        }
        Assert.Equal(0, await EscalateAsync());
        app.Clock.Advance(TimeSpan.FromDays(PetitionCommands.DefaultReplyDays + 1));
        Assert.Equal(1, await EscalateAsync());
        Assert.Equal(0, await EscalateAsync());
        var leader = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.UserName == "hj-leader"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<MineGuard.Platform.Notifications.Notification>().CountAsync(n => n.UserId == leader.Id && n.SourceId == id)));
        office = await app.LoginAsync("hj-office");
        var overdue = await office.GetFromJsonAsync<JsonElement>("/api/petitions?overdue=true");
        var item = Assert.Single(overdue.EnumerateArray());
        Assert.True(item.GetProperty("escalated").GetBoolean());
        Assert.True(item.GetProperty("overdue").GetBoolean());
    }
}
