using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Admin;

/// <summary>The audit page in the administrator's terms: Chinese record types and fields, each change as 字段：旧 → 新.</summary>
public sealed class AuditTextTests
{
    private static readonly HtmlParser Parser = new();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_failed_log_in_shows_as_a_readable_change_of_a_user_with_Chinese_names(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var name = $"audit-{Guid.NewGuid():N}"[..20];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name, displayName = "审计测试", password = "test-pass-123", divisionCode = "410325100",
            departmentCode = "natural-resources", roles = new[] { "patrol" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        // Log-in failures no longer count on the account (throttling is by source and name, see LoginGuard), so the
        // change is made as Identity would make it.
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == name);
            user.AccessFailedCount = 1;
            return await db.SaveChangesAsync();
        });

        // The type may be typed in Chinese.
        var doc = Parser.ParseDocument(await admin.GetStringAsync("/admin/audit?entity=用户&action=update"));
        var row = doc.QuerySelectorAll("#audit tbody tr").First(r => r.TextContent.Contains(id, StringComparison.Ordinal));
        Assert.Equal("用户", row.QuerySelector(".entity span")!.TextContent.Trim());
        var lines = row.QuerySelectorAll(".changes div").Select(d => d.TextContent.Trim()).ToList();
        Assert.Contains("连续登录失败次数：0 → 1", lines);
        Assert.DoesNotContain("AccessFailedCount", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("[", row.QuerySelector(".changes")!.TextContent, StringComparison.Ordinal);

        // The new user's record lists its fields by their Chinese names.
        var create = Parser.ParseDocument(await admin.GetStringAsync("/admin/audit?entity=AppUser&action=create"));
        var createRow = create.QuerySelectorAll("#audit tbody tr").First(r => r.TextContent.Contains(id, StringComparison.Ordinal));
        Assert.Contains($"用户名：{name}", createRow.QuerySelectorAll(".changes div").Select(d => d.TextContent.Trim()));
        Assert.Contains("所属区划：410325100", createRow.QuerySelectorAll(".changes div").Select(d => d.TextContent.Trim()));
    }

    [Fact]
    public void Unknown_fields_keep_their_names_and_text_that_is_not_json_is_shown_as_it_is()
    {
        Assert.Equal(["SomethingNew：（空）", "状态：否 → 是"], MineGuard.Features.Admin.AuditText.Lines("""{"SomethingNew":null,"Status":[false,true]}"""));
        Assert.Equal(["查看完整身份证号"], MineGuard.Features.Admin.AuditText.Lines("查看完整身份证号"));
        Assert.Equal("预警分派", MineGuard.Features.Admin.Pages.AuditModel.ActionName("route"));
        Assert.Equal("矿硐", MineGuard.Features.Admin.AuditText.Entity("Adit"));
    }
}
