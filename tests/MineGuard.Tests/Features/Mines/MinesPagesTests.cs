using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Mines;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Mines.MineData;

namespace MineGuard.Tests.Features.Mines;

/// <summary>The mine pages as the office uses them: real forms with their anti-forgery tokens.</summary>
public sealed class MinesPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url) => Parser.ParseDocument(await client.GetStringAsync(url));

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        return await client.PostAsync(page, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    private static string? ErrorFor(IHtmlDocument doc, string field) => doc.QuerySelector($"[data-for='{field}']")?.TextContent.Trim();

    private static List<KeyValuePair<string, string>> Form(string name, string licence, string boundary, string validTo = "2030年1月30日") =>
    [
        new("Input.Name", name), new("Input.RightsHolder", "嵩县某矿业有限公司"), new("Input.LicenceNumber", licence),
        new("Input.Mineral", "萤石"), new("Input.Status", "生产"), new("Input.Township", "410325109"),
        new("Input.ValidFrom", "2024-01-31"), new("Input.ValidTo", validTo), new("Input.BoundaryCrs", "WGS84"),
        new("Input.Boundary", boundary),
    ];

    [Theory, OnSqlite, OnPostgres]
    public async Task New_mine_form_shows_each_mistake_beside_its_field_and_keeps_what_was_typed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var page = await GetAsync(office, "/mines/new");
        Assert.Contains("拐点坐标", page.QuerySelector("#boundary-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("饭坡镇", page.QuerySelector("#Input_Township")!.TextContent, StringComparison.Ordinal);

        var projected = "1 3765432.12 38456789.01\n2 3765432.12 38457789.01\n3 3766432.12 38457789.01";
        var fields = Form("", "", projected, validTo: "2030年13月1日");
        fields.RemoveAll(f => f.Key == "Input.Mineral");
        fields.Add(new("Input.Mineral", "金刚石"));
        var response = await PostFormAsync(office, "/mines/new", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("请填写矿山名称", ErrorFor(doc, "Input.Name"));
        Assert.Equal("请填写许可证号", ErrorFor(doc, "Input.LicenceNumber"));
        Assert.Contains("未知的矿种", ErrorFor(doc, "Input.Mineral"), StringComparison.Ordinal);
        Assert.Contains("日期不存在", ErrorFor(doc, "Input.ValidTo"), StringComparison.Ordinal);
        Assert.Contains("投影坐标", ErrorFor(doc, "Input.Boundary"), StringComparison.Ordinal);
        Assert.Equal(projected, ((IHtmlTextAreaElement)doc.QuerySelector("#Input_Boundary")!).Value.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal("410325109", ((IHtmlSelectElement)doc.QuerySelector("#Input_Township")!).Value);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_registers_lists_views_and_edits_a_mine_through_the_pages(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = Unique("页面萤石矿");
        var licence = Licence();
        var created = await PostFormAsync(office, "/mines/new", Form(name, licence, Square(112.1, 34.1)));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detailUrl = created.Headers.Location!.OriginalString.Split('?')[0];

        var detail = await GetAsync(office, detailUrl);
        Assert.Contains(licence, detail.QuerySelector("#mine")!.TextContent, StringComparison.Ordinal);
        var map = detail.QuerySelector("#mine-map")!;
        Assert.Equal(detailUrl.Split('/')[^1], map.GetAttribute("data-mine"));
        Assert.NotNull(detail.QuerySelector("script[type=module][src='/js/mine-map.js']"));
        Assert.Empty(detail.QuerySelectorAll("script:not([src])")); // CSP: script-src 'self', nothing inline

        var list = await GetAsync(office, "/mines?q=" + name);
        var row = Assert.Single(list.QuerySelectorAll("#mines tbody tr"));
        Assert.Contains("饭坡镇", row.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector(".badge-expired"));

        var editUrl = detailUrl + "/edit";
        var edit = await GetAsync(office, editUrl);
        Assert.Equal(licence, ((IHtmlInputElement)edit.QuerySelector("#Input_LicenceNumber")!).Value);
        var bad = await PostFormAsync(office, editUrl, Form(name, licence, "112.05 34.05\n112.06 34.05"));
        var badDoc = Parser.ParseDocument(await bad.Content.ReadAsStringAsync());
        Assert.Contains("至少需要 3 个不同的点", ErrorFor(badDoc, "Input.Boundary"), StringComparison.Ordinal);

        var closed = Form(name, licence, Square(112.1, 34.1), validTo: "2025-12-31");
        closed.RemoveAll(f => f.Key == "Input.Status");
        closed.Add(new("Input.Status", "关闭退出"));
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(office, editUrl, closed)).StatusCode);
        var mine = await app.WithDbAsync(db => db.Set<LicensedMine>().SingleAsync(m => m.LicenceNumber == licence));
        Assert.Equal(MineStatus.Closing, mine.Status);

        var marked = Assert.Single((await GetAsync(office, "/mines?q=" + name)).QuerySelectorAll("#mines tbody tr"));
        Assert.NotNull(marked.QuerySelector(".badge-expired"));
        Assert.NotNull(marked.QuerySelector(".badge-closing"));

        // Another county's office: not found; a leader reads but gets no edit button or form.
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync(detailUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync(editUrl)).StatusCode);
        Assert.Equal(MineGuard.Platform.Web.EmptyRowTagHelper.Text, Assert.Single((await GetAsync(hongjiang, "/mines?q=" + name)).QuerySelectorAll("#mines tbody tr")).TextContent);
        var leader = await app.LoginAsync("sx-leader");
        Assert.Null((await GetAsync(leader, detailUrl)).QuerySelector("#edit-mine"));
        Assert.Null((await GetAsync(leader, "/mines")).QuerySelector("#new-mine"));
        Assert.Equal(HttpStatusCode.Redirect, (await leader.GetAsync(editUrl)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_pages_and_says_which_filter_is_wrong(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var tag = Unique("分页");
        var client = await app.LoginAsync("sx-office");
        for (var i = 0; i < MineCommands.DefaultPageSize + 1; i++)
            await CreateAsync(client, Body(name: $"{tag}{i:D2}", boundary: Square(112.0 + i * 0.005, 34.0)));

        var first = await GetAsync(office, $"/mines?q={tag}");
        Assert.Equal(MineCommands.DefaultPageSize, first.QuerySelectorAll("#mines tbody tr").Length);
        // The one pager of the lists: page 2 keeps the keyword and shows the next mine, 暂无 when nothing matches.
        var next = first.QuerySelector(".pager .page-next")!.GetAttribute("href")!;
        Assert.Contains("q=" + Uri.EscapeDataString(tag), next, StringComparison.Ordinal);
        Assert.EndsWith("p=2", next, StringComparison.Ordinal);
        var second = await GetAsync(office, next);
        var last = Assert.Single(second.QuerySelectorAll("#mines tbody tr"));
        Assert.Contains(tag, last.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(first.QuerySelectorAll("#mines tbody tr"), r => r.TextContent == last.TextContent);
        Assert.Contains("q=" + Uri.EscapeDataString(tag), second.QuerySelector(".pager .page-prev")!.GetAttribute("href")!, StringComparison.Ordinal);
        var none = await GetAsync(office, "/mines?q=" + Unique("无"));
        Assert.Equal(MineGuard.Platform.Web.EmptyRowTagHelper.Text, none.QuerySelector("#mines tbody tr.empty")!.TextContent);

        var bad = await GetAsync(office, "/mines?mineral=钻石");
        Assert.Contains("未知的矿种", bad.QuerySelector("#filter-error")!.TextContent, StringComparison.Ordinal);
    }
}
