using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>The import pages as an office uses them: upload form, mapping selects, error list, the two buttons, undo.</summary>
public sealed class ImportPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url) => Parser.ParseDocument(await client.GetStringAsync(url));

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, "/imports");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(file), "Input.File", name },
            { new StringContent("adits"), "Input.Kind" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        return await client.PostAsync("/imports?handler=Upload", form);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string handler, params KeyValuePair<string, string>[] fields)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, page);
        return await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_uploads_corrects_the_mapping_imports_the_valid_rows_and_undoes_them(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var numbers = new[] { Spots.Unique("P"), Spots.Unique("P"), Spots.Unique("P") };
        // 备注 holds the township and 地点 the remarks: the user has to swap them.
        var file = Ledger.Xlsx(["序号", "备注", "东经", "北纬", "地点"],
        [
            [numbers[0], "饭坡镇", p1.Lon, p1.Lat, "路边"],
            [numbers[1], "饭坡镇", p2.Lon, p2.Lat, "河边"],
            [numbers[2], "饭坡镇", "待补测", p2.Lat, "山上"],
        ]);
        var uploaded = await UploadAsync(office, file, "页面台账.xlsx");
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var page = uploaded.Headers.Location!.OriginalString;
        Assert.Matches("^/imports/[0-9a-f-]{36}$", page);

        var doc = await GetAsync(office, page);
        Assert.Equal("Description", ((IHtmlSelectElement)doc.QuerySelector("#field-B")!).Value);
        Assert.Contains("乡镇", doc.QuerySelector("#summary")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(doc.QuerySelector("#confirm[disabled]"));

        var remapped = await PostAsync(office, page, "Mapping",
            new("Fields[0]", "Number"), new("Fields[1]", "Township"), new("Fields[2]", "Lon"), new("Fields[3]", "Lat"), new("Fields[4]", "Description"));
        Assert.Equal(HttpStatusCode.Redirect, remapped.StatusCode);
        doc = await GetAsync(office, remapped.Headers.Location!.OriginalString);
        Assert.Equal("Township", ((IHtmlSelectElement)doc.QuerySelector("#field-B")!).Value);
        Assert.Equal("2", doc.QuerySelector("#valid-count")!.TextContent);
        var error = doc.QuerySelector("#errors tbody tr")!.TextContent;
        Assert.Contains("第 4 行", error, StringComparison.Ordinal);
        Assert.Contains("经度“待补测”", error, StringComparison.Ordinal);
        Assert.Contains("table-danger", doc.QuerySelectorAll("#preview tbody tr")[2].ClassName, StringComparison.Ordinal);

        var twice = await PostAsync(office, page, "Mapping",
            new("Fields[0]", "Number"), new("Fields[1]", "Township"), new("Fields[2]", "Lon"), new("Fields[3]", "Lon"), new("Fields[4]", ""));
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Contains("“经度”只能对应一列", Parser.ParseDocument(await twice.Content.ReadAsStringAsync()).QuerySelector("#mapping-errors")!.TextContent, StringComparison.Ordinal);

        var confirmed = await PostAsync(office, page, "Confirm");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var batchPage = confirmed.Headers.Location!.OriginalString;
        Assert.StartsWith("/imports/batches/", batchPage, StringComparison.Ordinal);
        doc = await GetAsync(office, batchPage);
        Assert.Contains("已导入 2 行矿硐数据", doc.QuerySelector("#imported")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("第 4 行", doc.QuerySelector("#rejected")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("路边", await app.WithDbAsync(db => db.Adits().Where(a => a.Number == numbers[0]).Select(a => a.Description).SingleAsync()));
        Assert.Contains("已导入", (await GetAsync(office, page)).QuerySelector("#closed")!.TextContent, StringComparison.Ordinal);

        var listed = await GetAsync(office, "/imports");
        Assert.Contains("页面台账.xlsx", listed.QuerySelector("#batches")!.TextContent, StringComparison.Ordinal);
        var undone = await PostAsync(office, batchPage.Split('?')[0], "Undo");
        Assert.Equal("/imports?done=undone", undone.Headers.Location!.OriginalString);
        Assert.False(await app.WithDbAsync(db => db.Adits().AnyAsync(a => numbers.Contains(a.Number))));
        Assert.Contains("已撤销", (await GetAsync(office, "/imports?done=undone")).QuerySelector("#message")!.TextContent, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Cancel_bad_files_and_strangers_on_the_pages(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var p = Spots.Next();
        var number = Spots.Unique("Q");
        var uploaded = await UploadAsync(office, Ledger.Xlsx(["编号", "乡镇", "经度", "纬度"], [[number, "大坪乡", p.Lon, p.Lat]]), "cancel.xlsx");
        var page = uploaded.Headers.Location!.OriginalString;
        var cancelled = await PostAsync(office, page, "Cancel");
        Assert.Equal("/imports?done=cancelled", cancelled.Headers.Location!.OriginalString);
        Assert.False(await app.WithDbAsync(db => db.Adits().AnyAsync(a => a.Number == number)));
        Assert.Contains("没有导入任何数据", (await GetAsync(office, "/imports?done=cancelled")).QuerySelector("#message")!.TextContent, StringComparison.Ordinal);

        var pdf = await UploadAsync(office, [0x25, 0x50, 0x44, 0x46], "扫描件.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        var doc = Parser.ParseDocument(await pdf.Content.ReadAsStringAsync());
        Assert.Contains("只能上传 Excel（.xlsx）或 CSV 文件", doc.QuerySelector("[data-valmsg-for='Input.File']")!.TextContent, StringComparison.Ordinal);

        var second = await UploadAsync(office, Ledger.Xlsx(["编号", "乡镇", "经度", "纬度"], [[Spots.Unique("Q"), "大坪乡", p.Lon, p.Lat]]), "mine.xlsx");
        var secondPage = second.Headers.Location!.OriginalString;
        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync(secondPage)).StatusCode);
        var leader = await app.LoginAsync("sx-leader");
        var denied = await leader.GetAsync("/imports");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/denied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var anonymous = await app.Anonymous().GetAsync(secondPage);
        Assert.Contains("/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
