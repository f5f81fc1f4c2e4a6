using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Cases;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Incidents;

/// <summary>
/// Records incidents and their timelines (API and pages share it). Recording one opens the work its lessons require through
/// <see cref="AssignmentDesk"/>: the first report upward, due <c>Incidents:FirstReportHours</c> (default 1) hours after the
/// incident on the one clock to the hour and escalated when late, unless the timeline already holds a report; re-sealing the
/// adit to standard (the adit's person, <c>Incidents:ResealDays</c>, 15); a safety notice to the villages nearby
/// (<c>Incidents:NoticeDays</c>, 3). The adit's risk rises through the risk score's incident signal.
/// </summary>
public sealed class IncidentDesk(AppDbContext db, Responsibility responsibility, IConfiguration config)
{
    public const string SourceType = "incident";

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public int FirstReportHours => Math.Clamp(config.GetValue("Incidents:FirstReportHours", 1), 1, 72);

    public async Task<(Incident? Incident, bool Existing, FieldErrors Errors)> RecordAsync(IncidentInput input, bool isDemo, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId
            && await db.Set<Incident>().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(i => i.ClientId == clientId).Select(i => new { i.Id })
                .FirstOrDefaultAsync(ct) is { } sent)
        {
            var mine = await db.Set<Incident>().FirstOrDefaultAsync(i => i.Id == sent.Id, ct);
            if (mine is null) errors.Add("clientId", "该编号已被其他记录使用");
            return (mine, mine is not null, errors);
        }
        Adit? adit = null;
        if (input.AditId is not { } aditId) errors.Add("aditId", "请选择发生事件的矿硐");
        else if ((adit = await db.Adits().AsNoTracking().FirstOrDefaultAsync(a => a.Id == aditId, ct)) is null)
            errors.Add("aditId", "矿硐不在您的管辖范围内");
        var occurred = IncidentRules.Time(errors, "occurredAt", "事件发生时间", input.OccurredAt, Now);
        var kind = IncidentRules.Blank(input.Kind) ?? IncidentKinds.Other;
        if (!IncidentKinds.Names.ContainsKey(kind)) errors.Add("kind", "事件类型只能是 " + string.Join("、", IncidentKinds.Names.Select(k => $"{k.Key}（{k.Value}）")));
        var title = IncidentRules.Blank(input.Title);
        if (title is null) errors.Add("title", "请填写事件名称");
        else if (title.Length > 200) errors.Add("title", "事件名称不能超过 200 个字符");
        var summary = IncidentRules.Blank(input.Summary) ?? "";
        if (summary.Length > 4000) errors.Add("summary", "事件概况不能超过 4000 个字符");
        var people = IncidentRules.People(errors, input);
        var losses = IncidentRules.Losses(errors, input);
        var timeline = IncidentRules.Timeline(errors, input.Timeline, occurred, Now);
        var findings = IncidentRules.Findings(errors, input.Findings);
        var accountability = IncidentRules.Accountability(errors, input.Accountability);
        var caseIds = (input.CaseIds ?? []).Distinct().ToList();
        if (caseIds.Count > 0 && await db.Set<Case>().CountAsync(c => caseIds.Contains(c.Id), ct) != caseIds.Count)
            errors.Add("caseIds", "关联的案件不存在或不在您的管辖范围内");
        if (!errors.Ok) return (null, false, errors);

        var incident = Incident.Record(adit!.DivisionCode, adit.CountyCode, adit.Id, occurred!.Value, kind, title!, summary, people!, losses,
            occurred.Value.AddHours(FirstReportHours), input.ClientId, isDemo, db.CurrentUser.Id, Now);
        db.Add(incident);
        AddTimeline(incident, timeline);
        var seq = 0;
        foreach (var (k, unit, text) in findings) db.Add(IncidentFinding.Create(incident, ++seq, k, unit, text));
        seq = 0;
        foreach (var a in accountability) db.Add(IncidentAccountability.Create(incident, ++seq, a.Unit!, a.Official, a.Post, a.What!, a.Referred == true));
        foreach (var id in caseIds) db.Add(IncidentCase.Create(incident, id));
        await OpenLessonsAsync(incident, adit, ct);
        await db.SaveChangesAsync(ct);
        return (incident, false, errors);
    }

    /// <summary>Replaces the timeline; a report in it settles the first-report assignment (on time or late, as it was).</summary>
    public async Task<FieldErrors> ReplaceTimelineAsync(Incident incident, TimelineInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var timeline = IncidentRules.Timeline(errors, input.Timeline, incident.OccurredUtc, Now);
        if (!errors.Ok) return errors;
        db.RemoveRange(await db.Set<IncidentEntry>().Where(e => e.IncidentId == incident.Id).ToListAsync(ct));
        AddTimeline(incident, timeline);
        await SettleReportAsync(incident, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    private void AddTimeline(Incident incident, List<CheckedEntry> timeline)
    {
        var seq = 0;
        foreach (var e in timeline) db.Add(IncidentEntry.Create(incident, ++seq, e.AtUtc, e.Kind, e.What, e.ReportedBy, e.ReportedTo));
        incident.Reported(timeline.Where(e => e.Kind == "report").Select(e => (DateTime?)e.AtUtc).Min(), Now);
    }

    private async Task SettleReportAsync(Incident incident, CancellationToken ct)
    {
        if (incident.FirstReportedUtc is not { } at) return;
        var late = at - incident.FirstReportDueUtc;
        await SettleAsync(db, incident, incident.ReportAssignmentId,
            late > TimeSpan.Zero ? $"已于 {ChinaTime.Format(at)} 向上级报告，迟报 {Late(late)}" : $"已于 {ChinaTime.Format(at)} 按时向上级报告", ct);
    }

    /// <summary>Ends one of the work items an incident opened (its record is the proof) and takes it off the clock.</summary>
    internal static async Task SettleAsync(AppDbContext db, Incident incident, Guid? assignmentId, string resolution, CancellationToken ct)
    {
        if (assignmentId is not { } id) return;
        var a = await db.Set<Assignment>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(x => x.Id == id && x.SourceId == incident.Id, ct);
        if (a is null || a.Status == AssignmentStatus.Closed) return;
        a.Settle(resolution, db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime);
        await db.CloseAsync(Assignment.ClockSubject, a.Id, ct);
    }

    /// <summary>The assignments the lessons require (七、防范措施): report upward, re-seal to standard, warn the villages.</summary>
    private async Task OpenLessonsAsync(Incident i, Adit adit, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(Now));
        var me = db.CurrentUser.Id;
        Guid? report = null;
        if (i.FirstReportedUtc is null)
        {
            var due = i.FirstReportDueUtc;
            var a = AssignmentDesk.Open(db, i.DivisionCode, adit.Id, AssignmentKinds.Report, SourceType, i.Id, $"事件首报：{i.Title}",
                $"事件发生后 {FirstReportHours} 小时内向上级报告（{ChinaTime.Format(due)} 前），报告后在事件经过中登记", null, null, me, null,
                DateOnly.FromDateTime(ChinaTime.ToLocal(due)));
            db.Open(Assignment.ClockSubject, a.Id, i.DivisionCode, null, due, AnswerLevel.Person);
            report = a.Id;
        }
        var who = await responsibility.WhoAnswersAsync(new Place(adit.DivisionCode, adit.Id), AnswerLevel.Person, null, ct);
        var first = who.FirstOrDefault();
        var reseal = AssignmentDesk.Open(db, i.DivisionCode, adit.Id, AssignmentKinds.Rectification, SourceType, i.Id,
            $"按标准重新封堵矿硐 {adit.Number}", "事件暴露出封堵不彻底（如石块堆砌）：按当地封堵标准彻底封堵，做到“三清两断”，上传封堵照片",
            first?.Name, first?.PersonId, first is null ? me : first.PersonId is null ? first.UserId : null, null,
            today.AddDays(Math.Clamp(config.GetValue("Incidents:ResealDays", 15), 1, 365)));
        var notice = AssignmentDesk.Open(db, i.DivisionCode, adit.Id, AssignmentKinds.FollowUp, SourceType, i.Id,
            $"向矿硐 {adit.Number} 附近村发布安全警示", "向附近村组和人员发布严禁盲目施救、严禁进入废弃矿硐的安全警示（短信和张贴海报）",
            null, null, me, null, today.AddDays(Math.Clamp(config.GetValue("Incidents:NoticeDays", 3), 1, 365)));
        i.OpenedWork(report, reseal.Id, notice.Id);
    }

    public static string Late(TimeSpan late) =>
        late.TotalHours >= 1 ? $"{(int)late.TotalHours} 小时 {late.Minutes} 分钟" : $"{Math.Max(1, (int)Math.Ceiling(late.TotalMinutes))} 分钟";

    public Task<Incident?> FindAsync(Guid id, CancellationToken ct) => db.Set<Incident>().FirstOrDefaultAsync(i => i.Id == id, ct);
}
