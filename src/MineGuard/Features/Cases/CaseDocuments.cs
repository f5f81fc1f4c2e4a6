using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using MineGuard.Data;
using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Pdf;

namespace MineGuard.Features.Cases;

/// <summary>
/// The three documents an officer prints most, as PDF from the case's data: 立案审批表 (filing-approval), 行政处罚决定书
/// (penalty-decision: 行政处罚法 arts. 59, 67, 72; the party's rights of 行政复议 within 60 days and 行政诉讼 within 6 months)
/// and 涉嫌犯罪案件移送书 (criminal-transfer: 国务院令第310号 arts. 3, 6, 7, 8). Read like the case detail (a case outside the
/// caller's filters is a 404); a document whose stage has not happened is a 409. Letterhead:
/// the county office's (<see cref="CaseSettingsDesk"/>), else <c>Cases:LetterheadByCounty:&lt;code&gt;</c>, else the county's name + 自然资源局. Each document printed is kept once per
/// content (<see cref="PdfWriter.ContentHash"/>) through Platform/Files, with a history line on the case; every print is audited.
/// </summary>
public static class CaseDocuments
{
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["filing-approval"] = "立案审批表", ["penalty-decision"] = "行政处罚决定书", ["criminal-transfer"] = "涉嫌犯罪案件移送书",
    };

    public static void MapCaseDocuments(this RouteGroupBuilder api) =>
        api.MapGet("/{id:guid}/documents/{kind}.pdf", Print)
            .WithSummary("打印案件文书 PDF（kind：filing-approval 立案审批表、penalty-decision 行政处罚决定书、criminal-transfer 涉嫌犯罪案件移送书）")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Responses ??= new OpenApiResponses();
                operation.Responses["200"] = new OpenApiResponse
                {
                    Description = "PDF 文书（A4，内嵌中文字体子集）",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/pdf"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
                return Task.CompletedTask;
            });

    /// <summary>Which documents the case's stage allows (the detail page's buttons).</summary>
    public static IEnumerable<string> Available(CaseView c)
    {
        yield return "filing-approval";
        if (c.DecisionOn is not null) yield return "penalty-decision";
        if (c.TransferDecidedUtc is not null && c.TransferRefusedReason is null) yield return "criminal-transfer";
    }

    /// <summary>The detail page's button for each document.</summary>
    public static readonly IReadOnlyDictionary<string, string> Buttons = new Dictionary<string, string>
    {
        ["filing-approval"] = "打印立案审批表", ["penalty-decision"] = "打印处罚决定书", ["criminal-transfer"] = "打印移送书",
    };

    public static string Url(Guid caseId, string kind) => $"/api/cases/{caseId}/documents/{kind}.pdf";

    private static bool TransferApproved(Case c) => c.TransferDecidedUtc is not null && c.TransferRefusedReason is null;

    public static async Task<Results<FileContentHttpResult, NotFound, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, ProblemHttpResult>> Print(Guid id,
        string kind, CaseDesk desk, CaseViews views, CaseRecords records, CaseSettingsDesk settings, IConfiguration config, AppDbContext db,
        HttpContext http, CancellationToken ct)
    {
        if (!Kinds.TryGetValue(kind, out var name))
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 404, Title = "没有这种文书", Detail = $"kind 只能是 {string.Join("、", Kinds.Select(k => $"{k.Key}（{k.Value}）"))}",
                Extensions = { ["errors"] = new Dictionary<string, string[]> { ["kind"] = [$"没有“{kind}”这种文书"] } },
            });
        var c = await desk.FindAsync(id, ct);
        if (c is null) return TypedResults.NotFound();
        Rule.Check(kind != "penalty-decision" || c.DecisionOn is not null, "CaseDocumentNoDecision", "案件尚未作出行政处罚决定，不能打印行政处罚决定书");
        Rule.Check(kind != "criminal-transfer" || TransferApproved(c), "CaseDocumentNoTransfer", "案件移送公安机关尚未经负责人批准，不能打印涉嫌犯罪案件移送书");
        if (PdfFonts.Find(config) is not { } fontFile)
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "无法生成 PDF", detail: PdfFonts.MissingMessage,
                extensions: new Dictionary<string, object?> { ["code"] = "PdfFontMissing" });

        var view = await views.ViewAsync(c, ct);
        var ids = await IdNumbersAsync(c, view, records, db, ct);
        var county = await db.Divisions.Where(d => d.Code == c.CountyCode).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? c.CountyCode;
        var letterhead = await settings.LetterheadAsync(c.CountyCode, county, ct);
        using var pdf = new PdfWriter(fontFile, $"{name} {c.Number}");
        var document = new Content(pdf, view, letterhead, county, ids);
        switch (kind)
        {
            case "filing-approval": document.FilingApproval(); break;
            case "penalty-decision": document.PenaltyDecision(); break;
            default: document.CriminalTransfer(); break;
        }
        var bytes = pdf.ToPdf();
        var hash = pdf.ContentHash;
        var fileName = $"{c.Number}-{name}.pdf";
        var kept = await db.Set<CaseEntry>().Beyond(ScopeExit.ChildrenOfVisible)
            .AnyAsync(e => e.CaseId == c.Id && e.Kind == "document" && e.Text.Contains(hash), ct);
        if (!kept)
        {
            var fileId = await db.StoreAsync(bytes, "application/pdf", fileName, ct);
            desk.Entry(c, "document", $"{db.CurrentUser.DisplayName} 打印{name}（留存文件 {fileId}，内容摘要 {hash}）");
        }
        db.AuditEvent("print", nameof(Case), c.Id.ToString(), $"打印案件 {c.Number} 的{name}" + (ids.Count > 0 ? "（含完整身份证号）" : ""), c.DivisionCode);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(bytes, "application/pdf", fileName);
    }

    /// <summary>Full ID numbers for a reader who may see them (the office and the case's officers; each reveal audited), else none: the form shows them masked.</summary>
    private static async Task<Dictionary<Guid, string>> IdNumbersAsync(Case c, CaseView view, CaseRecords records, AppDbContext db, CancellationToken ct)
    {
        if (!view.MaySeeProtected) return [];
        var parties = await db.Set<CaseParty>().Beyond(ScopeExit.ChildrenOfVisible).Where(p => p.CaseId == c.Id && p.IdNumberProtected != null).ToListAsync(ct);
        return parties.Select(p => (p.Id, Id: records.RevealIdNumber(c, p))).Where(x => x.Id is not null).ToDictionary(x => x.Item1, x => x.Id!);
    }

    /// <summary>The documents' text, written plainly from the law and the case's records.</summary>
    private sealed class Content(PdfWriter pdf, CaseView c, string letterhead, string county, IReadOnlyDictionary<Guid, string> ids)
    {
        private static string Date(DateOnly? d) => d is { } x ? x.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : "    年  月  日";

        private static string Date(DateTime? utc) => utc is { } t ? Date(DateOnly.FromDateTime(Platform.Time.ChinaTime.ToLocal(t))) : Date((DateOnly?)null);

        private static string Yuan(double v) => v.ToString("#,0.##", CultureInfo.InvariantCulture);

        private string Party(PartyView p) => p.Kind == "unit"
            ? $"{p.Name}（统一社会信用代码 {p.CreditCode}）"
            : p.Name + (ids.TryGetValue(p.Id, out var full) ? $"（身份证号码 {full}）" : p.IdNumberMasked is { } masked ? $"（身份证号码 {masked}）" : "");

        private string Parties => c.Parties.Count == 0 ? "（尚未列明当事人）" : string.Join("；", c.Parties.Select(p => Party(p) + (p.Role is { } r ? "，" + r : "")));

        private string Places => string.Join("、", c.Adits.Select(a => "矿硐 " + a.Name).Concat(c.Mines.Select(m => m.Name)));

        private string Seized(SeizureView s) => $"{s.KindName} {s.Description}"
            + (s.WeightKg is { } kg ? $" {Yuan(kg)} 千克" : "") + (s.Quantity is { } q ? $" {q} 件" : "") + (s.Plate is { } plate ? $"（号牌 {plate}）" : "")
            + (s.ValueYuan is { } y ? $"，估值 {Yuan(y)} 元（{s.ValuedBy}）" : "") + $"，存放于 {s.StoragePlace}";

        private void Head(string title)
        {
            pdf.Centered(letterhead, 16, bold: true);
            pdf.Gap(6);
            pdf.Centered(title, 22, bold: true);
            pdf.Gap(4);
            pdf.RightAligned(c.Number);
            pdf.Gap(8);
        }

        public void FilingApproval()
        {
            Head("立案审批表");
            var source = string.Join("；", c.Clues.Select(x => "线索：" + x.Name)) + (c.SourceNote is { } note ? (c.Clues.Count > 0 ? "；" : "") + "上级交办：" + note : "");
            pdf.Table(
            [
                ("案由", c.Title), ("案件类型", c.TypeName), ("案件来源", source), ("案发地", c.DivisionName), ("当事人", Parties),
                ("涉及矿硐、矿山", Places.Length > 0 ? Places : "无"), ("简要案情", c.Facts ?? "见调查材料"), ("承办部门", c.DepartmentName),
                ("承办人员", string.Join("、", c.Officers.Select(o => o.Name))), ("立案日期", Date(c.FiledOn)),
                ("处罚决定期限", $"{Date(c.DecisionDeadline)}（立案之日起 90 日内，行政处罚法第六十条）"),
                ("承办人意见", "经初步核实，有违法事实，依法应予行政处罚，建议立案调查。\n\n承办人（签名）：\n" + Date((DateOnly?)null)),
                ("负责人审批意见", "\n\n负责人（签名）：\n" + Date((DateOnly?)null)),
            ]);
        }

        public void PenaltyDecision()
        {
            Head("行政处罚决定书");
            foreach (var p in c.Parties) pdf.Paragraph("当事人：" + Party(p), indent: false);
            if (c.Parties.Count == 0) pdf.Paragraph("当事人：" + Parties, indent: false);
            pdf.Gap(6);
            pdf.Paragraph($"本机关于{Date(c.FiledOn)}对{c.Title}一案立案调查。经查：{c.Facts ?? c.Title}" + (Places.Length > 0 ? $"（涉及{Places}）。" : "。"));
            if (c.Seizures.Count > 0) pdf.Paragraph("查扣的涉案财物：" + string.Join("；", c.Seizures.Select(Seized)) + "。");
            pdf.Paragraph($"本机关于{Date(c.NoticeOn)}向当事人送达了行政处罚事先告知书，告知拟作出行政处罚的内容及事实、理由、依据，"
                          + "并告知当事人依法享有陈述、申辩和要求听证的权利。当事人在规定期限内未提出陈述、申辩或听证申请，或所提理由不成立。");
            pdf.Paragraph($"当事人的上述行为属于{c.TypeName}，违反了《中华人民共和国矿产资源法》的规定。依据《中华人民共和国矿产资源法》"
                          + "和《中华人民共和国行政处罚法》的有关规定，本机关决定作出如下行政处罚：");
            var n = 0;
            string[] numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
            string Next() => numerals[Math.Min(n++, numerals.Length - 1)];
            if (c.FineYuan is { } fine) pdf.Paragraph($"{Next()}、罚款人民币 {Yuan(fine)} 元；");
            pdf.Paragraph($"{Next()}、{c.DecisionText}；");
            foreach (var s in c.Seizures.Where(s => s.Disposal == "confiscated")) pdf.Paragraph($"{Next()}、没收{Seized(s)}；");
            if (c.FineYuan is not null)
                pdf.Paragraph("当事人应自收到本决定书之日起十五日内，将罚款缴至指定银行或者通过电子支付系统缴纳。到期不缴纳罚款的，本机关可以每日按罚款数额的"
                              + "百分之三加处罚款，并依法申请人民法院强制执行（行政处罚法第六十七条、第七十二条）。");
            pdf.Paragraph($"当事人如不服本处罚决定，可以在收到本决定书之日起六十日内向{county}人民政府申请行政复议，也可以在六个月内依法向人民法院提起行政诉讼。"
                          + "行政复议和行政诉讼期间，本处罚决定不停止执行，法律另有规定的除外。");
            pdf.Signature([letterhead, "（印章）", Date(c.DecisionOn)]);
        }

        public void CriminalTransfer()
        {
            Head("涉嫌犯罪案件移送书");
            var police = c.PoliceUnit ?? county + "公安局";
            pdf.Paragraph(police + "：", indent: false);
            pdf.Paragraph($"本机关在查处{c.Title}一案（{c.TypeName}）中，发现当事人涉嫌犯罪。当事人：{Parties}。");
            pdf.Paragraph($"经查：{c.Facts ?? c.Title}" + (Places.Length > 0 ? $"（涉及{Places}）。" : "。"));
            pdf.Paragraph($"本案移送已经本机关负责人{c.TransferDecidedBy}于{Date(c.TransferDecidedUtc)}批准。根据《行政执法机关移送涉嫌犯罪案件的规定》"
                          + "（国务院令第310号）第三条、第六条的规定，现将该案移送你局，请依法审查，并自接受移送之日起三日内作出立案或者不予立案的决定，书面通知本机关。");
            pdf.Paragraph("随案移送材料：", indent: false);
            var i = 0;
            foreach (var m in CaseStages.Materials.Where(m => m.Key != "transfer-letter")) pdf.Paragraph($"{++i}. {m.Value}", indent: false);
            if (c.Seizures.Count > 0)
                pdf.Table(c.Seizures.Select((s, k) => ($"涉案物品 {k + 1}", Seized(s) + $"，保管人 {s.Keeper}")).ToList());
            pdf.Signature([letterhead, "（印章）", Date(c.TransferDecidedUtc)]);
            pdf.Paragraph($"抄送：{county}人民检察院", indent: false);
        }
    }
}
