using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Features.Monitoring;
using MineGuard.Features.Patrols;
using MineGuard.Features.Tips;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Incidents;

public sealed record IncidentListItem(Guid Id, string Title, string Kind, string KindName, Guid AditId, string? AditNumber, string DivisionCode,
    DateTime OccurredUtc, int Dead, int Injured, decimal? DirectLoss, bool ReportLate, bool IsDemo);

public sealed record IncidentEntryView(int Seq, DateTime AtUtc, string Kind, string KindName, string What, string? ReportedBy, string? ReportedTo,
    string? Lateness);

public sealed record IncidentFindingView(string Kind, string KindName, string? Unit, string Text);

public sealed record AccountabilityView(string Unit, string? Official, string? Post, string What, bool Referred);

public sealed record LinkedView(Guid Id, string Label, string Status, string Link);

/// <summary>One signal about the adit before the incident: what the office had, and what was missed.</summary>
public sealed record BeforeItem(DateTime AtUtc, string Kind, string KindName, string Text, string Status, string? Missed, string Link);

public sealed record IncidentView(
    Guid Id, string Title, string Kind, string KindName, string Summary, Guid AditId, string? AditNumber, string? AditName, string DivisionCode,
    DateTime OccurredUtc, Casualties People, Losses Losses, DateTime FirstReportDueUtc, DateTime? FirstReportedUtc, string ReportStatus,
    IReadOnlyList<IncidentEntryView> Timeline, IReadOnlyList<IncidentFindingView> Findings, IReadOnlyList<AccountabilityView> Accountability,
    IReadOnlyList<LinkedView> Cases, IReadOnlyList<LinkedView> Assignments, IReadOnlyList<BeforeItem> Before, IReadOnlyList<string> Gaps,
    bool IsDemo, DateTime CreatedUtc);

/// <summary>The incident's list and page, and its "before" side: everything the caller's scope holds about the same adit before it.</summary>
public sealed class IncidentQueries(AppDbContext db)
{
    /// <summary>How far back the "before" timeline looks.</summary>
    public const int BeforeDays = 365;

    public async Task<List<IncidentListItem>> ListAsync(CancellationToken ct)
    {
        var rows = await (from i in db.Set<Incident>().AsNoTracking()
                join a in db.Adits() on i.AditId equals a.Id into adits
                from a in adits.DefaultIfEmpty()
                orderby i.OccurredUtc descending
                select new { i, Number = a == null ? null : a.Number }).Take(500).ToListAsync(ct);
        return rows.Select(r => new IncidentListItem(r.i.Id, r.i.Title, r.i.Kind, IncidentKinds.Names.GetValueOrDefault(r.i.Kind, r.i.Kind), r.i.AditId,
            r.Number, r.i.DivisionCode, r.i.OccurredUtc, r.i.Dead, r.i.Injured, r.i.DirectLoss,
            (r.i.FirstReportedUtc ?? db.Clock.GetUtcNow().UtcDateTime) > r.i.FirstReportDueUtc, r.i.IsDemo)).ToList();
    }

    public async Task<IncidentView?> DetailAsync(Guid id, CancellationToken ct)
    {
        var i = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return null;
        var adit = await db.Adits().AsNoTracking().Where(a => a.Id == i.AditId).Select(a => new { a.Number, a.Name }).FirstOrDefaultAsync(ct);
        var entries = await db.Set<IncidentEntry>().AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Seq).ToListAsync(ct);
        var findings = await db.Set<IncidentFinding>().AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Seq).ToListAsync(ct);
        var people = await db.Set<IncidentAccountability>().AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Seq).ToListAsync(ct);
        var caseIds = db.Set<IncidentCase>().Where(c => c.IncidentId == id).Select(c => c.CaseId);
        var cases = (await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Number, c.Stage }).ToListAsync(ct))
            .Select(c => new LinkedView(c.Id, c.Number, CaseViews.StageName(c.Stage), "/cases/" + c.Id)).ToList();
        var work = await db.Set<Assignment>().VisibleTo(db.CurrentUser).AsNoTracking()
            .Where(a => a.SourceType == IncidentDesk.SourceType && a.SourceId == id).OrderBy(a => a.CreatedUtc)
            .Select(a => new { a.Id, a.Title, a.Status, a.EscalationLevel }).ToListAsync(ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var reportStatus = i.FirstReportedUtc is { } reported
            ? reported > i.FirstReportDueUtc ? $"迟报 {IncidentDesk.Late(reported - i.FirstReportDueUtc)}" : "按时报告"
            : now > i.FirstReportDueUtc ? $"未报告，已超时 {IncidentDesk.Late(now - i.FirstReportDueUtc)}" : $"待报告（{ChinaTime.Format(i.FirstReportDueUtc)} 前）";
        var (before, gaps) = await BeforeAsync(i, ct);
        return new IncidentView(i.Id, i.Title, i.Kind, IncidentKinds.Names.GetValueOrDefault(i.Kind, i.Kind), i.Summary, i.AditId, adit?.Number, adit?.Name,
            i.DivisionCode, i.OccurredUtc, i.People, new Losses(i.OreKg, i.OreValue, i.DirectLoss), i.FirstReportDueUtc, i.FirstReportedUtc, reportStatus,
            entries.Select(e => new IncidentEntryView(e.Seq, e.AtUtc, e.Kind, IncidentKinds.Entries.GetValueOrDefault(e.Kind, e.Kind), e.What, e.ReportedBy,
                e.ReportedTo, e.Kind != "report" ? null : e.AtUtc > i.FirstReportDueUtc ? $"迟报 {IncidentDesk.Late(e.AtUtc - i.FirstReportDueUtc)}" : "按时")).ToList(),
            findings.Select(f => new IncidentFindingView(f.Kind, IncidentKinds.Findings.GetValueOrDefault(f.Kind, f.Kind), f.Unit, f.Text)).ToList(),
            people.Select(p => new AccountabilityView(p.Unit, p.Official, p.Post, p.What, p.Referred)).ToList(),
            cases,
            work.Select(a => new LinkedView(a.Id, a.Title, a.Status == AssignmentStatus.Closed ? "已办结" : a.EscalationLevel > 0 ? "已升级督办" : "办理中",
                "/assignments/" + a.Id)).ToList(),
            before, gaps, i.IsDemo, i.CreatedUtc);
    }

    /// <summary>
    /// Clues, alerts, patrol check-ins, tips and seal events about the adit in the year before the incident, oldest first,
    /// each with what was missed as of the incident (a tip not verified, an alert or clue still open, a check-in that does
    /// not count, a breach not re-sealed); and the gaps (no patrol proven at the adit in the 30 days before).
    /// </summary>
    public async Task<(List<BeforeItem> Items, List<string> Gaps)> BeforeAsync(Incident i, CancellationToken ct)
    {
        var (aditId, at) = (i.AditId, i.OccurredUtc);
        var since = at.AddDays(-BeforeDays);
        var items = new List<BeforeItem>();
        var clues = await db.Set<Clue>().AsNoTracking().Where(c => c.AditId == aditId && c.ReceivedUtc < at && c.ReceivedUtc >= since)
            .Select(c => new { c.Id, c.ReceivedUtc, c.Summary, c.State, c.ClosedUtc }).ToListAsync(ct);
        items.AddRange(clues.Select(c => new BeforeItem(c.ReceivedUtc, "clue", "线索", c.Summary, ClueDesk.StateName(c.State),
            c.ClosedUtc is null || c.ClosedUtc > at ? "事发时线索尚未办结" : null, "/clues/" + c.Id)));
        var alerts = await db.Set<Alert>().AsNoTracking().Where(a => a.AditId == aditId && a.OpenedUtc < at && a.OpenedUtc >= since)
            .Select(a => new { a.Id, a.OpenedUtc, a.Title, a.Status, a.ClosedUtc }).ToListAsync(ct);
        items.AddRange(alerts.Select(a => new BeforeItem(a.OpenedUtc, "alert", "技防预警", a.Title, AlertNames.Statuses[a.Status].Chinese,
            a.ClosedUtc is null || a.ClosedUtc > at ? "事发时预警尚未处置完毕" : null, "/alerts/" + a.Id)));
        var checkIns = await db.CheckIns().AsNoTracking().Where(c => c.AditId == aditId && c.AtUtc < at && c.AtUtc >= since)
            .OrderByDescending(c => c.AtUtc).Take(200).ToListAsync(ct);
        items.AddRange(checkIns.Select(c => new BeforeItem(c.AtUtc, "patrol", "巡查打卡", c.Note ?? (c.ReportsFinding ? "报告发现问题" : "巡查打卡"),
            c.Counts ? "到位" : c.FakedUtc is not null ? "认定伪造" : "未核验到位",
            !c.Counts ? "巡查不算数（未核验到位或存疑），巡查流于形式" : c.ReportsFinding ? "巡查发现问题" : null, "/patrols/check-ins/" + c.Id)));
        var tips = await db.Set<Tip>().AsNoTracking().Where(t => t.AditId == aditId && t.ReceivedUtc < at && t.ReceivedUtc >= since)
            .Select(t => new { t.Id, t.ReceivedUtc, t.Description, t.Status, t.VerifiedUtc }).ToListAsync(ct);
        items.AddRange(tips.Select(t => new BeforeItem(t.ReceivedUtc, "tip", "群众举报", t.Description.Length > 200 ? t.Description[..200] + "…" : t.Description,
            t.Status.Chinese(), t.VerifiedUtc is null || t.VerifiedUtc > at ? "事发时举报尚未核查" : null, "/tips/" + t.Id)));
        var seals = await db.SealingEvents().AsNoTracking().Where(s => s.AditId == aditId).OrderBy(s => s.OccurredOn).ToListAsync(ct);
        var day = DateOnly.FromDateTime(ChinaTime.ToLocal(at));
        foreach (var s in seals.Where(s => s.OccurredOn < day && s.OccurredOn >= DateOnly.FromDateTime(ChinaTime.ToLocal(since))))
        {
            var resealed = seals.Any(x => x.Kind is SealingEventKind.Sealed or SealingEventKind.Resealed && x.OccurredOn >= s.OccurredOn && x.OccurredOn < day && x.Id != s.Id);
            var (name, missed) = s.Kind switch
            {
                SealingEventKind.Breached => ("封堵被破坏", resealed ? null : "破坏后事发前未重新封堵"),
                SealingEventKind.Sealed or SealingEventKind.Resealed => ("封堵", s.Method == SealMethod.LooseRocks ? "仅以石块堆砌封堵，未达标准" : null),
                _ => ("封堵验收", null),
            };
            items.Add(new BeforeItem(ChinaTime.ToUtc(s.OccurredOn.ToDateTime(TimeOnly.MinValue)), "seal", name, s.Note ?? s.HowFound ?? name, name, missed,
                "/adits/" + aditId));
        }
        var gaps = new List<string>();
        var lastCounting = checkIns.Where(c => c.Counts).Select(c => (DateTime?)c.AtUtc).Max();
        if (lastCounting is null || lastCounting < at.AddDays(-30))
            gaps.Add(lastCounting is null ? $"事发前 {BeforeDays} 天内没有到位的巡查记录" : $"事发前 30 天内没有到位的巡查（上次到位 {ChinaTime.Format(lastCounting)}）");
        if (items.Count == 0) gaps.Add("事发前没有关于该矿硐的线索、预警、巡查或举报记录：该矿硐可能未纳入台账或巡查（底数不清）");
        return (items.OrderBy(x => x.AtUtc).ToList(), gaps);
    }
}
