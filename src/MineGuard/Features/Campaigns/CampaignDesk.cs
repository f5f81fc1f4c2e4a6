using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

public sealed record PhaseInput([property: MaxLength(100)] string? Name, string? StartsOn, string? EndsOn, string? ReportDueOn);

public sealed record CampaignInput(Guid? ClientId, [property: MaxLength(200)] string? Title, string? DivisionCode, Guid? ParentId,
    [property: MaxLength(100)] string? DocumentNumber, IReadOnlyList<PhaseInput>? Phases);

public sealed record CampaignTaskInput(Guid? ClientId, Guid? PhaseId, string? DivisionCode, string? DepartmentCode, [property: MaxLength(200)] string? Title,
    [property: MaxLength(2000)] string? Detail, [property: MaxLength(100)] string? ResponsibleUnit, string? DueOn);

public sealed record PhaseView(Guid Id, int Ordinal, string Name, DateOnly StartsOn, DateOnly EndsOn, DateOnly ReportDueOn, Guid? ReportAssignmentId,
    DateTime? ReportedUtc, bool Overdue);

public sealed record CampaignTaskView(Guid Id, Guid PhaseId, string DivisionCode, string? DepartmentCode, string Title, DateOnly DueOn, Guid AssignmentId);

public sealed record CampaignView(Guid Id, string DivisionCode, string DivisionName, string Level, string LevelName, Guid? ParentId, string Title,
    string? DocumentNumber, Guid? PlanFileId, string? PlanFileName, bool IsDemo, bool Adoptable, IReadOnlyList<PhaseView> Phases,
    IReadOnlyList<CampaignTaskView> Tasks);

/// <summary>
/// 专项行动 shared by the API and the pages: campaigns the caller sees (their scope, and the levels above it that they may
/// adopt), adopting one (phases copied, each report day an assignment on the one clock), tasks per phase (assignments of
/// kind campaign-task) and the phase reports that settle the report assignments.
/// </summary>
public sealed partial class CampaignDesk(AppDbContext db)
{
    public const string SourceType = "campaign";

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>Campaigns are run by the office (打非办) and administrators; leaders and departments read them.</summary>
    public bool MayWrite => db.CurrentUser.CanWrite && (db.CurrentUser.IsInRole(Roles.Office) || db.CurrentUser.IsInRole(Roles.Admin));

    /// <summary>The division codes above the caller's node whose campaigns the caller may read and adopt (national, province, city).</summary>
    private List<string> Above()
    {
        var scope = db.CurrentUser.Scope;
        if (scope.IsNone || scope.IsAll) return [];
        var code = scope.Code;
        return new[] { 0, 2, 4 }.Where(n => n < code.Length).Select(n => code[..n]).ToList();
    }

    /// <summary>The caller's campaigns and those of the levels above (rules set above the scope: the plan they adopt).</summary>
    private IQueryable<Campaign> Readable()
    {
        var above = Above();
        if (above.Count == 0) return db.Set<Campaign>();
        var (from, to) = (db.CurrentUser.Scope.From, db.CurrentUser.Scope.To);
        return db.Set<Campaign>().Beyond(ScopeExit.InheritedSettings)
            .Where(c => above.Contains(c.DivisionCode) || (string.Compare(c.DivisionCode, from) >= 0 && string.Compare(c.DivisionCode, to) < 0));
    }

    public Task<Campaign?> ReadableAsync(Guid id, CancellationToken ct) => Readable().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>A campaign of the caller's own scope (where they may add tasks and reports), or null: a 404.</summary>
    public Task<Campaign?> OwnAsync(Guid id, CancellationToken ct) => db.Set<Campaign>().FirstOrDefaultAsync(c => c.Id == id, ct);

    public async Task<List<CampaignView>> ListAsync(CancellationToken ct) =>
        await ViewsAsync(await Readable().OrderBy(c => c.DivisionCode).ThenBy(c => c.CreatedUtc).ToListAsync(ct), ct);

    public async Task<CampaignView?> DetailAsync(Guid id, CancellationToken ct) =>
        await ReadableAsync(id, ct) is { } c ? (await ViewsAsync([c], ct))[0] : null;

    public async Task<(Campaign? Campaign, bool Existing, FieldErrors Errors)> CreateAsync(CampaignInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId && await db.Set<Campaign>().Beyond(ScopeExit.Uniqueness).Where(c => c.ClientId == clientId)
                .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct) is { } sent)
        {
            if (await OwnAsync(sent, ct) is { } mine) return (mine, true, errors);
            errors.Add(nameof(input.ClientId), "该请求编号已被使用");
            return (null, false, errors);
        }
        var division = Blank(input.DivisionCode) ?? db.CurrentUser.Scope.Code;
        if (CampaignLevels.Of(division) is null or CampaignLevels.National)
            errors.Add(nameof(input.DivisionCode), "专项行动只能由省、市、县（市、区）级组织");
        else if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "所在区划不在您的管辖范围内");
        Campaign? parent = null;
        List<CampaignPhase> parentPhases = [];
        if (input.ParentId is { } parentId)
        {
            parent = await ReadableAsync(parentId, ct);
            if (parent is null) errors.Add(nameof(input.ParentId), "上级专项行动不存在或不在您的管辖范围内");
            else if (!(division.StartsWith(parent.DivisionCode, StringComparison.Ordinal) && division.Length > parent.DivisionCode.Length))
                errors.Add(nameof(input.ParentId), "只能承接上级的专项行动");
            else
            {
                if (await db.Set<Campaign>().FirstOrDefaultAsync(c => c.ParentId == parentId && c.DivisionCode == division, ct) is { } adopted)
                    return (adopted, true, errors);
                parentPhases = await db.Set<CampaignPhase>().Beyond(ScopeExit.InheritedSettings).Where(p => p.CampaignId == parentId)
                    .OrderBy(p => p.Ordinal).ToListAsync(ct);
            }
            if (input.Phases is { Count: > 0 }) errors.Add(nameof(input.Phases), "承接上级专项行动时沿用上级的阶段，不能另设阶段");
        }
        var title = Blank(input.Title) ?? parent?.Title;
        if (title is null) errors.Add(nameof(input.Title), "请填写专项行动名称");
        var phases = parent is null ? ReadPhases(input.Phases, errors) : [];
        if (!errors.Ok) return (null, false, errors);

        var c = Campaign.Create(division, parent?.Id, title!, Blank(input.DocumentNumber) ?? parent?.DocumentNumber, input.ClientId, false, db.CurrentUser.Id, Now);
        db.Add(c);
        var source = parent is null ? phases : parentPhases.Select(p => (p.Name, p.StartsOn, p.EndsOn, p.ReportDueOn)).ToList();
        var unit = (await db.DivisionNamesAsync([division], ct)).GetValueOrDefault(division, division);
        var ordinal = 0;
        foreach (var (name, starts, ends, due) in source)
        {
            var phase = CampaignPhase.Create(c, ++ordinal, name, starts, ends, due);
            db.Add(phase);
            // A report day already past when the level adopts the plan is history, not work to chase.
            if (due >= Today)
                phase.ReportOnClock(AssignmentDesk.Open(db, division, null, AssignmentKinds.Report, SourceType, c.Id, $"{title}：{name}阶段报告",
                    $"{unit}于 {due:yyyy-MM-dd} 前报送{name}阶段工作报告（材料及数据）", unit, null, null, null, due).Id);
        }
        await db.SaveChangesAsync(ct);
        return (c, false, errors);
    }

    /// <summary>Phases as typed: a name, dates in order, and a report day within the phase (errors keyed phases[i].field).</summary>
    private static List<(string Name, DateOnly Starts, DateOnly Ends, DateOnly Due)> ReadPhases(IReadOnlyList<PhaseInput>? input, FieldErrors errors)
    {
        var phases = new List<(string, DateOnly, DateOnly, DateOnly)>();
        if (input is not { Count: > 0 })
        {
            errors.Add("Phases", "请至少设置一个阶段");
            return phases;
        }
        for (var i = 0; i < input.Count; i++)
        {
            var p = input[i];
            var key = $"phases[{i}].";
            var name = Blank(p.Name);
            if (name is null) errors.Add(key + "name", "请填写阶段名称");
            var bad = false;
            if (CalendarDate.Problem("开始日期", p.StartsOn, out var starts) is { } a) { errors.Add(key + "startsOn", a); bad = true; }
            if (CalendarDate.Problem("结束日期", p.EndsOn, out var ends) is { } b) { errors.Add(key + "endsOn", b); bad = true; }
            if (CalendarDate.Problem("报告期限", p.ReportDueOn, out var due) is { } d) { errors.Add(key + "reportDueOn", d); bad = true; }
            if (bad) continue;
            if (ends < starts) errors.Add(key + "endsOn", $"阶段结束日期（{ends:yyyy-MM-dd}）不能早于开始日期（{starts:yyyy-MM-dd}）");
            else if (due < starts || due > ends)
                errors.Add(key + "reportDueOn", $"报告期限（{due:yyyy-MM-dd}）须在阶段起止日期（{starts:yyyy-MM-dd} 至 {ends:yyyy-MM-dd}）之内");
            if (name is not null) phases.Add((name, starts, ends, due));
        }
        return phases;
    }

    public async Task<(CampaignTask? Task, bool Existing, FieldErrors Errors)> AddTaskAsync(Campaign c, CampaignTaskInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId && await db.Set<CampaignTask>().Beyond(ScopeExit.Uniqueness).Where(t => t.ClientId == clientId)
                .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct) is { } sent)
        {
            if (await db.Set<CampaignTask>().FirstOrDefaultAsync(t => t.Id == sent, ct) is { } mine) return (mine, true, errors);
            errors.Add(nameof(input.ClientId), "该请求编号已被使用");
            return (null, false, errors);
        }
        var phase = input.PhaseId is { } pid ? await db.Set<CampaignPhase>().FirstOrDefaultAsync(p => p.Id == pid && p.CampaignId == c.Id, ct) : null;
        if (phase is null) errors.Add(nameof(input.PhaseId), "请选择本专项行动的阶段");
        var division = Blank(input.DivisionCode) ?? c.DivisionCode;
        if (!division.StartsWith(c.DivisionCode, StringComparison.Ordinal) || !db.CurrentUser.Scope.Contains(division)
            || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "承办区划须在本专项行动的区划和您的管辖范围之内");
        var department = Blank(input.DepartmentCode);
        if (department is not null && Department.NameOf(department) is null) errors.Add(nameof(input.DepartmentCode), "责任部门不存在");
        var title = Blank(input.Title);
        if (title is null) errors.Add(nameof(input.Title), "请填写任务内容");
        var due = phase?.EndsOn ?? Today;
        if (Blank(input.DueOn) is { } text && CalendarDate.Problem("完成期限", text, out due) is { } problem) errors.Add(nameof(input.DueOn), problem);
        else if (phase is not null && (due < phase.StartsOn || due > phase.EndsOn))
            errors.Add(nameof(input.DueOn), $"完成期限须在阶段起止日期（{phase.StartsOn:yyyy-MM-dd} 至 {phase.EndsOn:yyyy-MM-dd}）之内");
        else if (due < Today) errors.Add(nameof(input.DueOn), "完成期限不能早于今天");
        if (!errors.Ok) return (null, false, errors);

        var unit = Blank(input.ResponsibleUnit) ?? (department is null ? null : Department.NameOf(department));
        var a = AssignmentDesk.Open(db, division, null, AssignmentKinds.CampaignTask, SourceType, c.Id, title!,
            Blank(input.Detail) ?? $"{c.Title}·{phase!.Name}", unit, null, null, department, due);
        var task = CampaignTask.Create(Guid.CreateVersion7(), c, phase!, division, department, title!, due, a.Id, input.ClientId, Now);
        db.Add(task);
        await db.SaveChangesAsync(ct);
        return (task, false, errors);
    }

    /// <summary>本级实施方案: a PDF or photos of it, kept through the evidence files; a new upload replaces the link.</summary>
    public async Task<FieldErrors> AttachPlanAsync(Campaign c, IFormFile? file, CancellationToken ct)
    {
        var (evidence, errors) = await AssignmentDesk.AddFileAsync(db, "campaign-plan", c.Id, c.DivisionCode, file, ct);
        if (evidence is null) return errors;
        c.AttachPlan(evidence.StoredFileId, evidence.FileName);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    private async Task<List<CampaignView>> ViewsAsync(IReadOnlyList<Campaign> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var phases = (await db.Set<CampaignPhase>().Beyond(ScopeExit.ChildrenOfVisible).Where(p => ids.Contains(p.CampaignId)).OrderBy(p => p.Ordinal)
            .ToListAsync(ct)).ToLookup(p => p.CampaignId);
        var reported = await db.Set<CampaignReport>().Beyond(ScopeExit.ChildrenOfVisible).Where(r => ids.Contains(r.CampaignId))
            .ToDictionaryAsync(r => r.PhaseId, r => r.SubmittedUtc, ct);
        var tasks = (await db.Set<CampaignTask>().Where(t => ids.Contains(t.CampaignId)).OrderBy(t => t.CreatedUtc).ToListAsync(ct)).ToLookup(t => t.CampaignId);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode), ct);
        var own = db.CurrentUser.Scope;
        var today = Today;
        return rows.Select(c => new CampaignView(c.Id, c.DivisionCode, c.DivisionCode == "" ? "全国" : names.GetValueOrDefault(c.DivisionCode, c.DivisionCode),
                c.Level, CampaignLevels.Names.GetValueOrDefault(c.Level, c.Level), c.ParentId, c.Title, c.DocumentNumber, c.PlanFileId, c.PlanFileName, c.IsDemo,
                !own.Contains(c.DivisionCode),
                phases[c.Id].Select(p => new PhaseView(p.Id, p.Ordinal, p.Name, p.StartsOn, p.EndsOn, p.ReportDueOn, p.ReportAssignmentId,
                    reported.TryGetValue(p.Id, out var at) ? at : null,
                    p.ReportAssignmentId is not null && !reported.ContainsKey(p.Id) && p.ReportDueOn < today)).ToList(),
                tasks[c.Id].Select(t => new CampaignTaskView(t.Id, t.PhaseId, t.DivisionCode, t.DepartmentCode, t.Title, t.DueOn, t.AssignmentId)).ToList()))
            .ToList();
    }

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
