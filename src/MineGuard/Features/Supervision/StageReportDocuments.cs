using System.Globalization;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Pdf;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Supervision;

/// <summary>
/// A stage report printed: as PDF (cover, the office's text, each section's table of the division and its children with
/// a bar chart of the ranking, the named overdue items, the referrals, the signature) and as Excel with one sheet per
/// table. Both are made from the report as generated (<see cref="StageReport.ContentJson"/>), never from today's data.
/// </summary>
public static class StageReportDocuments
{
    private static string Day(DateTime? utc) => utc is { } u ? ChinaTime.ToLocal(u).ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : "";

    private static string Period(StageReport r) => $"{r.FromOn:yyyy年M月d日}至{r.ToOn:yyyy年M月d日}";

    private static string NameOf(StageReportContent c, string code) =>
        code == c.Board.Division.Code ? c.Board.Division.Name : c.Board.Children.FirstOrDefault(d => d.Code == code)?.Name ?? code;

    /// <summary>A section's table: one row per child (in code order) and the division's total last; one column per measure.</summary>
    public static (List<string> Headers, List<List<string>> Rows) Table(StageReportContent c, SectionView section)
    {
        var headers = new List<string> { "区划" };
        headers.AddRange(section.Measures.Select(m => m.Unit is null ? m.Name : $"{m.Name}（{m.Unit}）"));
        var rows = c.Board.Children.Select(child => new List<string> { child.Name }
                .Concat(section.Measures.Select(m => (m.Children.FirstOrDefault(f => f.Code == child.Code)?.Value ?? 0).ToString(CultureInfo.InvariantCulture)))
                .ToList())
            .ToList();
        rows.Add(new List<string> { "合计（" + c.Board.Division.Name + "）" }.Concat(section.Measures.Select(m => m.Total.Value.ToString(CultureInfo.InvariantCulture))).ToList());
        return (headers, rows);
    }

    /// <summary>The measure a section's chart ranks: its first measure where more is worse, else its first.</summary>
    public static MeasureView ChartMeasure(SectionView section) =>
        section.Measures.FirstOrDefault(m => m.HigherIsWorse && m.Total.Value > 0) ?? section.Measures[0];

    public static byte[] Pdf(StageReport r, StageReportContent c, string divisionName, PdfFontSet fonts)
    {
        using var pdf = new PdfWriter(fonts, r.Title);
        pdf.Gap(120);
        pdf.Centered(r.Title, 20, bold: true);
        pdf.Gap(24);
        pdf.Centered(Period(r), 14);
        pdf.Gap(60);
        pdf.Table(
        [
            ("报告单位", divisionName + "打非办"),
            ("报告期间", Period(r)),
            ("数据生成时间", Day(r.GeneratedUtc) + $"（第 {r.Version} 版）"),
            ("编制人", r.CreatedByName),
            ("签发人", r.SignedByName is null ? "（未签发）" : $"{r.SignedByName}（{Day(r.SignedUtc)}）"),
            ("状态", StageReportStates.Chinese(r.State)),
            ("内容摘要", r.ContentHash),
        ]);
        pdf.PageBreak();

        pdf.Heading("一、工作开展情况");
        if (string.IsNullOrWhiteSpace(r.Narrative)) pdf.Paragraph("（未填写）");
        else
            foreach (var paragraph in r.Narrative.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                pdf.Paragraph(paragraph.Trim());

        pdf.Heading("二、主要数据");
        var n = 0;
        foreach (var section in c.Board.Sections)
        {
            n++;
            pdf.Paragraph($"（{"一二三四五六七八九十"[(n - 1) % 10]}）{section.Name}", 12, indent: false, bold: true);
            var (headers, rows) = Table(c, section);
            pdf.Grid(headers, rows, [2.2, .. section.Measures.Select(_ => 1.0)]);
            var chart = ChartMeasure(section);
            if (c.Board.Children.Count > 0)
                pdf.BarChart($"{section.Name}：{chart.Name}（按{c.Board.Division.Name}下级排名）",
                    chart.Children.Select(f => (NameOf(c, f.Code), (double)f.Value)).ToList());
        }

        pdf.Heading("三、逾期未办事项");
        if (c.Overdue.Count == 0) pdf.Paragraph("本期无逾期未办事项。");
        else
        {
            if (c.OverdueTotal > c.Overdue.Count) pdf.Paragraph($"共 {c.OverdueTotal} 项，以下列出期限最早的 {c.Overdue.Count} 项。");
            pdf.Grid(["类别", "事项", "区划", "期限", "责任单位或人"],
                c.Overdue.Select(o => (IReadOnlyList<string>)[o.Kind, o.Title, o.Division, o.Due, o.Responsible]).ToList(), [1.2, 3, 1.4, 1.1, 1.5]);
        }

        pdf.Heading("四、问责线索");
        if (c.Referrals.Count == 0) pdf.Paragraph("本期无问责线索。");
        else
            pdf.Grid(["规则", "事由", "区划", "日期", "涉及人员"],
                c.Referrals.Select(o => (IReadOnlyList<string>)[o.Kind, o.Title, o.Division, o.Due, o.Responsible]).ToList(), [1.2, 3, 1.4, 1.1, 1.5]);

        pdf.Signature([divisionName + "打非办", r.SignedByName is null ? "（未签发）" : "签发人：" + r.SignedByName, Day(r.SignedUtc ?? r.GeneratedUtc)]);
        return pdf.ToPdf();
    }

    public static void Xlsx(Stream output, StageReport r, StageReportContent c, string divisionName)
    {
        using var book = XlsxWriter.Create(output, "封面", [new("项目", 16), new("内容", 80)]);
        book.WriteRow(["标题", r.Title]);
        book.WriteRow(["报告单位", divisionName + "打非办"]);
        book.WriteRow(["报告期间起", r.FromOn]);
        book.WriteRow(["报告期间止", r.ToOn]);
        book.WriteRow(["版本", r.Version]);
        book.WriteRow(["状态", StageReportStates.Chinese(r.State)]);
        book.WriteRow(["编制人", r.CreatedByName]);
        book.WriteRow(["签发人", r.SignedByName ?? "（未签发）"]);
        book.WriteRow(["内容摘要", r.ContentHash]);
        book.WriteRow(["工作开展情况", r.Narrative]);
        foreach (var section in c.Board.Sections)
        {
            var (headers, rows) = Table(c, section);
            book.NextSheet(section.Name, headers.Select((h, i) => new XlsxWriter.Column(h, i == 0 ? 24 : 14)).ToList());
            foreach (var row in rows)
                book.WriteRow([row[0], .. row.Skip(1).Select(v => (object?)int.Parse(v, CultureInfo.InvariantCulture))]);
        }
        book.NextSheet("逾期未办事项", [new("类别", 12), new("事项", 50), new("区划", 20), new("期限", 12), new("责任单位或人", 24)]);
        foreach (var o in c.Overdue) book.WriteRow([o.Kind, o.Title, o.Division, o.Due, o.Responsible]);
        book.NextSheet("问责线索", [new("规则", 16), new("事由", 50), new("区划", 20), new("日期", 12), new("涉及人员", 24)]);
        foreach (var o in c.Referrals) book.WriteRow([o.Kind, o.Title, o.Division, o.Due, o.Responsible]);
    }
}
