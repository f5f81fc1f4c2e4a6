using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Cases;

/// <summary>A column of the statistics: a division (the county asked for, or each child of a city or province) or 合计 (code null).</summary>
public sealed record CaseStatColumn(string? Code, string Name);

/// <summary>
/// One figure of the statistics: its group and label, its value in each column (in the columns' order) and the list's
/// filter that shows the cases behind it (<c>/cases?{Query}</c>, one per column; null where no list shows it). The 人不漏案
/// row links to <c>/api/cases/gaps?county=</c> instead (<see cref="GapLinks"/>).
/// </summary>
public sealed record CaseStatRow(string Group, string Label, string Unit, IReadOnlyList<double> Values, IReadOnlyList<string?> Queries,
    IReadOnlyList<string?>? GapLinks = null);

public sealed record CaseStatsView(string Division, string DivisionName, DateOnly? From, DateOnly? To, IReadOnlyList<CaseStatColumn> Columns,
    IReadOnlyList<CaseStatRow> Rows);

/// <summary>
/// 案件统计 of a county (or of a city or province: its children side by side, then 合计): cases by type and by stage,
/// transfers to the police and their outcomes, fines decided and executed (yuan), ore seized (kg, yuan), the 人不漏案 gaps.
/// Counted in the database (grouped), through the same filter as the list, so every figure is the total of the list its
/// link opens.
/// </summary>
public sealed class CaseStatistics(AppDbContext db, CaseViews views, CaseRecords records)
{
    private sealed record Cell(string Div, string Type, CaseStage Stage, int Count, int Transferred, int Accepted, int Refused, int Appealed, double Fined,
        double Paid);

    /// <summary>
    /// The statistics of <paramref name="division"/> (blank: the caller's own scope), filed between <paramref name="from"/>
    /// and <paramref name="to"/>. Errors name the field; a division outside the caller's scope is null (a 404).
    /// </summary>
    public async Task<(CaseStatsView? Stats, FieldErrors Errors)> StatsAsync(string? division, string? from, string? to, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var scope = db.CurrentUser.Scope;
        var code = CaseDesk.Blank(division) ?? (scope.IsAll || scope.IsNone ? null : scope.Code);
        if (code is null || Division.LevelOfCode(code) is null)
        {
            errors.Add("division", "请选择区划（县、市或省的区划代码）");
            return (null, errors);
        }
        var dates = CaseViews.Dates(from, to, errors);
        if (!errors.Ok) return (null, errors);
        var self = await db.Divisions.AsNoTracking().Where(d => d.Code == code).Select(d => new { d.Code, d.Name, d.Level }).FirstOrDefaultAsync(ct);
        if (self is null || !scope.Contains(code)) return (null, errors);

        // A county or below: one column. A city or a province: each child (counties, cities) side by side, then 合计.
        var columns = new List<CaseStatColumn>();
        if (self.Level is DivisionLevel.Province or DivisionLevel.City)
        {
            columns.AddRange(await db.Divisions.AsNoTracking().Where(d => d.ParentCode == code && (d.Level == DivisionLevel.City || d.Level == DivisionLevel.County))
                .OrderBy(d => d.Code).Select(d => new CaseStatColumn(d.Code, d.Name)).ToListAsync(ct));
        }
        if (columns.Count == 0) columns.Add(new CaseStatColumn(self.Code, self.Name));
        var width = columns[0].Code!.Length;
        var total = columns.Count > 1;
        if (total) columns.Add(new CaseStatColumn(null, "合计"));

        var (cases, _) = views.Where(new CaseQuery(Division: code, From: from, To: to));
        var cells = await cases.GroupBy(c => new { Div = c.DivisionCode.Substring(0, width), c.Type, c.Stage })
            .Select(g => new Cell(g.Key.Div, g.Key.Type, g.Key.Stage, g.Count(), g.Count(c => c.HandedOverUtc != null), g.Count(c => c.PoliceDecision == "accepted"),
                g.Count(c => c.PoliceDecision == "refused"), g.Count(c => c.AppealedUtc != null),
                g.Sum(c => c.DecisionOn != null && c.FineYuan != null ? c.FineYuan!.Value : 0),
                g.Sum(c => c.ExecutedOn != null && c.FineYuan != null ? c.FineYuan!.Value : 0)))
            .ToListAsync(ct);
        var ids = cases.Select(c => c.Id);
        var ore = await db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => s.Kind == "ore" && ids.Contains(s.CaseId))
            .GroupBy(s => s.DivisionCode.Substring(0, width))
            .Select(g => new { Div = g.Key, Kg = g.Sum(s => s.WeightKg ?? 0), Yuan = g.Sum(s => s.ValueYuan ?? 0) }).ToListAsync(ct);

        var range = (dates?.From is { } f ? "&from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")
                    + (dates?.To is { } t ? "&to=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "");
        var rows = new List<CaseStatRow>();
        void Add(string group, string label, string unit, string filter, Func<string?, double> value)
        {
            var values = columns.Select(c => c.Code is null ? 0 : Math.Round(value(c.Code), 2)).ToList();
            if (total) values[^1] = Math.Round(values.Take(values.Count - 1).Sum(), 2);
            var queries = columns.Select(c => (string?)($"division={c.Code ?? code}{range}" + (filter.Length == 0 ? "" : "&" + filter))).ToList();
            rows.Add(new CaseStatRow(group, label, unit, values, queries));
        }
        IEnumerable<Cell> In(string? div) => cells.Where(x => x.Div == div);
        Add("合计", "案件总数", "件", "", d => In(d).Sum(x => x.Count));
        foreach (var (type, name) in CaseTypes.Names) Add("案件类型", name, "件", "type=" + type, d => In(d).Where(x => x.Type == type).Sum(x => x.Count));
        foreach (var (stage, (stageCode, name)) in CaseViews.Stages) Add("办理阶段", name, "件", "stage=" + stageCode, d => In(d).Where(x => x.Stage == stage).Sum(x => x.Count));
        Add("移送公安", "已移送公安机关", "件", "has=transferred", d => In(d).Sum(x => x.Transferred));
        Add("移送公安", "公安机关立案", "件", "has=police-accepted", d => In(d).Sum(x => x.Accepted));
        Add("移送公安", "公安机关不予立案", "件", "has=police-refused", d => In(d).Sum(x => x.Refused));
        Add("移送公安", "提请复议", "件", "has=appealed", d => In(d).Sum(x => x.Appealed));
        Add("罚款", "作出罚款决定", "元", "has=fined", d => In(d).Sum(x => x.Fined));
        Add("罚款", "罚款已执行", "元", "has=fine-paid", d => In(d).Sum(x => x.Paid));
        Add("扣押矿产品", "重量", "千克", "has=ore", d => ore.Where(x => x.Div == d).Sum(x => x.Kg));
        Add("扣押矿产品", "价值", "元", "has=ore", d => ore.Where(x => x.Div == d).Sum(x => x.Yuan));

        // 人不漏案: the gaps of the cases filed in each column (all of them, whatever the dates), linked to the county's gaps report.
        var gaps = await records.GapsAsync(code.Length >= 6 ? code[..6] : null, ct);
        var gapCases = gaps.Select(g => g.CaseId).Distinct().ToList();
        var gapDivisions = await db.Set<Case>().AsNoTracking().Where(c => gapCases.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DivisionCode, ct);
        var gapValues = columns.Select(c => (double)gaps.Count(g => gapDivisions.TryGetValue(g.CaseId, out var d) && d.StartsWith(c.Code ?? code, StringComparison.Ordinal)))
            .ToList();
        var gapLinks = columns.Select(c => (c.Code ?? code) is { Length: >= 6 } county ? "/api/cases/gaps?county=" + county[..6] : null).ToList();
        rows.Add(new CaseStatRow("人不漏案", "未列为当事人也未排除的人员", "人", gapValues, [.. columns.Select(_ => (string?)null)], gapLinks));
        return (new CaseStatsView(self.Code, self.Name, dates?.From, dates?.To, columns, rows), errors);
    }

    public static readonly XlsxWriter.Column[] LeadColumns = [new("分组", 12), new("指标", 22), new("单位", 6)];

    /// <summary>The statistics as one sheet: a row per figure, a column per division (and 合计).</summary>
    public static ExportPlan ExportPlan(CaseStatsView stats)
    {
        var columns = LeadColumns.Concat(stats.Columns.Select(c => new XlsxWriter.Column(c.Name, 12))).ToList();
        var rows = stats.Rows.Select(r => new object?[] { r.Group, r.Label, r.Unit }.Concat(r.Values.Select(v => (object?)v)).ToArray()).ToList();
        var range = $"{(stats.From is { } f ? f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "不限")} 至 {(stats.To is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "不限")}";
        return MineGuard.Platform.Excel.ExportPlan.Of("案件统计", columns, nameof(Case), count => $"导出{stats.DivisionName}案件统计 {count} 行（立案日期 {range}）", rows)
            with { DivisionCode = stats.Division, DownloadName = $"案件统计-{stats.DivisionName}" };
    }
}
