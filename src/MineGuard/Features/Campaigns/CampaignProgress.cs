using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Features.Supervision;
using MineGuard.Platform.Pdf;
using MineGuard.Platform.Time;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

/// <summary>A phase report as typed or posted; properties, not constructor parameters, so a field left out of a multipart form
/// is simply blank (the form binder refuses a missing constructor parameter).</summary>
public sealed record PhaseReportForm
{
    public string? Adits { get; init; }
    public string? Problems { get; init; }
    public string? Rectified { get; init; }
    public string? Cases { get; init; }
    public string? Note { get; init; }
    public string? StageReport { get; init; }
}

public sealed record CampaignReportView(Guid Id, Guid PhaseId, string DivisionCode, Guid FileId, string FileName, int Adits, int Problems, int Rectified,
    int Cases, string? Note, bool Late, DateTime SubmittedUtc);

/// <summary>One adopting level's standing on one phase: reported (when, late or not) or not, overdue, how far its report was escalated.</summary>
public sealed record PhaseStanding(Guid CampaignId, string DivisionCode, string DivisionName, string Level, int Ordinal, string PhaseName, DateOnly ReportDueOn,
    bool Reported, DateTime? ReportedUtc, bool Late, bool Overdue, int EscalationLevel);

public sealed record PhaseSummary(int Ordinal, string Name, DateOnly ReportDueOn, int Levels, int Reported, int Overdue, IReadOnlyList<string> NotReported);

public sealed record OverdueTask(Guid TaskId, Guid AssignmentId, string DivisionCode, string DivisionName, string? DepartmentCode, string Title, DateOnly DueOn,
    int EscalationLevel);

public sealed record CampaignProgressView(Guid CampaignId, string Title, IReadOnlyList<PhaseSummary> Phases, IReadOnlyList<PhaseStanding> Standings,
    int Tasks, int TasksOpen, IReadOnlyList<OverdueTask> OverdueTasks);

public sealed partial class CampaignDesk
{
    /// <summary>
    /// A level's phase report: stored once per phase (sent again: the one stored), it settles the report's assignment and
    /// takes it off the clock; after the report day it is marked late. Either the level's stage report (阶段报告, the one
    /// way a level reports upward where it exists: sent, of the same division, its period meeting the phase; the figures
    /// are the snapshot's and its PDF is kept as the file) or, until a level uses them, a file and typed figures.
    /// </summary>
    public async Task<(CampaignReport? Report, bool Existing, FieldErrors Errors)> ReportAsync(Campaign c, Guid phaseId, PhaseReportForm form, IFormFile? file,
        StageReportDesk stageReports, PdfFontSet? fonts, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var phase = await db.Set<CampaignPhase>().FirstOrDefaultAsync(p => p.Id == phaseId && p.CampaignId == c.Id, ct);
        if (phase is null) return (null, false, errors);
        if (await db.Set<CampaignReport>().FirstOrDefaultAsync(r => r.PhaseId == phaseId, ct) is { } existing) return (existing, true, errors);
        if (c.Level == CampaignLevels.National) errors.Add("PhaseId", "全国方案的阶段不由本级报送");
        if (Blank(form.StageReport) is { } stageText)
        {
            var stage = Guid.TryParse(stageText, out var stageId) ? await stageReports.FindAsync(stageId, ct) : null;
            if (stage is null || stage.DivisionCode != c.DivisionCode) errors.Add(nameof(form.StageReport), "阶段报告不存在，或不是本级的报告");
            else if (stage.State is not (StageReportState.Sent or StageReportState.Received))
                errors.Add(nameof(form.StageReport), "阶段报告须经领导签发并报送后，才能作为专项行动的阶段报告");
            else if (stage.ToOn < phase.StartsOn || stage.FromOn > phase.EndsOn)
                errors.Add(nameof(form.StageReport), $"阶段报告的期间（{stage.FromOn:yyyy-MM-dd} 至 {stage.ToOn:yyyy-MM-dd}）与本阶段（{phase.StartsOn:yyyy-MM-dd} 至 {phase.EndsOn:yyyy-MM-dd}）不重合");
            else if (fonts is null) errors.Add(nameof(form.StageReport), "服务器缺少中文字体，无法生成阶段报告 PDF：" + PdfFonts.MissingMessage);
            if (!errors.Ok) return (null, false, errors);
            var view = await stageReports.ViewAsync(stage!, ct);
            var content = view.Content!;
            int Figure(string section, string measure) =>
                content.Board.Sections.FirstOrDefault(x => x.Key == section)?.Measures.FirstOrDefault(m => m.Key == measure)?.Total.Value ?? 0;
            var bytes = StageReportDocuments.Pdf(stage!, content, view.DivisionName, fonts!);
            using var stream = new MemoryStream(bytes);
            var pdf = new FormFile(stream, 0, bytes.Length, "file", $"{stage!.Title}.pdf") { Headers = new HeaderDictionary(), ContentType = "application/pdf" };
            return await StoreAsync(c, phase, pdf, Figure("ledger", "known"), Figure("rectification", "new"), Figure("rectification", "closed"),
                Figure("clues", "case"), $"阶段报告：{stage.Title}（{stage.SentByName} 于 {ChinaTime.Format(stage.SentUtc ?? Now)} 报送）", ct);
        }
        var adits = Count(form.Adits, nameof(form.Adits), "排查矿硐数", errors);
        var problems = Count(form.Problems, nameof(form.Problems), "发现问题数", errors);
        var rectified = Count(form.Rectified, nameof(form.Rectified), "整改完成数", errors);
        var cases = Count(form.Cases, nameof(form.Cases), "立案数", errors);
        if (rectified > problems) errors.Add(nameof(form.Rectified), "整改完成数不能大于发现问题数");
        if (form.Note is { Length: > 2000 }) errors.Add(nameof(form.Note), "说明不能超过 2000 个字符");
        if (file is null || file.Length == 0) errors.Add("File", "请上传阶段报告文件（PDF 或照片），或选择已报送的阶段报告");
        if (!errors.Ok) return (null, false, errors);
        return await StoreAsync(c, phase, file!, adits, problems, rectified, cases, Blank(form.Note), ct);
    }

    private async Task<(CampaignReport? Report, bool Existing, FieldErrors Errors)> StoreAsync(Campaign c, CampaignPhase phase, IFormFile file, int adits,
        int problems, int rectified, int cases, string? note, CancellationToken ct)
    {
        var reportId = Guid.CreateVersion7();
        var (evidence, fileErrors) = await AssignmentDesk.AddFileAsync(db, "campaign-report", reportId, c.DivisionCode, file, ct);
        if (evidence is null) return (null, false, fileErrors);
        var late = Today > phase.ReportDueOn;
        var report = CampaignReport.Create(reportId, phase, evidence.StoredFileId, evidence.FileName, adits, problems, rectified, cases, note, late,
            db.CurrentUser.Id, Now);
        db.Add(report);
        if (phase.ReportAssignmentId is { } aid && await db.Set<Assignment>().FirstOrDefaultAsync(a => a.Id == aid, ct) is { } a)
        {
            a.Settle($"已报送阶段报告：{evidence.FileName}" + (late ? "（逾期）" : ""), db.CurrentUser.Id, Now);
            await db.CloseAsync(Assignment.ClockSubject, a.Id, ct);
        }
        await db.SaveChangesAsync(ct);
        return (report, false, fileErrors);
    }

    private static int Count(string? text, string field, string label, FieldErrors errors)
    {
        if (Blank(text) is not { } t) return 0;
        if (int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 1_000_000) return n;
        errors.Add(field, $"{label}须是不小于 0 的整数");
        return 0;
    }

    public static CampaignReportView View(CampaignReport r) =>
        new(r.Id, r.PhaseId, r.DivisionCode, r.FileId, r.FileName, r.Adits, r.Problems, r.Rectified, r.Cases, r.Note, r.Late, r.SubmittedUtc);

    /// <summary>
    /// Progress rolled up under a campaign: every level in the caller's scope that adopted it (directly or through a level
    /// between), which phases each has reported and which are overdue, and the tasks past their day (as the caller's
    /// department may see them).
    /// </summary>
    public async Task<CampaignProgressView?> ProgressAsync(Guid id, CancellationToken ct)
    {
        if (await ReadableAsync(id, ct) is not { } root) return null;
        var inScope = await db.Set<Campaign>().Select(c => new { c.Id, c.ParentId, c.DivisionCode, c.Level }).ToListAsync(ct);
        var children = inScope.ToLookup(c => c.ParentId);
        var levels = new List<(Guid Id, string DivisionCode, string Level)>();
        var queue = new Queue<Guid>([id]);
        while (queue.Count > 0)
        {
            var parent = queue.Dequeue();
            foreach (var c in children[parent])
            {
                levels.Add((c.Id, c.DivisionCode, c.Level));
                queue.Enqueue(c.Id);
            }
        }
        if (inScope.FirstOrDefault(c => c.Id == id) is { } self && self.Level != CampaignLevels.National) levels.Insert(0, (self.Id, self.DivisionCode, self.Level));
        var ids = levels.Select(l => l.Id).ToList();
        var phases = await db.Set<CampaignPhase>().Where(p => ids.Contains(p.CampaignId)).ToListAsync(ct);
        var reports = await db.Set<CampaignReport>().Where(r => ids.Contains(r.CampaignId)).ToDictionaryAsync(r => r.PhaseId, ct);
        var assignmentIds = phases.Where(p => p.ReportAssignmentId != null).Select(p => p.ReportAssignmentId!.Value).ToList();
        var escalation = await db.Set<Assignment>().Beyond(ScopeExit.ChildrenOfVisible).Where(a => assignmentIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.EscalationLevel, ct);
        var names = await db.DivisionNamesAsync(levels.Select(l => l.DivisionCode), ct);
        var level = levels.ToDictionary(l => l.Id);
        var today = Today;
        var standings = phases.OrderBy(p => p.DivisionCode).ThenBy(p => p.Ordinal).Select(p =>
        {
            var r = reports.GetValueOrDefault(p.Id);
            return new PhaseStanding(p.CampaignId, p.DivisionCode, names.GetValueOrDefault(p.DivisionCode, p.DivisionCode), level[p.CampaignId].Level, p.Ordinal,
                p.Name, p.ReportDueOn, r is not null, r?.SubmittedUtc, r?.Late ?? false, r is null && p.ReportAssignmentId is not null && p.ReportDueOn < today,
                p.ReportAssignmentId is { } a ? escalation.GetValueOrDefault(a) : 0);
        }).ToList();
        var rootPhases = await db.Set<CampaignPhase>().Beyond(ScopeExit.InheritedSettings).Where(p => p.CampaignId == id).OrderBy(p => p.Ordinal).ToListAsync(ct);
        var summaries = rootPhases.Select(p =>
        {
            var rows = standings.Where(s => s.Ordinal == p.Ordinal).ToList();
            return new PhaseSummary(p.Ordinal, p.Name, p.ReportDueOn, rows.Count, rows.Count(s => s.Reported), rows.Count(s => s.Overdue),
                rows.Where(s => !s.Reported).Select(s => s.DivisionName).ToList());
        }).ToList();
        var tasks = await db.Set<CampaignTask>().Where(t => ids.Contains(t.CampaignId) || t.CampaignId == id).ToListAsync(ct);
        var taskAssignments = tasks.Select(t => t.AssignmentId).ToList();
        var open = await new AssignmentDesk(db).Visible.Where(a => taskAssignments.Contains(a.Id) && a.Status == AssignmentStatus.Open)
            .ToDictionaryAsync(a => a.Id, ct);
        var taskNames = await db.DivisionNamesAsync(tasks.Select(t => t.DivisionCode), ct);
        var overdue = tasks.Where(t => open.ContainsKey(t.AssignmentId) && t.DueOn < today).OrderBy(t => t.DueOn)
            .Select(t => new OverdueTask(t.Id, t.AssignmentId, t.DivisionCode, taskNames.GetValueOrDefault(t.DivisionCode, t.DivisionCode), t.DepartmentCode, t.Title,
                t.DueOn, open[t.AssignmentId].EscalationLevel)).ToList();
        return new CampaignProgressView(root.Id, root.Title, summaries, standings, tasks.Count, open.Count, overdue);
    }
}
