using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Admin;

/// <summary>The admin pages as an administrator uses them: real forms with their anti-forgery tokens.</summary>
public sealed class AdminPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url) => Parser.ParseDocument(await client.GetStringAsync(url));

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    private static string? ErrorFor(IHtmlDocument doc, string field) =>
        (doc.QuerySelector($"[data-valmsg-for='{field}']") ?? doc.QuerySelector($"[data-for='{field}']"))?.TextContent.Trim();

    [Theory, OnSqlite, OnPostgres]
    public async Task Create_user_form_shows_each_mistake_beside_its_field_and_keeps_what_was_typed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var response = await PostFormAsync(admin, "/admin/users",
        [
            new("Input.UserName", "sx-office"), new("Input.DisplayName", "张三"), new("Input.Password", "abc"),
            new("Input.DivisionCode", "431281"), new("Input.DepartmentCode", ""),
        ]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("已被使用", ErrorFor(doc, "Input.UserName"), StringComparison.Ordinal);
        Assert.Contains("超出您的管辖范围", ErrorFor(doc, "Input.DivisionCode"), StringComparison.Ordinal);
        Assert.Equal("请选择部门", ErrorFor(doc, "Input.DepartmentCode"));
        Assert.Equal("至少选择一个角色", ErrorFor(doc, "Input.Roles"));
        Assert.Equal("张三", ((IHtmlInputElement)doc.QuerySelector("#Input_DisplayName")!).Value);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Admin_creates_and_edits_a_user_through_the_pages(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("hj-admin");
        var name = $"page-{Guid.NewGuid():N}"[..16];
        var created = await PostFormAsync(admin, "/admin/users",
        [
            new("Input.UserName", name), new("Input.DisplayName", "页面用户"), new("Input.Password", "Qv8-granite-57w"),
            new("Input.DivisionCode", "431281103000"), new("Input.DepartmentCode", "forestry"), new("Input.Roles", "patrol"),
            new("Input.Roles", "responsible"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var editUrl = created.Headers.Location!.OriginalString.Split('?')[0];

        var list = await GetAsync(admin, "/admin/users?q=" + name);
        Assert.Contains("巡查员、包保责任人", list.QuerySelector("#users tbody")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("托口镇", list.QuerySelector("#users tbody")!.TextContent, StringComparison.Ordinal);

        var bad = await PostFormAsync(admin, editUrl,
            [new("Input.DisplayName", ""), new("Input.DivisionCode", "431281103"), new("Input.DepartmentCode", "forestry"), new("Input.Roles", "patrol"), new("Input.NewPassword", "123")]);
        var badDoc = Parser.ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Equal("请填写姓名", ErrorFor(badDoc, "Input.DisplayName"));
        Assert.Contains("至少需要 10 个字符", ErrorFor(badDoc, "Input.NewPassword"), StringComparison.Ordinal);

        var saved = await PostFormAsync(admin, editUrl,
            [new("Input.DisplayName", "改过的名字"), new("Input.DivisionCode", "431281103"), new("Input.DepartmentCode", "forestry"), new("Input.Roles", "office")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var user = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.UserName == name));
        Assert.Equal("改过的名字", user.DisplayName);

        // Another county's admin gets a 404 for the same page.
        var songxian = await app.LoginAsync("sx-admin");
        Assert.Equal(HttpStatusCode.NotFound, (await songxian.GetAsync(editUrl)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Api_key_page_shows_the_key_once(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var keyName = $"电力公司{Guid.NewGuid():N}"[..12];
        var response = await PostFormAsync(admin, "/admin/api-keys", [new("Input.Name", keyName), new("Input.DivisionCode", "410325")]);
        var doc = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        var plain = doc.QuerySelector("#new-key")!.TextContent.Trim();
        Assert.StartsWith("mg_", plain, StringComparison.Ordinal);

        var again = await admin.GetStringAsync("/admin/api-keys");
        Assert.Contains(keyName, again, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, again, StringComparison.Ordinal);

        var bad = await PostFormAsync(admin, "/admin/api-keys", [new("Input.Name", ""), new("Input.DivisionCode", "abc")]);
        var badDoc = Parser.ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Contains("请填写接入方名称", ErrorFor(badDoc, "Input.Name"), StringComparison.Ordinal);
        Assert.Contains("未知的行政区划代码", ErrorFor(badDoc, "Input.DivisionCode"), StringComparison.Ordinal);
        Assert.Null(badDoc.QuerySelector("#new-key"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Divisions_page_adds_a_grid_below_a_township(string provider)
    {
        var app = await TestApp.Shared(provider);
        var admin = await app.LoginAsync("sx-admin");
        var page = await GetAsync(admin, "/admin/divisions?code=410325109");
        Assert.Contains("饭坡镇", page.QuerySelector(".breadcrumb")!.TextContent, StringComparison.Ordinal);
        var gridName = $"页面网格{Guid.NewGuid():N}"[..10];
        var added = await PostFormAsync(admin, "/admin/divisions?code=410325109",
            [new("Input.ParentCode", "410325109"), new("Input.Kind", "grid"), new("Input.Name", gridName)], "/admin/divisions");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var after = await GetAsync(admin, added.Headers.Location!.OriginalString);
        Assert.Contains(gridName, after.QuerySelector("#children")!.TextContent, StringComparison.Ordinal);

        var bad = await PostFormAsync(admin, "/admin/divisions?code=410325109",
            [new("Input.ParentCode", "410325109"), new("Input.Kind", "village"), new("Input.Name", "某村"), new("Input.Code", "12345")], "/admin/divisions");
        var badDoc = Parser.ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Contains("12 位数字", ErrorFor(badDoc, "Input.Code"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/divisions?code=431281")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Audit_page_lists_the_scope_records_with_filters(string provider)
    {
        var app = await TestApp.Shared(provider);
        await app.LoginAsync("hj-office"); // a log-in record in 洪江市
        var admin = await app.LoginAsync("hj-admin");
        var doc = await GetAsync(admin, "/admin/audit?action=login&actor=hj-office");
        var rows = doc.QuerySelectorAll("#audit tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("登录", r.TextContent, StringComparison.Ordinal));

        // 嵩县's admin does not see 洪江市's records.
        var songxian = await app.LoginAsync("sx-admin");
        var theirs = await GetAsync(songxian, "/admin/audit?actor=hj-office");
        Assert.Empty(theirs.QuerySelectorAll("#audit tbody tr"));

        var bad = await GetAsync(admin, "/admin/audit?from=2026-13-45");
        Assert.Contains("筛选条件格式有误", bad.QuerySelector("#audit-filter")!.TextContent, StringComparison.Ordinal);
        var reversed = await GetAsync(admin, "/admin/audit?from=2026-11-10&to=2026-11-01");
        Assert.Contains("开始日期不能晚于结束日期", reversed.QuerySelector("#audit-filter")!.TextContent, StringComparison.Ordinal);

        var office = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.Redirect, (await office.GetAsync("/admin/audit")).StatusCode);
    }
}
