using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

/// <summary>
/// Turns a problem into a rectification item. <paramref name="DueOn"/> is the deadline (整改时限, a day); it may not be
/// before the day the problem was found, nor before today.
/// </summary>
public sealed record RectifyInput(Guid? ProblemId, string? Requirement, string? ResponsibleUnit, Guid? ResponsiblePersonId, string? DepartmentCode,
    string? DueOn, string? Measures);

public sealed record ProblemView(Guid Id, Guid InspectionId, Guid? SweepId, int Seq, string Classification, string ClassificationName, string Description,
    string Place, string DivisionCode, Guid? AditId, Guid? MineId, Guid? ClueId, bool IsLead, DateTime FoundUtc, string FoundByName, string SignerName,
    string Status, string StatusName, Guid? AssignmentId, string? Requirement, string? Measures, string? ResponsibleUnit, string? ResponsibleName,
    DateOnly? DueOn, bool Overdue, string? Completion, string? VerifierName, DateTime? ClosedUtc, int Repeats);

/// <summary>
/// 问题台账 → 整改台账: the ledgers' filters and rows (API, pages and the export share them), and a problem's
/// rectification item, which is an assignment of kind rectification (<see cref="AssignmentDesk"/>): made with its
/// requirement, responsible unit and person, deadline on the one clock and measures; reported done with evidence;
/// verified and closed (销号) by a second person; reopened after 销号 counted as a repeat on the problem.
/// </summary>
public sealed class ProblemLedger(AppDbContext db, AssignmentDesk desk)
{
    public const string SourceType = "problem";

    public static readonly IReadOnlyDictionary<string, string> Statuses = new Dictionary<string, string>
    {
        ["open"] = "待整改", ["clue"] = "已转线索", ["rectifying"] = "整改中", ["completed"] = "待验收", ["closed"] = "已销号",
    };

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The problem ledger (every problem) or, with <paramref name="rectifications"/>, the rectification ledger (problems
    /// made items), filtered by status, sweep and keyword, in the order found (ties by id).
    /// </summary>
    public (IOrderedQueryable<Problem>? Query, FieldErrors Errors) Filter(bool rectifications, string? status, Guid? sweepId, string? q)
    {
        var errors = new FieldErrors();
        var query = db.Set<Problem>().AsNoTracking();
        if (rectifications) query = query.Where(p => p.AssignmentId != null);
        var items = db.Set<Assignment>();
        switch (status)
        {
            case null or "" or "all": break;
            case "open": query = query.Where(p => p.AssignmentId == null && !p.IsLead); break;
            case "clue": query = query.Where(p => p.IsLead); break;
            case "rectifying": query = query.Where(p => items.Any(a => a.Id == p.AssignmentId && a.Status == AssignmentStatus.Open)); break;
            case "completed": query = query.Where(p => items.Any(a => a.Id == p.AssignmentId && a.Status == AssignmentStatus.Completed)); break;
            case "closed": query = query.Where(p => items.Any(a => a.Id == p.AssignmentId && a.Status == AssignmentStatus.Closed)); break;
            case "repeat": query = query.Where(p => p.Repeats > 0); break;
            default: errors.Add("status", "状态只能是 open（待整改）、clue（已转线索）、rectifying（整改中）、completed（待验收）、closed（已销号）、repeat（反弹）或 all"); break;
        }
        if (ListPaging.Keyword(q, errors) is { } text)
            query = query.Where(p => p.Description.Contains(text) || p.Place.Contains(text) || p.FoundByName.Contains(text) || p.SignerName.Contains(text));
        if (!errors.Ok) return (null, errors);
        if (sweepId is { } s) query = query.Where(p => p.SweepId == s);
        return (query.OrderByDescending(p => p.FoundUtc).ThenBy(p => p.Id), errors);
    }

    public async Task<List<ProblemView>> ViewsAsync(List<Problem> rows, CancellationToken ct)
    {
        var itemIds = rows.Where(r => r.AssignmentId is not null).Select(r => r.AssignmentId!.Value).ToList();
        var items = itemIds.Count == 0 ? [] : await db.Set<Assignment>().AsNoTracking().Where(a => itemIds.Contains(a.Id)).ToListAsync(ct);
        var views = (await desk.ViewsAsync(items, ct)).ToDictionary(v => v.Id);
        return rows.Select(p =>
        {
            var a = p.AssignmentId is { } aid ? views.GetValueOrDefault(aid) : null;
            var status = p.IsLead ? "clue" : p.AssignmentId is null ? "open" : a is null ? "rectifying" : a.Status switch
            {
                "open" => "rectifying", "completed" => "completed", _ => "closed",
            };
            var completion = a is null ? null : a.CompletedUtc is { } done ? $"{a.Measures}（{ChinaTime.Format(done)} 报告完成）" : a.Status == "closed" ? a.Measures : "整改中";
            return new ProblemView(p.Id, p.InspectionId, p.SweepId, p.Seq, p.Classification, ProblemClasses.Names.GetValueOrDefault(p.Classification, p.Classification),
                p.Description, p.Place, p.DivisionCode, p.AditId, p.MineId, p.ClueId, p.IsLead, p.FoundUtc, p.FoundByName, p.SignerName, status,
                Statuses[status], p.AssignmentId, p.Requirement, p.Measures, a?.ResponsibleUnit, a?.ResponsibleName, a?.DueOn, a?.Overdue ?? false,
                completion, a?.ClosedByName, a?.ClosedUtc, p.Repeats);
        }).ToList();
    }

    public Task<Problem?> FindAsync(Guid id, CancellationToken ct) => db.Set<Problem>().FirstOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>列入整改台账: an assignment of kind rectification for the problem, on the clock, its person told.</summary>
    public async Task<FieldErrors> RectifyAsync(Problem problem, RectifyInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var requirement = Blank(input.Requirement);
        if (requirement is null) errors.Add(nameof(input.Requirement), "请填写整改要求");
        else if (requirement.Length > 1000) errors.Add(nameof(input.Requirement), "整改要求不能超过 1000 个字符");
        var measures = Blank(input.Measures);
        if (measures is { Length: > 1000 }) errors.Add(nameof(input.Measures), "整改措施不能超过 1000 个字符");
        var unit = Blank(input.ResponsibleUnit);
        if (unit is null) errors.Add(nameof(input.ResponsibleUnit), "请填写责任单位");
        else if (unit.Length > 100) errors.Add(nameof(input.ResponsibleUnit), "责任单位不能超过 100 个字符");
        var department = Blank(input.DepartmentCode);
        if (department is not null && Department.NameOf(department) is null) errors.Add(nameof(input.DepartmentCode), "责任部门不存在");
        Person? person = null;
        if (input.ResponsiblePersonId is not { } pid) errors.Add(nameof(input.ResponsiblePersonId), "请选择责任人");
        else if ((person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == pid && p.MergedIntoId == null, ct)) is null)
            errors.Add(nameof(input.ResponsiblePersonId), "责任人不在您的管辖范围内");
        var due = default(DateOnly);
        var found = DateOnly.FromDateTime(ChinaTime.ToLocal(problem.FoundUtc));
        if (Blank(input.DueOn) is not { } text) errors.Add(nameof(input.DueOn), "请填写整改时限");
        else if (CalendarDate.Problem("整改时限", text, out due) is { } problemText) errors.Add(nameof(input.DueOn), problemText);
        else if (due < found) errors.Add(nameof(input.DueOn), $"整改时限不能早于问题发现时间（{found:yyyy-MM-dd}）");
        else if (due < desk.Today) errors.Add(nameof(input.DueOn), "整改时限不能早于今天");
        if (!errors.Ok) return errors;
        Rule.Check(!problem.IsLead, "ProblemIsLead", "该问题是盗采线索，已转为线索核查，不能再列为整改事项");
        Rule.Check(problem.AssignmentId is null, "ProblemAlreadyRectifying", "该问题已列入整改台账");
        var detail = $"整改要求：{requirement}" + (measures is null ? "" : $"\n整改措施：{measures}") + $"\n发现：{problem.Place}，{problem.FoundByName}（签字人 {problem.SignerName}）";
        var item = AssignmentDesk.Open(db, problem.DivisionCode, problem.AditId, AssignmentKinds.Rectification, SourceType, problem.Id, problem.Description,
            detail, unit, person!.Id, null, department, due);
        problem.Rectify(item.Id, requirement!, measures);
        db.Tell(AssignmentDesk.Answer(person), item.DivisionCode, "整改事项", $"{item.Title}，请于 {due:yyyy-MM-dd} 前整改到位", $"/assignments/{item.Id}",
            Assignment.ClockSubject, item.Id, sms: true);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The problem's item, as the caller may act on it (null: not an item, or not visible).</summary>
    public async Task<Assignment?> ItemAsync(Problem problem, CancellationToken ct) =>
        problem.AssignmentId is { } id ? await desk.FindAsync(id, ct) : null;

    private Task<bool> HasEvidenceAsync(Assignment a, CancellationToken ct) =>
        db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible).AnyAsync(f => f.SubjectType == Assignment.ClockSubject && f.SubjectId == a.Id, ct);

    private static FieldErrors NoEvidence() => new() { ["files"] = ["请先上传整改佐证材料（照片或文件），再报告完成或销号"] };

    /// <summary>报告整改完成: only with evidence files on the item.</summary>
    public async Task<FieldErrors> CompleteAsync(Assignment item, CompleteInput input, CancellationToken ct)
    {
        var errors = AssignmentDesk.CheckCompletion(input);
        if (!errors.Ok) return errors;
        if (!await HasEvidenceAsync(item, ct)) return NoEvidence();
        return await desk.CompleteAsync(item, input, ct);
    }

    /// <summary>验收销号: by a second person (409 AssignmentSameVerifier), never without evidence.</summary>
    public async Task<FieldErrors> VerifyAsync(Assignment item, VerifyAssignmentInput input, CancellationToken ct)
    {
        if (!await HasEvidenceAsync(item, ct)) return NoEvidence();
        return await desk.VerifyAsync(item, input, ct);
    }

    /// <summary>Back to work; after 销号 it is a repeat (反弹), counted on the problem.</summary>
    public async Task<FieldErrors> ReopenAsync(Problem problem, Assignment item, ReopenInput input, CancellationToken ct)
    {
        if (item.Status == AssignmentStatus.Closed && !string.IsNullOrWhiteSpace(input.Reason)) problem.Repeated();
        return await desk.ReopenAsync(item, input, ct);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
