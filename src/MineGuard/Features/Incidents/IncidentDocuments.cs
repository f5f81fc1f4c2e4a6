using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Pdf;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Incidents;

/// <summary>
/// The incident's summary (事件概况: timeline, people, losses, causes, measures, accountability, what came before) and the
/// safety notice's poster (警示海报 with the county's tip hotline), both through <see cref="PdfWriter"/>; every print audited.
/// </summary>
public static class IncidentDocuments
{
    public static ProblemHttpResult? FontMissing(IConfiguration config, out PdfFontSet fonts)
    {
        fonts = PdfFonts.Find(config)!;
        return fonts is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "无法生成 PDF", detail: PdfFonts.MissingMessage,
                extensions: new Dictionary<string, object?> { ["code"] = "PdfFontMissing" })
            : null;
    }

    private static string Yuan(decimal? v) => v is { } x ? x.ToString("#,0.##", CultureInfo.InvariantCulture) + " 元" : "—";

    private static async Task<string> CountyNameAsync(AppDbContext db, string code, CancellationToken ct) =>
        await db.Divisions.Where(d => d.Code == code).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? code;

    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> Summary(Guid id, IncidentQueries queries, AppDbContext db,
        IConfiguration config, HttpContext http, CancellationToken ct)
    {
        var v = await queries.DetailAsync(id, ct);
        if (v is null) return TypedResults.NotFound();
        if (FontMissing(config, out var fonts) is { } problem) return problem;
        var county = await CountyNameAsync(db, v.DivisionCode.Length >= 6 ? v.DivisionCode[..6] : v.DivisionCode, ct);
        using var pdf = new PdfWriter(fonts, v.Title);
        pdf.Centered($"{county}打击非法采矿工作领导小组办公室", 12);
        pdf.Centered(v.Title + "概况", 18, bold: true);
        if (v.IsDemo) pdf.Centered("（演示数据）", 10);
        pdf.Gap(6);
        var p = v.People;
        pdf.Table([
            ("发生时间", ChinaTime.Format(v.OccurredUtc)), ("事件类型", v.KindName), ("发生地点", $"矿硐 {v.AditNumber}{(v.AditName is { } n ? "（" + n + "）" : "")}"),
            ("人员伤亡", $"涉及 {p.Involved} 人：死亡 {p.Dead} 人，受伤 {p.Injured} 人，未受伤 {p.Unharmed} 人；获救 {p.Rescued} 人"),
            ("盲目施救", $"{p.BlindRescuers} 人（其中死亡 {p.BlindRescuerDead} 人、受伤 {p.BlindRescuerInjured} 人）"),
            ("盗采矿石", v.Losses.OreKg is { } kg ? $"{kg.ToString("#,0.##", CultureInfo.InvariantCulture)} 公斤，价值 {Yuan(v.Losses.OreValue)}" : "—"),
            ("直接经济损失", Yuan(v.Losses.DirectLoss)), ("首次上报", v.ReportStatus),
        ]);
        if (v.Summary.Length > 0) Section(pdf, "一、事件概况", [v.Summary]);
        Section(pdf, "二、事件经过", v.Timeline.Select(e => $"{ChinaTime.Format(e.AtUtc)} {e.KindName}：{e.What}"
            + (e.Kind == "report" ? $"（{e.ReportedBy} 报告 {e.ReportedTo}，{e.Lateness}）" : "")).ToList());
        var n2 = 3;
        foreach (var group in v.Findings.GroupBy(f => f.Kind))
            Section(pdf, $"{Chinese(n2++)}、{group.First().KindName}", group.Select(f => (f.Unit is { } u ? u + "：" : "") + f.Text).ToList());
        Section(pdf, $"{Chinese(n2++)}、责任追究", v.Accountability.Select(a => $"{a.Unit}{(a.Official is { } o ? " " + o : "")}{(a.Post is { } post ? "（" + post + "）" : "")}："
            + a.What + (a.Referred ? "（已移交纪检监察机关）" : "")).ToList());
        Section(pdf, $"{Chinese(n2++)}、事发前的线索、预警、巡查与举报", v.Before.Select(b => $"{ChinaTime.Format(b.AtUtc)} {b.KindName}：{b.Text}（{b.Status}"
            + (b.Missed is { } m ? "；" + m : "") + "）").Concat(v.Gaps).ToList());
        Section(pdf, $"{Chinese(n2)}、关联案件与督办事项", v.Cases.Select(c => $"案件 {c.Label}（{c.Status}）").Concat(v.Assignments.Select(a => $"{a.Label}（{a.Status}）")).ToList());
        pdf.Signature([$"{county}打非办", $"打印：{db.CurrentUser.DisplayName}"]);
        var bytes = pdf.ToPdf();
        db.AuditEvent("print", nameof(Incident), v.Id.ToString(), $"打印事件概况：{v.Title}", v.DivisionCode);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(bytes, "application/pdf", "事件概况.pdf");
    }

    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> Poster(Guid id, SafetyNoticeDesk desk, AppDbContext db,
        IConfiguration config, HttpContext http, CancellationToken ct)
    {
        var n = await db.Set<SafetyNotice>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return TypedResults.NotFound();
        if (FontMissing(config, out var fonts) is { } problem) return problem;
        var county = await CountyNameAsync(db, n.DivisionCode, ct);
        using var pdf = new PdfWriter(fonts, n.Title);
        pdf.Gap(40);
        pdf.Centered("安 全 警 示", 32, bold: true);
        pdf.Gap(16);
        pdf.Centered(n.Title, 24, bold: true);
        pdf.Gap(20);
        pdf.Paragraph(n.Text, 16);
        pdf.Gap(12);
        pdf.Paragraph("一氧化碳无色无味，进入废弃矿硐施救的人往往相继中毒。发现险情：不进洞、快报警、等救援。", 14);
        pdf.Gap(24);
        pdf.Centered($"举报电话：{desk.Hotline(n.DivisionCode)}", 20, bold: true);
        pdf.Centered("发现扒开封堵、进入矿硐或盗采矿石，请立即举报，查实有奖", 12);
        if (n.IsDemo) pdf.Centered("（演示数据）", 10);
        pdf.Signature([$"{county}打击非法采矿工作领导小组办公室"]);
        var bytes = pdf.ToPdf();
        db.AuditEvent("print", nameof(SafetyNotice), n.Id.ToString(), $"打印安全警示海报：{n.Title}", n.DivisionCode);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(bytes, "application/pdf", "安全警示.pdf");
    }

    private static void Section(PdfWriter pdf, string heading, IReadOnlyList<string> lines)
    {
        pdf.Gap(8);
        pdf.Paragraph(heading, bold: true, indent: false);
        if (lines.Count == 0) pdf.Paragraph("暂无");
        foreach (var line in lines) pdf.Paragraph(line);
    }

    private static string Chinese(int n) => n switch { 1 => "一", 2 => "二", 3 => "三", 4 => "四", 5 => "五", 6 => "六", 7 => "七", 8 => "八", 9 => "九", 10 => "十", _ => "十" + Chinese(n - 10) };
}
