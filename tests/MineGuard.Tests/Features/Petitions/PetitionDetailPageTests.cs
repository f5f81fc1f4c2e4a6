using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Petitions;

/// <summary>
/// Issue 11: a petition's own page /petitions/{id}: everything about it and its course, the list's actions, 打印 and 帮助;
/// scoped like the list (another county or a department it was not given to: 404; anonymous: the log-in page).
/// </summary>
public sealed class PetitionDetailPageTests
{
    private static async Task<(Guid Id, string Content)> RecordAsync(HttpClient office, string nature)
    {
        var content = "反映某村后山夜里有人用炸药开洞 " + Guid.NewGuid().ToString("N")[..8];
        var response = await office.PostAsJsonAsync("/api/petitions", new { divisionCode = "410325", nature, content, petitioner = "李四", contact = "13800000001" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), content);
    }

    private static async Task<(HttpStatusCode Status, IHtmlDocument Page, Uri? Location)> PostAsync(HttpClient client, string page, string handler,
        params (string Key, string Value)[] fields)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token));
        var response = await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(form));
        return (response.StatusCode, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()), response.Headers.Location);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_shows_the_petition_and_its_course_and_the_list_links_to_it(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, content) = await RecordAsync(office, "涉爆物品");

        var page = new HtmlParser().ParseDocument(await office.GetStringAsync($"/petitions/{id}"));
        Assert.Equal(content, page.QuerySelector("#content")!.TextContent);
        Assert.Equal("公安", page.QuerySelector("#department")!.TextContent.Trim());
        Assert.Contains("李四", page.QuerySelector("#petition")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("转公安办理", page.QuerySelector("#history")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("王敏", page.QuerySelector("#history")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("button[data-print]"));
        Assert.Equal("/help/petitions", page.QuerySelector("a.help-link")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("#reply-form"));
        Assert.Null(page.QuerySelector("#archive-form"));

        var list = new HtmlParser().ParseDocument(await office.GetStringAsync("/petitions?q=" + Uri.EscapeDataString(content)));
        Assert.Equal($"/petitions/{id}", list.QuerySelector("#petitions tbody a")!.GetAttribute("href"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_is_scoped_like_the_list(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, content) = await RecordAsync(office, "涉爆物品");

        var anonymous = await app.Anonymous().GetAsync($"/petitions/{id}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // Another county: the same answer as for an id that does not exist, and none of the petition's text.
        var other = await (await app.LoginAsync("hj-office")).GetAsync($"/petitions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain(content, await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/petitions/{Guid.NewGuid()}")).StatusCode);

        // The department rule of the API: the police hold what was handed to them; a patrol member holds no department's share.
        Assert.Equal(HttpStatusCode.OK, (await (await app.LoginAsync("sx-police")).GetAsync($"/petitions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("sx-patrol")).GetAsync($"/petitions/{id}")).StatusCode);
        var hongjiang = await app.LoginAsync("hj-office");
        var (status, _, _) = await PostAsync(hongjiang, "/petitions", "Reply", ("id", id.ToString()), ("reply", "已处理"));
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Reply_reroute_and_archive_from_the_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, _) = await RecordAsync(office, "涉爆物品");
        var url = $"/petitions/{id}";

        // A leader reads but does not act.
        var leader = await app.LoginAsync("sx-leader");
        var leaderPage = new HtmlParser().ParseDocument(await leader.GetStringAsync(url));
        Assert.Null(leaderPage.QuerySelector("#reply-form"));

        var (status, page, _) = await PostAsync(office, url, "Route", ("DepartmentCode", "没有这个部门"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("请选择承办部门", page.QuerySelector("[data-for='DepartmentCode']")!.TextContent, StringComparison.Ordinal);
        (status, _, var location) = await PostAsync(office, url, "Route", ("DepartmentCode", "discipline"));
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal($"{url}?done=routed", location!.OriginalString);

        (status, page, _) = await PostAsync(office, url, "Reply", ("Reply", "  "));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("请填写答复内容", page.QuerySelector("[data-for='Reply']")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#problem"));
        (status, _, location) = await PostAsync(office, url, "Reply", ("Reply", "已移交县纪委监委核查"));
        Assert.Equal(HttpStatusCode.Redirect, status);

        page = new HtmlParser().ParseDocument(await office.GetStringAsync(location!.OriginalString));
        Assert.Equal("已记录答复", page.QuerySelector("#message")!.TextContent);
        Assert.Contains("纪委监委", page.QuerySelector("#department")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("答复信访人：已移交县纪委监委核查", page.QuerySelector("#history")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#archive-form"));
        (status, _, location) = await PostAsync(office, url, "Archive");
        Assert.Equal(HttpStatusCode.Redirect, status);
        page = new HtmlParser().ParseDocument(await office.GetStringAsync(location!.OriginalString));
        Assert.Equal("已归档", page.QuerySelector("#status")!.TextContent);
        Assert.Contains("归档", page.QuerySelector("#history")!.TextContent, StringComparison.Ordinal);
    }
}
