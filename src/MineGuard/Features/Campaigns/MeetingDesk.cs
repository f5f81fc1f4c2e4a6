using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

public sealed record ParticipantInput(string? DepartmentCode, [property: MaxLength(500)] string? Names);

public sealed record DecisionInput([property: MaxLength(200)] string? Title, string? DepartmentCode, [property: MaxLength(100)] string? ResponsibleUnit,
    string? DueOn);

public sealed record MeetingInput(Guid? ClientId, string? DivisionCode, string? Date, [property: MaxLength(200)] string? Title,
    IReadOnlyList<ParticipantInput>? Participants, IReadOnlyList<Guid>? ClueIds, IReadOnlyList<Guid>? CaseIds, [property: MaxLength(4000)] string? Minutes,
    IReadOnlyList<DecisionInput>? Decisions);

public sealed record DecisionView(Guid AssignmentId, string Title, string? DepartmentCode, DateOnly? DueOn, string Status);

public sealed record MeetingView(Guid Id, string DivisionCode, DateOnly Date, string Title, string Participants, IReadOnlyList<string> Departments,
    IReadOnlyList<Guid> ClueIds, IReadOnlyList<Guid> CaseIds, string? Minutes, IReadOnlyList<DecisionView> Decisions);

/// <summary>联席会议: a meeting's record and its decisions opened as assignments (kind decision, source "meeting") on the one clock.</summary>
public sealed class MeetingDesk(AppDbContext db)
{
    public const string SourceType = "meeting";

    /// <summary>The most clues (and cases) one meeting links.</summary>
    public const int MaxLinked = 100;

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));

    public bool MayWrite => db.CurrentUser.CanWrite && (db.CurrentUser.IsInRole(Roles.Office) || db.CurrentUser.IsInRole(Roles.Admin));

    public async Task<List<MeetingView>> ListAsync(CancellationToken ct) =>
        await ViewsAsync(await db.Set<Meeting>().OrderByDescending(m => m.OnDate).Take(500).ToListAsync(ct), ct);

    public async Task<MeetingView?> DetailAsync(Guid id, CancellationToken ct) =>
        await db.Set<Meeting>().FirstOrDefaultAsync(m => m.Id == id, ct) is { } m ? (await ViewsAsync([m], ct))[0] : null;

    public async Task<(Meeting? Meeting, bool Existing, FieldErrors Errors)> HoldAsync(MeetingInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId && await db.Set<Meeting>().Beyond(ScopeExit.Uniqueness).Where(m => m.ClientId == clientId)
                .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct) is { } sent)
        {
            if (await db.Set<Meeting>().FirstOrDefaultAsync(m => m.Id == sent, ct) is { } mine) return (mine, true, errors);
            errors.Add(nameof(input.ClientId), "该请求编号已被使用");
            return (null, false, errors);
        }
        var division = CampaignDesk.Blank(input.DivisionCode) ?? db.CurrentUser.Scope.Code;
        if (division.Length < 2 || !db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "所在区划不在您的管辖范围内");
        if (CalendarDate.Problem("会议日期", input.Date, out var date) is { } p) errors.Add(nameof(input.Date), p);
        else if (date > Today) errors.Add(nameof(input.Date), "会议日期不能晚于今天");
        var title = CampaignDesk.Blank(input.Title);
        if (title is null) errors.Add(nameof(input.Title), "请填写会议名称");
        var participants = (input.Participants ?? []).Where(x => CampaignDesk.Blank(x.DepartmentCode) is not null).ToList();
        if (participants.FirstOrDefault(x => Department.NameOf(x.DepartmentCode!.Trim()) is null) is { } unknown)
            errors.Add(nameof(input.Participants), $"部门“{unknown.DepartmentCode}”不存在");
        else if (participants.Count == 0) errors.Add(nameof(input.Participants), "请填写参会部门");
        var clueIds = (input.ClueIds ?? []).Distinct().ToList();
        // Kept as a comma list of 4,000 characters: 108 ids (37 characters each) fit.
        if (clueIds.Count > MaxLinked) errors.Add(nameof(input.ClueIds), $"一次会议最多关联 {MaxLinked} 条线索");
        else if (clueIds.Count > 0 && await db.Set<Clue>().CountAsync(c => clueIds.Contains(c.Id), ct) != clueIds.Count)
            errors.Add(nameof(input.ClueIds), "线索不存在或不在您的管辖范围内");
        var caseIds = (input.CaseIds ?? []).Distinct().ToList();
        if (caseIds.Count > MaxLinked) errors.Add(nameof(input.CaseIds), $"一次会议最多关联 {MaxLinked} 起案件");
        else if (caseIds.Count > 0 && await db.Set<Case>().CountAsync(c => caseIds.Contains(c.Id), ct) != caseIds.Count)
            errors.Add(nameof(input.CaseIds), "案件不存在或不在您的管辖范围内");
        var decisions = input.Decisions ?? [];
        var dues = new DateOnly[decisions.Count];
        for (var i = 0; i < decisions.Count; i++)
        {
            var d = decisions[i];
            if (CampaignDesk.Blank(d.Title) is null) errors.Add($"decisions[{i}].title", "请填写议定事项");
            if (CampaignDesk.Blank(d.DepartmentCode) is { } dept && Department.NameOf(dept) is null) errors.Add($"decisions[{i}].departmentCode", "责任部门不存在");
            if (CalendarDate.Problem("完成期限", d.DueOn, out dues[i]) is { } q) errors.Add($"decisions[{i}].dueOn", q);
            else if (dues[i] < Today) errors.Add($"decisions[{i}].dueOn", "完成期限不能早于今天");
        }
        if (!errors.Ok) return (null, false, errors);

        var departments = participants.Select(x => x.DepartmentCode!.Trim()).Distinct().ToList();
        var text = string.Join("\n", participants.Select(x => $"{Department.NameOf(x.DepartmentCode!.Trim())}：{CampaignDesk.Blank(x.Names) ?? ""}"));
        if (text.Length > Meeting.ParticipantsMax)
        {
            errors.Add(nameof(input.Participants), $"参会部门和人员合计不能超过 {Meeting.ParticipantsMax} 个字符（现有 {text.Length} 个），请精简");
            return (null, false, errors);
        }
        var m = Meeting.Hold(division, date, title!, departments, text, clueIds, caseIds, CampaignDesk.Blank(input.Minutes), input.ClientId, db.CurrentUser.Id,
            db.Clock.GetUtcNow().UtcDateTime);
        db.Add(m);
        for (var i = 0; i < decisions.Count; i++)
        {
            var d = decisions[i];
            var dept = CampaignDesk.Blank(d.DepartmentCode);
            AssignmentDesk.Open(db, division, null, AssignmentKinds.Decision, SourceType, m.Id, d.Title!.Trim(), $"{date:yyyy-MM-dd} {title} 议定",
                CampaignDesk.Blank(d.ResponsibleUnit) ?? (dept is null ? null : Department.NameOf(dept)), null, null, dept, dues[i]);
        }
        await db.SaveChangesAsync(ct);
        return (m, false, errors);
    }

    private async Task<List<MeetingView>> ViewsAsync(IReadOnlyList<Meeting> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => (Guid?)r.Id).ToList();
        // The decisions as the caller's department may see them (an assignment given to another department stays hidden).
        var decisions = (await new AssignmentDesk(db).Visible.Where(a => a.SourceType == SourceType && ids.Contains(a.SourceId)).OrderBy(a => a.CreatedUtc)
            .ToListAsync(ct)).ToLookup(a => a.SourceId!.Value);
        return rows.Select(m => new MeetingView(m.Id, m.DivisionCode, m.OnDate, m.Title, m.Participants,
            m.Departments.Split(',', StringSplitOptions.RemoveEmptyEntries), m.Clues, m.Cases, m.Minutes,
            decisions[m.Id].Select(a => new DecisionView(a.Id, a.Title, a.DepartmentCode, a.DueOn, AssignmentDesk.StatusCode(a.Status))).ToList())).ToList();
    }
}
