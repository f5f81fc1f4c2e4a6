using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Accountability;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision;

public sealed record StageReportInput(string? Division, string? From, string? To, string? Title, string? Narrative, Guid? ClientId);

public sealed record StageReportRequestInput(string? Division, string? From, string? To, string? DueOn, string? Title, Guid? ClientId);

public sealed record StageReportTextInput(string? Title, string? Narrative);

public sealed record ReturnReportInput(string? Comment);

/// <summary>A named item past its deadline, as the report lists it.</summary>
public sealed record OverdueItemView(string Kind, string Title, string Division, string Due, string Responsible, string? Link);

/// <summary>What a report holds as generated: the dashboard's figures, the named overdue items and the referrals.</summary>
public sealed record StageReportContent(DashboardView Board, List<OverdueItemView> Overdue, List<OverdueItemView> Referrals, int OverdueTotal);

public sealed record StageReportView(
    Guid Id, string DivisionCode, string DivisionName, DateOnly From, DateOnly To, string Title, string Narrative, string State, string StateName,
    int Version, DateTime? GeneratedUtc, string ContentHash, string? RequestedByDivision, DateOnly? DueOn, Guid? AssignmentId,
    string CreatedByName, DateTime CreatedUtc, string? SignedByName, DateTime? SignedUtc, string? SentByName, DateTime? SentUtc,
    string? ReceivedByName, DateTime? ReceivedUtc, string? ReturnComment, string? ReturnedByName, DateTime? ReturnedUtc,
    bool Editable, bool CanSignOff, bool CanSend, bool CanReceive, string PdfUrl, string XlsxUrl, StageReportContent? Content);

/// <summary>
/// 阶段报告 (issue 18): the level above requests a report (its deadline an assignment of kind report on the one clock);
/// the division's office generates it from the data and writes its text; the division's leader signs it off; the office
/// sends it; the level above receives it (closing the deadline's assignment) or returns it with comments (reopening it).
/// Every read goes through <see cref="Visible"/>.
/// </summary>
public sealed class StageReportDesk(AppDbContext db, CurrentUser me, SupervisionDashboard dashboard, AssignmentDesk assignments, Responsibility responsibility)
{
    public const string SourceType = "stage-report";
    private const int MaxOverdue = 300;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>
    /// Reports the caller may see: the scope and department filters (department officers see none), and of the divisions
    /// below the caller's own, only what was sent up or what the caller's level requested.
    /// </summary>
    public IQueryable<StageReport> Visible
    {
        get
        {
            var own = me.Scope.Code;
            return db.Set<StageReport>().Where(r => r.DivisionCode == own || r.RequestedByDivision == own
                || r.State == StageReportState.Sent || r.State == StageReportState.Received || r.State == StageReportState.Returned);
        }
    }

    public Task<StageReport?> FindAsync(Guid id, CancellationToken ct) => Visible.FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>Whether the caller may read what the report says: its own division always, the level above once it was sent.</summary>
    public bool ContentVisible(StageReport r) => r.DivisionCode == me.Scope.Code
        || r.State is StageReportState.Sent or StageReportState.Received or StageReportState.Returned;

    private bool IsOwnOffice(StageReport r) => r.DivisionCode == me.Scope.Code && (me.IsInRole(Roles.Office) || me.IsInRole(Roles.Admin));

    private bool IsUpperOffice(StageReport r) => r.DivisionCode != me.Scope.Code && me.Scope.Contains(r.DivisionCode) && me.IsInRole(Roles.Office);

    private bool IsLeaderOf(StageReport r) => r.DivisionCode == me.Scope.Code && me.IsInRole(Roles.Leader);

    /// <summary>A report for the caller's own division, generated at once.</summary>
    public async Task<(StageReport? Report, FieldErrors Errors)> CreateAsync(StageReportInput input, CancellationToken ct)
    {
        if (input.ClientId is { } client && await db.Set<StageReport>().FirstOrDefaultAsync(r => r.ClientId == client, ct) is { } again)
            return (again, new FieldErrors());
        var errors = new FieldErrors();
        var division = string.IsNullOrWhiteSpace(input.Division) ? me.Scope.Code : input.Division.Trim();
        if (division != me.Scope.Code) errors.Add(nameof(input.Division), "只能编制本级的阶段报告（下级的报告由下级编制后报送）");
        var period = ReportPeriod.Read(input.From, input.To, Today, errors.Add);
        var (title, narrative) = Text(input.Title, input.Narrative, errors);
        if (!errors.Ok) return (null, errors);
        var names = await db.DivisionNamesAsync([division], ct);
        var report = StageReport.Start(division, period.From, period.To, title ?? DefaultTitle(names.GetValueOrDefault(division, division), period.From, period.To),
            me.Id, me.DisplayName, input.ClientId, Now);
        db.Add(report);
        errors = await GenerateAsync(report, new StageReportTextInput(report.Title, narrative), ct);
        return (errors.Ok ? report : null, errors);
    }

    /// <summary>The level above asks a division below for its report by a day: a report awaiting its text, and the deadline's assignment.</summary>
    public async Task<(StageReport? Report, FieldErrors Errors)> RequestAsync(StageReportRequestInput input, CancellationToken ct)
    {
        if (input.ClientId is { } client && await db.Set<StageReport>().FirstOrDefaultAsync(r => r.ClientId == client, ct) is { } again)
            return (again, new FieldErrors());
        var errors = new FieldErrors();
        var division = input.Division?.Trim() ?? "";
        Division? node = null;
        if (division.Length == 0) errors.Add(nameof(input.Division), "请选择要求报送的下级区划");
        else if (division == me.Scope.Code || !me.Scope.Contains(division)
                 || (node = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == division, ct)) is null)
            errors.Add(nameof(input.Division), $"区划不存在或不是您的下级：{division}");
        var period = ReportPeriod.Read(input.From, input.To, Today, errors.Add);
        DateOnly due = default;
        if (string.IsNullOrWhiteSpace(input.DueOn)) errors.Add(nameof(input.DueOn), "请填写报送期限");
        else if (CalendarDate.Problem("报送期限", input.DueOn, out due) is { } problem) errors.Add(nameof(input.DueOn), problem);
        else if (due < Today) errors.Add(nameof(input.DueOn), "报送期限不能早于今天");
        else if (errors.Ok && due < period.To) errors.Add(nameof(input.DueOn), "报送期限不能早于报告期间的结束日期");
        var (title, _) = Text(input.Title, null, errors);
        if (!errors.Ok) return (null, errors);

        var report = StageReport.Request(division, period.From, period.To, title ?? DefaultTitle(node!.Name, period.From, period.To), due, me.Scope.Code,
            me.Id, me.DisplayName, input.ClientId, Now);
        db.Add(report);
        var task = AssignmentDesk.Open(db, division, null, AssignmentKinds.Report, SourceType, report.Id, $"报送{report.Title}",
            $"{report.FromOn:yyyy-MM-dd} 至 {report.ToOn:yyyy-MM-dd}，由{me.DisplayName}要求报送", node!.Name + "打非办", null, null, null, due);
        report.LinkDeadline(task.Id);
        foreach (var who in await responsibility.WhoAnswersAsync(new Place(division), LevelOf(node!.Level), null, ct))
            db.Tell(who, division, "阶段报告报送要求", $"请于 {due:yyyy-MM-dd} 前报送{report.Title}", $"/reports/{report.Id}", SourceType, report.Id, sms: false);
        await db.SaveChangesAsync(ct);
        return (report, errors);
    }

    /// <summary>(Re)generates the report from today's data with the office's text; it goes back to draft (a new sign-off is needed).</summary>
    public async Task<FieldErrors> GenerateAsync(StageReport report, StageReportTextInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Rule.Check(IsOwnOffice(report), "ReportNotOwn", "只有本级打非办可以编制本级的阶段报告");
        Rule.Check(report.Editable, "ReportNotEditable", $"报告{StageReportStates.Chinese(report.State)}，不能再修改；被上级退回后方可修改");
        var (title, narrative) = Text(input.Title, input.Narrative, errors);
        if (!errors.Ok) return errors;
        var (board, boardErrors) = await dashboard.ReadAsync(report.DivisionCode, report.FromOn.ToString("yyyy-MM-dd"), report.ToOn.ToString("yyyy-MM-dd"), ct);
        if (board is null) return boardErrors;
        var (overdue, total) = await OverdueAsync(report.DivisionCode, ct);
        var referrals = await ReferralsAsync(report, ct);
        var content = new StageReportContent(board, overdue, referrals, total);
        var json = JsonSerializer.Serialize(content, Json);
        var text = narrative ?? report.Narrative;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json + "\n" + (title ?? report.Title) + "\n" + text)));
        report.Generate(title ?? report.Title, text, json, hash, me.Id, Now);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The division's leader signs the generated report off; not the person who generated it.</summary>
    public async Task SignOffAsync(StageReport report, CancellationToken ct)
    {
        Rule.Check(IsLeaderOf(report), "ReportSignerNotLeader", "阶段报告须由本级领导签发");
        Rule.Check(report.State == StageReportState.Draft && report.ContentJson.Length > 0, "ReportNotDraft",
            $"报告{StageReportStates.Chinese(report.State)}，只有已生成的草稿可以签发");
        Rule.Check(report.GeneratedById is null || report.GeneratedById != me.Id, "ReportSameSigner", "报告须由编制人以外的领导签发");
        report.SignOff(me.Id, me.DisplayName, Now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The office sends the signed report up: the deadline's assignment is reported done; the level above is told.</summary>
    public async Task SendAsync(StageReport report, CancellationToken ct)
    {
        Rule.Check(IsOwnOffice(report), "ReportNotOwn", "只有本级打非办可以报送本级的阶段报告");
        Rule.Check(report.State == StageReportState.SignedOff, "ReportNotSigned", "报告须经领导签发后才能报送");
        report.Send(me.DisplayName, Now);
        if (report.AssignmentId is { } id && await assignments.FindAsync(id, ct) is { Status: AssignmentStatus.Open } task)
            await assignments.CompleteAsync(task, new CompleteInput($"已报送：{report.Title}（第 {report.Version} 版）"), ct);
        var parent = await db.Divisions.AsNoTracking().Where(d => d.Code == report.DivisionCode).Select(d => d.ParentCode).FirstOrDefaultAsync(ct);
        var upper = report.RequestedByDivision ?? parent;
        var node = upper is null ? null : await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == upper, ct);
        if (node is not null)
        {
            foreach (var who in await responsibility.WhoAnswersAsync(new Place(node.Code), LevelOf(node.Level), null, ct))
                db.Tell(who, node.Code, "收到阶段报告", report.Title, $"/reports/{report.Id}", SourceType, report.Id, sms: false);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The level above receives the report: the deadline's assignment is closed (销号) by the receiver.</summary>
    public async Task ReceiveAsync(StageReport report, CancellationToken ct)
    {
        Rule.Check(IsUpperOffice(report), "ReportNotUpper", "只有上级打非办可以接收下级报送的报告");
        Rule.Check(report.State == StageReportState.Sent, "ReportNotSent", $"报告{StageReportStates.Chinese(report.State)}，只能接收已报送的报告");
        report.Receive(me.DisplayName, Now);
        if (report.AssignmentId is { } id && await assignments.FindAsync(id, ct) is { Status: AssignmentStatus.Completed } task)
            task.Verify($"上级已接收：{me.DisplayName}", me.Id, Now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The level above returns the report with comments: the office revises it; the deadline's assignment reopens.</summary>
    public async Task<FieldErrors> ReturnAsync(StageReport report, ReturnReportInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var comment = input.Comment?.Trim();
        if (string.IsNullOrEmpty(comment)) errors.Add(nameof(input.Comment), "请填写退回意见");
        else if (comment.Length > 2000) errors.Add(nameof(input.Comment), "退回意见不能超过 2000 个字符");
        if (!errors.Ok) return errors;
        Rule.Check(IsUpperOffice(report), "ReportNotUpper", "只有上级打非办可以退回下级报送的报告");
        Rule.Check(report.State == StageReportState.Sent, "ReportNotSent", $"报告{StageReportStates.Chinese(report.State)}，只能退回已报送的报告");
        report.Return(comment!, me.DisplayName, Now);
        if (report.AssignmentId is { } id && await assignments.FindAsync(id, ct) is { Status: AssignmentStatus.Completed } task)
        {
            errors = await assignments.ReopenAsync(task, new ReopenInput(Platform.Web.StoredValueLimits.Cut("上级退回阶段报告：" + comment, Assignment.TextMax)), ct);
            if (!errors.Ok) return errors;
        }
        var answerers = await responsibility.WhoAnswersAsync(new Place(report.DivisionCode), AnswerLevel.County, null, ct);
        foreach (var who in answerers)
            db.Tell(who, report.DivisionCode, "阶段报告被退回", $"{report.Title}：{comment}", $"/reports/{report.Id}", SourceType, report.Id, sms: false);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<List<StageReportView>> ListAsync(string? state, CancellationToken ct)
    {
        var query = Visible.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(state) && state != "all")
        {
            var wanted = Enum.GetValues<StageReportState>().Where(s => StageReportStates.Code(s) == state).ToList();
            query = query.Where(r => wanted.Contains(r.State));
        }
        var rows = await query.OrderByDescending(r => r.CreatedUtc).Take(500).ToListAsync(ct);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode), ct);
        return rows.Select(r => View(r, names, withContent: false)).ToList();
    }

    public async Task<StageReportView> ViewAsync(StageReport report, CancellationToken ct) =>
        View(report, await db.DivisionNamesAsync([report.DivisionCode], ct), withContent: true);

    private StageReportView View(StageReport r, Dictionary<string, string> names, bool withContent) =>
        new(r.Id, r.DivisionCode, names.GetValueOrDefault(r.DivisionCode, r.DivisionCode), r.FromOn, r.ToOn, r.Title, r.Narrative,
            StageReportStates.Code(r.State), StageReportStates.Chinese(r.State), r.Version, r.GeneratedUtc, r.ContentHash, r.RequestedByDivision,
            r.DueOn, r.AssignmentId, r.CreatedByName, r.CreatedUtc, r.SignedByName, r.SignedUtc, r.SentByName, r.SentUtc, r.ReceivedByName,
            r.ReceivedUtc, r.ReturnComment, r.ReturnedByName, r.ReturnedUtc, r.Editable && IsOwnOffice(r),
            IsLeaderOf(r) && r.State == StageReportState.Draft && r.ContentJson.Length > 0 && r.GeneratedById != me.Id,
            IsOwnOffice(r) && r.State == StageReportState.SignedOff, IsUpperOffice(r) && r.State == StageReportState.Sent,
            $"/api/reports/{r.Id}.pdf", $"/api/reports/{r.Id}.xlsx", withContent && ContentVisible(r) ? ContentOf(r) : null);

    public static StageReportContent? ContentOf(StageReport r) =>
        r.ContentJson.Length == 0 ? null : JsonSerializer.Deserialize<StageReportContent>(r.ContentJson, Json);

    /// <summary>Assignments and clue verifications in the division past their deadline, the oldest first (at most <see cref="MaxOverdue"/> named).</summary>
    private async Task<(List<OverdueItemView> Items, int Total)> OverdueAsync(string division, CancellationToken ct)
    {
        var scope = JurisdictionScope.Of(division);
        var today = Today;
        var late = assignments.Visible.AsNoTracking().Within(scope, a => a.DivisionCode)
            .Where(a => a.Status == AssignmentStatus.Open && a.DueOn < today);
        var total = await late.CountAsync(ct);
        var rows = await late.OrderBy(a => a.DueOn).ThenBy(a => a.Id).Take(MaxOverdue).ToListAsync(ct);
        var views = await assignments.ViewsAsync(rows, ct);
        var items = views.Select(v => new OverdueItemView(v.KindName, v.Title, v.DivisionName, v.DueOn?.ToString("yyyy-MM-dd") ?? "",
            v.ResponsibleName ?? v.ResponsibleUnit ?? "", $"/assignments/{v.Id}")).ToList();

        var now = Now;
        var clues = db.Set<Clue>().AsNoTracking().Within(scope, c => c.DivisionCode)
            .Where(c => c.State == ClueState.Verifying && c.VerifyDueUtc < now);
        total += await clues.CountAsync(ct);
        var clueRows = await clues.OrderBy(c => c.VerifyDueUtc).Take(Math.Max(0, MaxOverdue - items.Count))
            .Select(c => new { c.Id, c.Summary, c.DivisionCode, c.VerifyDueUtc }).ToListAsync(ct);
        var names = await db.DivisionNamesAsync(clueRows.Select(c => c.DivisionCode), ct);
        items.AddRange(clueRows.Select(c => new OverdueItemView("线索核查", c.Summary, names.GetValueOrDefault(c.DivisionCode, c.DivisionCode),
            AssignmentDesk.DueDay(c.VerifyDueUtc), "", $"/clues/{c.Id}")));
        return (items, total);
    }

    /// <summary>Referrals (问责线索) made for places in the division over months that overlap the period, by rule and place.</summary>
    private async Task<List<OverdueItemView>> ReferralsAsync(StageReport report, CancellationToken ct)
    {
        var (from, to) = (report.FromOn, report.ToOn);
        var rows = await db.Set<Referral>().AsNoTracking().Within(JurisdictionScope.Of(report.DivisionCode), r => r.DivisionCode)
            .Where(r => r.PeriodFrom <= to && r.PeriodTo >= from)
            .OrderBy(r => r.PeriodFrom).ThenBy(r => r.DivisionCode).ThenBy(r => r.RuleCode).Take(MaxOverdue).ToListAsync(ct);
        var names = await db.DivisionNamesAsync(rows.Select(r => r.DivisionCode), ct);
        return rows.Select(r => new OverdueItemView(ReferralRules.Names.GetValueOrDefault(r.RuleCode, r.RuleCode), r.Summary,
            names.GetValueOrDefault(r.DivisionCode, r.DivisionCode), r.Period,
            string.Join("、", (JsonSerializer.Deserialize<List<ReferralOfficial>>(r.Officials, ReferralEvaluator.Json) ?? [])
                .Select(o => o.Name is null ? o.Post : $"{o.Post} {o.Name}")), $"/referrals/{r.Id}")).ToList();
    }

    private static (string? Title, string? Narrative) Text(string? title, string? narrative, FieldErrors errors)
    {
        var t = string.IsNullOrWhiteSpace(title) ? null : title.Trim();
        var n = narrative?.Trim();
        if (t is { Length: > 200 }) errors.Add("Title", "标题不能超过 200 个字符");
        if (n is { Length: > 20000 }) errors.Add("Narrative", "报告正文不能超过 20000 个字符");
        return (t, n);
    }

    private static string DefaultTitle(string division, DateOnly from, DateOnly to) =>
        $"{division}矿山领域打非治违工作阶段报告（{from:yyyy年M月d日}至{to:yyyy年M月d日}）";

    private static AnswerLevel LevelOf(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => AnswerLevel.Province,
        DivisionLevel.City => AnswerLevel.City,
        DivisionLevel.County => AnswerLevel.County,
        DivisionLevel.Township => AnswerLevel.Township,
        DivisionLevel.Village => AnswerLevel.Village,
        _ => AnswerLevel.Grid,
    };
}
