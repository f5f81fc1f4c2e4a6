using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Cases;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Files;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static MineGuard.Tests.Features.Cases.CaseFixtures;

namespace MineGuard.Tests.Features.Cases;

/// <summary>The printed documents (立案审批表, 行政处罚决定书, 涉嫌犯罪案件移送书): content, access, stages, keeping, a server without a font.</summary>
public sealed class CaseDocumentsTests(ITestOutputHelper output)
{
    private static string Url(Guid id, string kind) => $"/api/cases/{id}/documents/{kind}.pdf";

    /// <summary>The text of a PDF as PdfPig extracts it, without white space (a wrapped line may split any word).</summary>
    public static string TextOf(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().SelectMany(p => p.Letters).Select(l => l.Value)).Replace(" ", "", StringComparison.Ordinal);
    }

    internal static async Task<string> PdfTextAsync(HttpClient client, Guid id, string kind)
    {
        var r = await client.GetAsync(Url(id, kind));
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        Assert.Equal("application/pdf", r.Content.Headers.ContentType?.MediaType);
        return TextOf(await r.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string> CodeOf(HttpResponseMessage r, HttpStatusCode status)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"{(int)r.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body).GetProperty("code").GetString()!;
    }

    /// <summary>A case of the police department with a person party (王五 + a unique suffix) and a unit party.</summary>
    private static async Task<(HttpClient Officer, Guid Id, string Number, string Person, string IdNumber)> CaseAsync(TestApp app)
    {
        var police = await OfficersAsync(app, "public-security");
        var officer = await app.LoginAsync(police[0].UserName);
        var created = await DirectCaseAsync(officer, "public-security", police.Select(p => p.Id), type: "unlicensed");
        var id = created.GetProperty("id").GetGuid();
        var person = "王五" + Guid.NewGuid().ToString("N")[..4];
        var idNumber = TestIds.Next();
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/parties", new { name = person, idNumber, role = "组织者" }));
        return (officer, id, created.GetProperty("number").GetString()!, person, idNumber);
    }

    [PdfTheory, OnSqlite, OnPostgres]
    public async Task Each_document_carries_the_case_and_waits_for_its_stage(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (officer, id, number, person, idNumber) = await CaseAsync(app);
        var leader = await app.LoginAsync("sx-leader");

        // 立案审批表: the officer (who may see ID numbers) gets the full number, the leader the masked one.
        var filing = await PdfTextAsync(officer, id, "filing-approval");
        foreach (var expected in new[] { "立案审批表", number, person, "嵩县自然资源局", "市打非办交办〔2026〕3号", "无证开采", idNumber })
            Assert.Contains(expected, filing, StringComparison.Ordinal);
        var masked = await PdfTextAsync(leader, id, "filing-approval");
        Assert.Contains(person, masked, StringComparison.Ordinal);
        Assert.Contains("**************" + idNumber[^4..], masked, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, masked, StringComparison.Ordinal);

        // 决定书: 409 until the decision is recorded.
        Assert.Equal("CaseDocumentNoDecision", await CodeOf(await officer.GetAsync(Url(id, "penalty-decision")), HttpStatusCode.Conflict));
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/seizures", new
        {
            kind = "ore", description = "金矿石", weight = 1200, unit = "kg", valueYuan = 36000, valuedBy = "市场询价", storagePlace = "县局罚没物品库", keeper = "刘洋",
        }));
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/notice", new { text = "拟没收矿产品并处罚款 87,654 元" }));
        Assert.Equal("CaseDocumentNoDecision", await CodeOf(await officer.GetAsync(Url(id, "penalty-decision")), HttpStatusCode.Conflict));
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/decision", new { text = "没收违法开采的矿产品，责令停止开采、恢复植被", fineYuan = 87654 }));
        var watch = Stopwatch.StartNew();
        var pdf = await officer.GetByteArrayAsync(Url(id, "penalty-decision"));
        output.WriteLine($"{provider}: 行政处罚决定书 generated in {watch.ElapsedMilliseconds} ms over HTTP, {pdf.Length:N0} bytes (font subsets embedded)");
        var decision = TextOf(pdf);
        foreach (var expected in new[] { "行政处罚决定书", number, person, "嵩县自然资源局", "罚款人民币87,654元", "没收违法开采的矿产品", "金矿石", "六十日内", "行政复议",
                     "六个月内", "行政诉讼", idNumber })
            Assert.Contains(expected, decision, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, await PdfTextAsync(leader, id, "penalty-decision"), StringComparison.Ordinal);
        Assert.Equal("CaseDocumentNoTransfer", await CodeOf(await officer.GetAsync(Url(id, "criminal-transfer")), HttpStatusCode.Conflict));

        // 移送书: 409 while reported, 200 once the head approves; names the police organ, the materials and the approval.
        var (officer2, id2, number2, person2, _) = await CaseAsync(app);
        await OkAsync(officer2.PostAsJsonAsync($"/api/cases/{id2}/transfer/report", new { reason = "盗采矿石价值超过 10 万元，涉嫌非法采矿罪" }));
        Assert.Equal("CaseDocumentNoTransfer", await CodeOf(await officer2.GetAsync(Url(id2, "criminal-transfer")), HttpStatusCode.Conflict));
        await OkAsync((await HeadAsync(app, "public-security")).PostAsJsonAsync($"/api/cases/{id2}/transfer/decision", new { approved = true }));
        var transfer = await PdfTextAsync(officer2, id2, "criminal-transfer");
        foreach (var expected in new[] { "涉嫌犯罪案件移送书", number2, person2, "嵩县自然资源局", "嵩县公安局", "涉嫌犯罪案件情况的调查报告", "涉案物品清单", "国务院令第310号", "批准" })
            Assert.Contains(expected, transfer, StringComparison.Ordinal);
    }

    [PdfTheory, OnSqlite, OnPostgres]
    public async Task Documents_are_read_like_the_case_and_an_unknown_kind_is_named(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (officer, id, _, _, _) = await CaseAsync(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url(id, "filing-approval"))).StatusCode);
        foreach (var user in new[] { "hj-office", "hj-police", "sx-discipline", "sx-patrol", "sx-resp" })
            Assert.True((await (await app.LoginAsync(user)).GetAsync(Url(id, "filing-approval"))).StatusCode == HttpStatusCode.NotFound, user);
        foreach (var user in new[] { "sx-office", "sx-leader", "sx-admin", "sx-police" })
            Assert.True((await (await app.LoginAsync(user)).GetAsync(Url(id, "filing-approval"))).StatusCode == HttpStatusCode.OK, user);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync(Url(Guid.NewGuid(), "filing-approval"))).StatusCode);

        // The API description says what a success carries.
        var api = await OkAsync((await app.LoginAsync("sx-office")).GetAsync("/openapi/v1.json"));
        var operation = api.GetProperty("paths").GetProperty("/api/cases/{id}/documents/{kind}.pdf").GetProperty("get");
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/pdf", out _), operation.GetRawText());

        var unknown = await officer.GetAsync(Url(id, "warrant"));
        var body = await unknown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Contains("kind", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("warrant", problem.GetProperty("errors").GetProperty("kind")[0].GetString()!, StringComparison.Ordinal);
    }

    [PdfTheory, OnSqlite, OnPostgres]
    public async Task A_document_is_kept_once_per_content_and_every_print_is_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (officer, id, number, _, _) = await CaseAsync(app);
        Task<int> KeptAsync() => app.WithDbAsync(db => db.Set<CaseEntry>().CountAsync(e => e.CaseId == id && e.Kind == "document"));
        Task<int> FilesAsync() => app.WithDbAsync(db => db.Set<StoredFile>().CountAsync(f => f.FileName == $"{number}-立案审批表.pdf"));
        Task<int> PrintsAsync() => app.WithDbAsync(db => db.Set<AuditRecord>().CountAsync(a => a.Action == "print" && a.EntityId == id.ToString()));

        await PdfTextAsync(officer, id, "filing-approval");
        await PdfTextAsync(officer, id, "filing-approval");
        Assert.Equal(1, await KeptAsync());
        Assert.Equal(1, await FilesAsync());
        Assert.Equal(2, await PrintsAsync());

        // Changed content is a new document, kept too.
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/parties", new { name = "赵六" + Guid.NewGuid().ToString("N")[..4] }));
        await PdfTextAsync(officer, id, "filing-approval");
        Assert.Equal(2, await KeptAsync());
        Assert.Equal(2, await FilesAsync());
        Assert.Equal(3, await PrintsAsync());
    }

    [PdfTheory, OnSqlite, OnPostgres]
    public async Task A_server_without_a_Chinese_font_answers_503_and_a_configured_font_and_letterhead_are_used(string provider)
    {
        await using (var app = await TestApp.StartAsync(provider, settings: new Dictionary<string, string?>
                     {
                         ["Pdf:FontFile"] = "/nonexistent/MineGuardFont.ttf", ["Pdf:SearchKnownPaths"] = "false",
                     }))
        {
            var (officer, id, _, _, _) = await CaseAsync(app);
            var r = await officer.GetAsync(Url(id, "filing-approval"));
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)r.StatusCode} {body}");
            Assert.Contains("服务器缺少中文字体", body, StringComparison.Ordinal);
            Assert.Contains("fonts-droid-fallback", body, StringComparison.Ordinal);
        }

        var font = MineGuard.Platform.Pdf.PdfFonts.KnownPaths.First(File.Exists);
        var latin = MineGuard.Platform.Pdf.PdfFonts.LatinKnownPaths.First(File.Exists);
        await using (var app = await TestApp.StartAsync(provider, settings: new Dictionary<string, string?>
                     {
                         ["Pdf:FontFile"] = font, ["Pdf:LatinFontFile"] = latin, ["Pdf:SearchKnownPaths"] = "false", ["Cases:LetterheadByCounty:410325"] = "嵩县自然资源局执法监察大队",
                     }))
        {
            var (officer, id, number, _, _) = await CaseAsync(app);
            var text = await PdfTextAsync(officer, id, "filing-approval");
            Assert.Contains("嵩县自然资源局执法监察大队", text, StringComparison.Ordinal);
            Assert.Contains(number, text, StringComparison.Ordinal);
        }
    }
}
