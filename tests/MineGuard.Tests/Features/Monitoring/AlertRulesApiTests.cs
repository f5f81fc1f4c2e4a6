using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Monitoring;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>Editing and deleting a jurisdiction's alert rules over HTTP, and the rules page's forms.</summary>
public sealed class AlertRulesApiTests
{
    private static async Task<Guid> RuleAsync(HttpClient office, string name)
    {
        // Created switched off: the shared app's other tests must not see a rule of ours match their events.
        var response = await office.PostAsJsonAsync("/api/alert-rules", new { name, eventTypes = new[] { EventTypes.Drone }, severity = "low", enabled = false });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_rule_is_edited_disabled_and_deleted_by_its_office_and_no_one_else(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = $"夜间无人机-{Guid.NewGuid():N}"[..16];
        var id = await RuleAsync(office, name);
        var adit = await AditAsync(app, null);

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/api/alert-rules/{id}", new { name })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/alert-rules/{id}")).StatusCode);
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.Forbidden, (await patrol.PutAsJsonAsync($"/api/alert-rules/{id}", new { name })).StatusCode);
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound,
            (await hongjiang.PutAsJsonAsync($"/api/alert-rules/{id}", new { name, eventTypes = new[] { EventTypes.Drone } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.DeleteAsync($"/api/alert-rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PutAsJsonAsync($"/api/alert-rules/{Guid.NewGuid()}", new { name })).StatusCode);

        var bad = await office.PutAsJsonAsync($"/api/alert-rules/{id}", new { name = "", eventTypes = new[] { "toaster" }, severity = "extreme", notifyDepartment = "circus" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("规则名称", errors.GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("事件类型", errors.GetProperty("eventTypes")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("级别", errors.GetProperty("severity")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("未知的部门", errors.GetProperty("notifyDepartment")[0].GetString(), StringComparison.Ordinal);

        var edited = await office.PutAsJsonAsync($"/api/alert-rules/{id}", new
        {
            name = name + "改", eventTypes = new[] { EventTypes.Camera, EventTypes.Drone }, subjects = new[] { "person" }, aditId = adit.Id,
            nightOnly = true, severity = "high", notifyDepartment = "public-security", enabled = false,
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var view = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("high", view.GetProperty("severity").GetString());
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Equal("410325", view.GetProperty("divisionCode").GetString());
        var stored = await app.WithDbAsync(db => db.AlertRules().AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal((name + "改", "camera.detection,drone.observation", "person", adit.Id, true, AlertSeverity.High, "public-security", false),
            (stored.Name, stored.EventTypes, stored.Subjects, stored.AditId, stored.NightOnly, stored.Severity, stored.NotifyDepartment, stored.Enabled));

        Assert.Equal(HttpStatusCode.NoContent, (await office.DeleteAsync($"/api/alert-rules/{id}")).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.AlertRules().AnyAsync(r => r.Id == id)));
        Assert.Equal(HttpStatusCode.NotFound, (await office.DeleteAsync($"/api/alert-rules/{id}")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_rules_page_creates_edits_switches_off_and_deletes_a_rule(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var adit = await AditAsync(app, null);
        var name = $"页面规则-{Guid.NewGuid():N}"[..14];
        var token = await TestApp.AntiForgeryTokenAsync(office, "/alert-rules");
        Assert.Contains("id=\"rule-form\"", await office.GetStringAsync("/alert-rules"), StringComparison.Ordinal);

        async Task<string> PostAsync(string url, params (string Key, string Value)[] fields)
        {
            var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token));
            var response = await office.PostAsync(url, new FormUrlEncodedContent(form));
            return await response.Content.ReadAsStringAsync();
        }

        var refused = await PostAsync("/alert-rules?handler=Save", ("Input.Name", ""), ("Input.AditNumber", "NO-SUCH-ADIT"));
        Assert.Contains("未找到该编号的矿硐", refused, StringComparison.Ordinal);
        refused = await PostAsync("/alert-rules?handler=Save", ("Input.Name", ""), ("Input.Severity", "medium"));
        Assert.Contains("请填写规则名称", refused, StringComparison.Ordinal);
        Assert.Contains("请选择事件类型", refused, StringComparison.Ordinal);

        var created = await PostAsync("/alert-rules?handler=Save", ("Input.Name", name), ("Input.EventTypes", EventTypes.Camera),
            ("Input.EventTypes", EventTypes.EFence), ("Input.Subjects", "vehicle"), ("Input.AditNumber", adit.Number), ("Input.NightOnly", "true"),
            ("Input.Severity", "high"), ("Input.NotifyDepartment", "public-security"), ("Input.Enabled", "true"));
        Assert.Contains($"已新建规则：{name}", created, StringComparison.Ordinal);
        var rule = await app.WithDbAsync(db => db.AlertRules().AsNoTracking().SingleAsync(r => r.Name == name));
        Assert.Equal(("camera.detection,efence.entry", "vehicle", adit.Id, true, AlertSeverity.High, true),
            (rule.EventTypes, rule.Subjects, rule.AditId, rule.NightOnly, rule.Severity, rule.Enabled));

        var edit = await office.GetStringAsync($"/alert-rules?id={rule.Id}");
        Assert.Contains("编辑规则", edit, StringComparison.Ordinal);
        Assert.Contains(adit.Number, edit, StringComparison.Ordinal);
        var saved = await PostAsync("/alert-rules?handler=Save", ("Input.Id", rule.Id.ToString()), ("Input.Name", name + "改"),
            ("Input.EventTypes", EventTypes.ESeal), ("Input.Actions", "tampered"), ("Input.AditNumber", adit.Number), ("Input.Severity", "low"),
            ("Input.Enabled", "true"));
        Assert.Contains($"已保存规则：{name}改", saved, StringComparison.Ordinal);
        rule = await app.WithDbAsync(db => db.AlertRules().AsNoTracking().SingleAsync(r => r.Id == rule.Id));
        Assert.Equal(("eseal", "tampered", (Guid?)adit.Id, false, AlertSeverity.Low), (rule.EventTypes, rule.Actions, rule.AditId, rule.NightOnly, rule.Severity));

        Assert.Contains("已停用规则", await PostAsync($"/alert-rules?handler=Toggle&id={rule.Id}"), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.AlertRules().Where(r => r.Id == rule.Id).Select(r => r.Enabled).SingleAsync()));

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/alert-rules?id={rule.Id}")).StatusCode);
        var hjToken = await TestApp.AntiForgeryTokenAsync(hongjiang, "/alert-rules");
        var foreign = await hongjiang.PostAsync($"/alert-rules?handler=Delete&id={rule.Id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = hjToken }));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.DoesNotContain("id=\"rule-form\"", await patrol.GetStringAsync("/alert-rules"), StringComparison.Ordinal);

        Assert.Contains("未删除：请先确认", await PostAsync($"/alert-rules?handler=Delete&id={rule.Id}"), StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(db => db.AlertRules().AnyAsync(r => r.Id == rule.Id)));
        var page = await office.GetStringAsync("/alert-rules");
        Assert.Contains("data-confirm=\"删除规则", page, StringComparison.Ordinal);
        Assert.DoesNotContain("confirm(", page, StringComparison.Ordinal);
        Assert.Contains("已删除规则", await PostAsync($"/alert-rules?handler=Delete&id={rule.Id}", ("confirmed", "true")), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.AlertRules().AnyAsync(r => r.Id == rule.Id)));
    }
}
