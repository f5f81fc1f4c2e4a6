using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

public sealed record SweepAreaInput(string? Code, string? Name, string? Assignees);

/// <summary>
/// A new sweep. <paramref name="ClientId"/> (optional): the caller's id for this request, which becomes the sweep's id, so
/// the same request sent twice (a double submit of the form) is stored once.
/// </summary>
public sealed record SweepInput(string? Name, string? Kind, Guid? EarlierSweepId, string? DivisionCode, string? From, string? To, Guid? TemplateId,
    SweepAreaInput[]? Areas, Guid? ClientId = null);

public sealed record TemplateInput(string? Name, string? DivisionCode, string[]? Questions);

public sealed record SweepAreaView(string Code, string Name, string? Assignees, int Inspections, int Problems, bool Reported);

public sealed record SweepSummary(Guid Id, string Name, string Kind, string KindName, string DivisionCode, string DivisionName, DateOnly From, DateOnly To,
    int Areas);

public sealed record SweepView(Guid Id, string Name, string Kind, string KindName, Guid? EarlierSweepId, string? EarlierSweepName, string DivisionCode,
    string DivisionName, DateOnly From, DateOnly To, ChecklistView Checklist, IReadOnlyList<SweepAreaView> Areas, IReadOnlyList<string> Unreported,
    int Inspections, int Problems, DateTime CreatedUtc);

/// <summary>
/// 排查行动 and checklist templates: creation (checked, Chinese errors naming the field), the list and the sweep with its
/// coverage by area (inspections and problems per area; the areas with no inspection yet named). Shared by API and pages.
/// </summary>
public sealed class SweepDesk(AppDbContext db)
{
    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Sweeps the caller sees: those with an area in the caller's scope (a county's sweep for the county, its city, and
    /// the township people of its areas). Every sweep has at least one area inside its own division.
    /// </summary>
    public IQueryable<Sweep> Visible => db.Set<Sweep>().Beyond(ScopeExit.AssignedToCaller).Where(s => db.Set<SweepArea>().Any(a => a.SweepId == s.Id));

    public (IOrderedQueryable<Sweep>? Query, FieldErrors Errors) Filter(string? q, string? kind)
    {
        var errors = new FieldErrors();
        var query = Visible.AsNoTracking();
        if (kind is { Length: > 0 } && !SweepKinds.Names.ContainsKey(kind)) errors.Add("kind", "类型只能是 sweep（排查）或 look-back（回头看）");
        if (ListPaging.Keyword(q, errors) is { } text) query = query.Where(s => s.Name.Contains(text));
        if (!errors.Ok) return (null, errors);
        if (kind is { Length: > 0 }) query = query.Where(s => s.Kind == kind);
        return (query.OrderByDescending(s => s.FromDate).ThenBy(s => s.Id), errors);
    }

    public async Task<List<SweepSummary>> SummariesAsync(List<Sweep> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var areas = await db.Set<SweepArea>().Where(a => ids.Contains(a.SweepId)).GroupBy(a => a.SweepId).Select(g => new { g.Key, N = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode).Distinct().ToList(), ct);
        return rows.Select(s => new SweepSummary(s.Id, s.Name, s.Kind, SweepKinds.Names.GetValueOrDefault(s.Kind, s.Kind), s.DivisionCode,
            names.GetValueOrDefault(s.DivisionCode, s.DivisionCode), s.FromDate, s.ToDate, areas.GetValueOrDefault(s.Id))).ToList();
    }

    public Task<Sweep?> FindAsync(Guid id, CancellationToken ct) => Visible.FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Creates a sweep; a request whose client id is already a sweep's answers that sweep (<c>Existing</c>) when the caller sees it.</summary>
    public async Task<(Sweep? Sweep, bool Existing, FieldErrors Errors)> CreateAsync(SweepInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId)
        {
            if (clientId == Guid.Empty) errors.Add(nameof(input.ClientId), "请求编号无效");
            else if (await db.Set<Sweep>().Beyond(ScopeExit.Uniqueness).AnyAsync(s => s.Id == clientId, ct))
            {
                if (await FindAsync(clientId, ct) is { } sent) return (sent, true, errors);
                errors.Add(nameof(input.ClientId), "该请求编号已被使用");
            }
            if (!errors.Ok) return (null, false, errors);
        }
        var name = Blank(input.Name);
        if (name is null) errors.Add(nameof(input.Name), "请填写排查行动名称");
        else if (name.Length > 100) errors.Add(nameof(input.Name), "排查行动名称不能超过 100 个字符");
        var kind = Blank(input.Kind) ?? SweepKinds.Sweep;
        if (!SweepKinds.Names.ContainsKey(kind)) errors.Add(nameof(input.Kind), "类型只能是 sweep（排查）或 look-back（回头看）");
        var division = Blank(input.DivisionCode) ?? db.CurrentUser.Scope.Code;
        if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "排查区划不在您的管辖范围内");
        Sweep? earlier = null;
        if (kind == SweepKinds.LookBack)
        {
            if (input.EarlierSweepId is not { } eid) errors.Add(nameof(input.EarlierSweepId), "回头看须选择所回看的排查行动");
            else if ((earlier = await FindAsync(eid, ct)) is null) errors.Add(nameof(input.EarlierSweepId), "所回看的排查行动不存在");
        }
        else if (input.EarlierSweepId is not null) errors.Add(nameof(input.EarlierSweepId), "只有回头看才能关联此前的排查行动");
        var from = default(DateOnly);
        var to = default(DateOnly);
        var fromProblem = Blank(input.From) is null ? "请填写开始日期" : CalendarDate.Problem("开始日期", input.From, out from);
        var toProblem = Blank(input.To) is null ? "请填写结束日期" : CalendarDate.Problem("结束日期", input.To, out to);
        if (fromProblem is not null) errors.Add(nameof(input.From), fromProblem);
        if (toProblem is not null) errors.Add(nameof(input.To), toProblem);
        if (fromProblem is null && toProblem is null && to < from) errors.Add(nameof(input.To), "结束日期不能早于开始日期");
        if (earlier is not null && fromProblem is null && from < earlier.FromDate)
            errors.Add(nameof(input.From), "回头看不能早于所回看的排查行动开始");
        var (found, template) = await Checklists.FindAsync(db, input.TemplateId, division, ct);
        if (!found) errors.Add(nameof(input.TemplateId), "检查表模板不存在");

        var areas = new List<(string Code, string Name, string? Assignees)>();
        if (input.Areas is not { Length: > 0 }) errors.Add(nameof(input.Areas), "请至少列出一个排查区域（乡镇、村或网格）");
        else if (input.Areas.Length > 500) errors.Add(nameof(input.Areas), "一次排查最多 500 个区域");
        else if (errors.Ok || !errors.ContainsKey(nameof(input.DivisionCode)))
        {
            await Villages.EnsureForAsync(db, division, ct);
            for (var i = 0; i < input.Areas.Length; i++)
            {
                var a = input.Areas[i];
                var code = Blank(a?.Code);
                var areaName = Blank(a?.Name);
                var assignees = Blank(a?.Assignees);
                Division? d = null;
                if (code is not null) d = await db.Divisions.FirstOrDefaultAsync(x => x.Code == code, ct);
                else if (areaName is not null)
                {
                    var matches = await db.Divisions.Within(JurisdictionScope.Of(division)).Where(x => x.Name == areaName && x.Code != division)
                        .OrderBy(x => x.Code).Take(3).ToListAsync(ct);
                    if (matches.Count > 1) { errors.Add(nameof(input.Areas), $"第 {i + 1} 个区域“{areaName}”有重名，请填写区划代码"); continue; }
                    d = matches.FirstOrDefault();
                }
                if (d is null || !d.Code.StartsWith(division, StringComparison.Ordinal) || d.Code == division)
                    errors.Add(nameof(input.Areas), $"第 {i + 1} 个区域“{code ?? areaName ?? "（空）"}”不在排查区划内");
                else if (assignees is { Length: > 200 }) errors.Add(nameof(input.Areas), $"第 {i + 1} 个区域的排查人员不能超过 200 个字符");
                else if (areas.Any(x => x.Code == d.Code)) errors.Add(nameof(input.Areas), $"区域“{d.Name}”重复");
                else areas.Add((d.Code, d.Name, assignees));
            }
        }
        if (!errors.Ok) return (null, false, errors);
        var sweep = Sweep.Create(division, name!, kind, earlier?.Id, from, to, template?.Id, db.CurrentUser.Id, Now, input.ClientId);
        db.Add(sweep);
        foreach (var a in areas) db.Add(SweepArea.Create(sweep.Id, a.Code, a.Name, a.Assignees));
        await db.SaveChangesAsync(ct);
        return (sweep, false, errors);
    }

    public async Task<SweepView> ViewAsync(Sweep s, CancellationToken ct)
    {
        var areas = await db.Set<SweepArea>().AsNoTracking().Where(a => a.SweepId == s.Id).OrderBy(a => a.DivisionCode).ToListAsync(ct);
        var inspections = await db.Set<Inspection>().AsNoTracking().Where(i => i.SweepId == s.Id).GroupBy(i => i.DivisionCode)
            .Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
        var problems = await db.Set<Problem>().AsNoTracking().Where(p => p.SweepId == s.Id).GroupBy(p => p.DivisionCode)
            .Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
        var views = areas.Select(a =>
        {
            var n = inspections.Where(x => x.Key.StartsWith(a.DivisionCode, StringComparison.Ordinal)).Sum(x => x.N);
            var p = problems.Where(x => x.Key.StartsWith(a.DivisionCode, StringComparison.Ordinal)).Sum(x => x.N);
            return new SweepAreaView(a.DivisionCode, a.Name, a.Assignees, n, p, n > 0);
        }).ToList();
        var template = s.TemplateId is { } tid ? await db.Set<ChecklistTemplate>().Beyond(ScopeExit.InheritedSettings).AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct) : null;
        var earlier = s.EarlierSweepId is { } eid
            ? await db.Set<Sweep>().Beyond(ScopeExit.LinkedLabel).Where(x => x.Id == eid).Select(x => x.Name).FirstOrDefaultAsync(ct)
            : null;
        var names = await db.DivisionNamesAsync([s.DivisionCode], ct);
        return new SweepView(s.Id, s.Name, s.Kind, SweepKinds.Names.GetValueOrDefault(s.Kind, s.Kind), s.EarlierSweepId, earlier, s.DivisionCode,
            names.GetValueOrDefault(s.DivisionCode, s.DivisionCode), s.FromDate, s.ToDate, Checklists.View(template), views,
            views.Where(v => !v.Reported).Select(v => v.Name).ToList(), inspections.Sum(x => x.N), problems.Sum(x => x.N), s.CreatedUtc);
    }

    /// <summary>Templates the caller may use: the built-in eight checks first, then those filed in scope or above it.</summary>
    public async Task<List<ChecklistView>> TemplatesAsync(CancellationToken ct)
    {
        var from = db.CurrentUser.Scope.IsNone ? "" : db.CurrentUser.Scope.From;
        var above = Enumerable.Range(1, Math.Max(0, from.Length)).Select(n => from[..n]).ToList();
        var scoped = await db.Set<ChecklistTemplate>().AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).Take(500).ToListAsync(ct);
        var inherited = above.Count == 0 ? [] : await db.Set<ChecklistTemplate>().Beyond(ScopeExit.InheritedSettings).AsNoTracking()
            .Where(t => above.Contains(t.DivisionCode)).OrderBy(t => t.Name).Take(100).ToListAsync(ct);
        return [Checklists.BuiltIn, .. inherited.Concat(scoped).DistinctBy(t => t.Id).Select(Checklists.View)];
    }

    public async Task<(ChecklistTemplate? Template, FieldErrors Errors)> CreateTemplateAsync(TemplateInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = Blank(input.Name);
        if (name is null) errors.Add(nameof(input.Name), "请填写检查表名称");
        else if (name.Length > 100) errors.Add(nameof(input.Name), "检查表名称不能超过 100 个字符");
        var division = Blank(input.DivisionCode) ?? db.CurrentUser.Scope.Code;
        if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "区划不在您的管辖范围内");
        var questions = (input.Questions ?? []).Select(q => Blank(q?.Replace('\n', ' ').Replace('\r', ' '))).OfType<string>().ToList();
        if (questions.Count == 0) errors.Add(nameof(input.Questions), "请至少填写一个检查项");
        else if (questions.Count > 50) errors.Add(nameof(input.Questions), "一个检查表最多 50 个检查项");
        else if (questions.Any(q => q.Length > 60)) errors.Add(nameof(input.Questions), "每个检查项不能超过 60 个字符");
        else if (questions.Distinct().Count() != questions.Count) errors.Add(nameof(input.Questions), "检查项不能重复");
        if (!errors.Ok) return (null, errors);
        var t = ChecklistTemplate.Create(division, name!, questions, db.CurrentUser.Id, Now);
        db.Add(t);
        await db.SaveChangesAsync(ct);
        return (t, errors);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
