using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Cases;

public sealed record NoticeInput(string? NoticeOn, int? DefenceDays, [property: MaxLength(2000)] string? Text);

public sealed record ExtensionInput(string? ExtendTo, [property: MaxLength(1000)] string? Reason, [property: MaxLength(100)] string? ApprovedBy);

public sealed record DecisionInput(string? DecidedOn, [property: MaxLength(2000)] string? Text, double? FineYuan);

public sealed record ExecutionInput(string? ExecutedOn, [property: MaxLength(1000)] string? Note);

public sealed record ReasonInput([property: MaxLength(1000)] string? Reason);

public sealed record TransferDecisionInput(bool? Approved, [property: MaxLength(1000)] string? Reason);

public sealed record HandOverInput([property: MaxLength(100)] string? PoliceUnit, IReadOnlyList<string>? Materials);

public sealed record ReceiptInput([property: MaxLength(100)] string? ReceiptNumber, string? ReceivedAt);

public sealed record PoliceDecisionInput(string? Decision, [property: MaxLength(100)] string? PoliceCaseNumber);

/// <summary>
/// The stages of a case on the one clock: each stage is an assignment of kind case-stage with its legal deadline
/// (<see cref="OpenStage"/>), ended when the next step is recorded. Administrative track (行政处罚法): the decision within
/// 90 days of filing (art. 60) unless an approved extension is recorded; the party's 陈述申辩/听证 time after the notice.
/// Transfer track (国务院令第310号): the head decides within 3 days of the report (art. 5), an approved transfer is handed
/// over within 24 hours with the listed materials (art. 6), the police decide within 3 days of receipt (art. 8), a refusal
/// may be appealed (复议) within 3 days (art. 9). Overdue stages are escalated by the assignments' own escalation.
/// </summary>
public sealed class CaseStages(AppDbContext db, CaseDesk desk, Responsibility responsibility, IConfiguration config)
{
    /// <summary>The materials an approved transfer must carry (国务院令第310号 art. 6), codes and names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Materials = new Dictionary<string, string>
    {
        ["transfer-letter"] = "涉嫌犯罪案件移送书", ["investigation-report"] = "涉嫌犯罪案件情况的调查报告", ["evidence-list"] = "涉案物品清单",
        ["valuation-report"] = "检验报告或者鉴定结论（估价报告）",
    };

    private int Setting(string key, int fallback) => config.GetValue<int?>($"Cases:{key}") ?? fallback;

    public int DefaultDefenceDays => Setting("DefenceDays", 5);

    /// <summary>Adds the stage's assignment (kind case-stage, given to the handling department) and its deadline.</summary>
    /// <param name="answerer">The one user who must act (the head deciding a transfer); else the handling department.</param>
    public static Assignment OpenStage(AppDbContext db, Case c, CaseStage stage, string what, DateOnly dueOn, DateTime? dueUtc = null,
        Answerer? answerer = null)
    {
        var a = AssignmentDesk.Open(db, c.DivisionCode, null, AssignmentKinds.CaseStage, "case", c.Id, $"{c.Number}：{what}",
            $"案件环节：{CaseViews.StageName(stage)}", answerer?.Name ?? Department.NameOf(c.DepartmentCode), null, answerer?.UserId,
            c.DepartmentCode, dueOn);
        if (dueUtc is { } exact) db.Open(Assignment.ClockSubject, a.Id, c.DivisionCode, c.DepartmentCode, exact, AnswerLevel.Person);
        return a;
    }

    private async Task EndStageAsync(Case c, string resolution, CancellationToken ct)
    {
        if (c.StageAssignmentId is not { } id) return;
        var a = await db.Set<Assignment>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(x => x.Id == id && x.SourceId == c.Id, ct);
        if (a is null) return;
        a.Settle(resolution, db.CurrentUser.Id, desk.Now);
        await db.CloseAsync(Assignment.ClockSubject, a.Id, ct);
    }

    /// <summary>The current stage's assignment gets a new day (an approved extension, the police's receipt), on the clock too.</summary>
    private async Task MoveStageDueAsync(Case c, DateOnly due, CancellationToken ct)
    {
        if (c.StageAssignmentId is not { } id || await db.Set<Assignment>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return;
        a.MoveDue(due);
        if (await db.OpenDeadlineAsync(Assignment.ClockSubject, a.Id, ct) is { } d) d.Move(AssignmentDesk.EndOf(due));
    }

    private async Task MoveToAsync(Case c, CaseStage stage, string resolution, string? what, DateOnly dueOn, DateTime? dueUtc, CancellationToken ct,
        Answerer? answerer = null)
    {
        await EndStageAsync(c, resolution, ct);
        c.OnStage(stage, what is null ? null : OpenStage(db, c, stage, what, dueOn, dueUtc, answerer).Id);
    }

    /// <summary>
    /// A theft confirmed (a penalty decided, or the police opening a criminal case) at a sealed adit of the case is a
    /// breach of its seal: recorded on the adit if the ledger does not show it yet, dated the day the case was filed. An
    /// adit sealed again after the filing is left alone (its breach came before that seal), as is one never sealed.
    /// </summary>
    private async Task RecordBreachesAsync(Case c, string confirmedBy, CancellationToken ct)
    {
        if (!CaseTypes.IsTheft(c.Type)) return;
        var aditIds = await db.Set<CaseLink>().Where(l => l.CaseId == c.Id && l.Kind == "adit").Select(l => l.TargetId).ToListAsync(ct);
        if (aditIds.Count == 0) return;
        var adits = await db.Adits().Include(a => a.Events)
            .Where(a => aditIds.Contains(a.Id) && (a.State == SealState.Sealed || a.State == SealState.Accepted)
                        && a.LastSealedOn <= c.FiledOn)
            .ToListAsync(ct);
        foreach (var adit in adits.OrderBy(a => a.Number, StringComparer.Ordinal))
        {
            adit.RecordBreach(c.FiledOn, Department.NameOf(c.DepartmentCode), $"案件查实（{c.Number}，{confirmedBy}）", db.CurrentUser.Id,
                $"由案件 {c.Number} 登记", desk.Now);
            desk.Entry(c, "adit-breach", $"矿硐 {adit.Number} 登记为封堵被破坏（{c.FiledOn:yyyy-MM-dd}，{confirmedBy}查实盗采）");
        }
    }

    private async Task<FieldErrors> SaveAsync(Case c, string kind, string text, FieldErrors errors, CancellationToken ct)
    {
        desk.Entry(c, kind, $"{db.CurrentUser.DisplayName} {text}");
        await db.SaveChangesAsync(ct);
        return errors;
    }

    private DateOnly Day(string field, string label, string? text, FieldErrors errors)
    {
        if (CaseDesk.Blank(text) is not { } t) return desk.Today;
        if (CalendarDate.Problem(label, t, out var day) is { } problem) errors.Add(field, problem);
        else if (day > desk.Today) errors.Add(field, $"{label}不能晚于今天");
        return day;
    }

    private static string? Required(FieldErrors errors, string field, string? text, string message)
    {
        var t = CaseDesk.Blank(text);
        if (t is null) errors.Add(field, message);
        return t;
    }

    public async Task<FieldErrors> NoticeAsync(Case c, NoticeInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var on = Day(nameof(input.NoticeOn), "告知日期", input.NoticeOn, errors);
        var days = input.DefenceDays ?? DefaultDefenceDays;
        if (days is < 3 or > 30) errors.Add(nameof(input.DefenceDays), "陈述申辩、听证申请期限应为 3 至 30 日");
        var text = Required(errors, nameof(input.Text), input.Text, "请填写拟作出的行政处罚内容");
        if (!errors.Ok) return errors;
        var due = on.AddDays(days);
        c.Notice(on, due, text!);
        await MoveToAsync(c, CaseStage.PenaltyNotice, "已送达行政处罚事先告知书", $"当事人陈述申辩、听证期限届满后作出决定（{due:yyyy-MM-dd}）", due, null, ct);
        return await SaveAsync(c, "notice", $"送达行政处罚事先告知书（{on:yyyy-MM-dd}），当事人陈述申辩、听证申请期限至 {due:yyyy-MM-dd}", errors, ct);
    }

    public async Task<FieldErrors> ExtendAsync(Case c, ExtensionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var to = default(DateOnly);
        if (CaseDesk.Blank(input.ExtendTo) is not { } text) errors.Add(nameof(input.ExtendTo), "请填写延长后的期限");
        else if (CalendarDate.Problem("延长后的期限", text, out to) is { } problem) errors.Add(nameof(input.ExtendTo), problem);
        var reason = Required(errors, nameof(input.Reason), input.Reason, "请填写延期理由");
        var by = Required(errors, nameof(input.ApprovedBy), input.ApprovedBy, "请填写批准延期的负责人");
        if (!errors.Ok) return errors;
        c.Extend(to, reason!, by!);
        if (c.Stage == CaseStage.Investigation) await MoveStageDueAsync(c, to, ct);
        return await SaveAsync(c, "extended", $"登记延期：处罚决定期限延至 {to:yyyy-MM-dd}（{by} 批准，理由：{reason}）", errors, ct);
    }

    public async Task<FieldErrors> DecideAsync(Case c, DecisionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var on = desk.Today;
        if (CaseDesk.Blank(input.DecidedOn) is { } t && CalendarDate.Problem("决定日期", t, out on) is { } problem) errors.Add(nameof(input.DecidedOn), problem);
        var text = Required(errors, nameof(input.Text), input.Text, "请填写处罚决定内容（罚款、没收矿产品和违法所得、责令恢复等）");
        if (input.FineYuan is { } fine && fine is not (>= 0 and <= 1e10)) errors.Add(nameof(input.FineYuan), "罚款金额须为不小于 0 的元数");
        if (!errors.Ok) return errors;
        c.Decide(on, text!, input.FineYuan);
        await RecordBreachesAsync(c, "行政处罚决定", ct);
        var due = on.AddDays(Setting("ExecutionDays", 15));
        await MoveToAsync(c, CaseStage.Decision, "已作出行政处罚决定", $"执行行政处罚决定（{due:yyyy-MM-dd} 前）", due, null, ct);
        return await SaveAsync(c, "decided", $"作出行政处罚决定（{on:yyyy-MM-dd}）：{text}" + (input.FineYuan is { } f ? $"，罚款 {f:0.##} 元" : ""), errors, ct);
    }

    public async Task<FieldErrors> ExecuteAsync(Case c, ExecutionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var on = Day(nameof(input.ExecutedOn), "执行日期", input.ExecutedOn, errors);
        var note = Required(errors, nameof(input.Note), input.Note, "请填写执行情况（已缴纳、法院强制执行等）");
        if (!errors.Ok) return errors;
        c.Execute(on, note!);
        await MoveToAsync(c, CaseStage.Execution, "已执行", null, on, null, ct);
        return await SaveAsync(c, "executed", $"登记执行（{on:yyyy-MM-dd}）：{note}", errors, ct);
    }

    public async Task<FieldErrors> CloseAsync(Case c, CancellationToken ct)
    {
        c.Close(desk.Now);
        await MoveToAsync(c, CaseStage.Closed, "结案", null, desk.Today, null, ct);
        return await SaveAsync(c, "closed", "结案", new FieldErrors(), ct);
    }

    public async Task<FieldErrors> ReportTransferAsync(Case c, ReasonInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = Required(errors, nameof(input.Reason), input.Reason, "请填写涉嫌犯罪的事实和理由");
        if (!errors.Ok) return errors;
        c.ReportTransfer(desk.Now);
        var due = desk.Today.AddDays(Setting("TransferApprovalDays", 3));
        // The head of the handling department's agency in the county decides; with none on record, the department answers.
        var head = (await responsibility.UsersOfRoleAsync(c.CountyCode, Roles.Head, c.DepartmentCode, ct)).FirstOrDefault();
        await MoveToAsync(c, CaseStage.TransferReported, "报请移送", $"负责人审批是否移送公安机关（{due:yyyy-MM-dd} 前）", due, null, ct, head);
        return await SaveAsync(c, "transfer-reported", $"报请移送公安机关：{reason}；负责人须于 {due:yyyy-MM-dd} 前决定", errors, ct);
    }

    public async Task<FieldErrors> DecideTransferAsync(Case c, TransferDecisionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!desk.MayDecideTransfer(c))
        {
            errors.Add(nameof(input.Approved), "只有机关负责人可以审批是否移送公安机关");
            return errors;
        }
        if (input.Approved is null) errors.Add(nameof(input.Approved), "请选择批准或不批准移送");
        var reason = CaseDesk.Blank(input.Reason);
        if (input.Approved == false && reason is null) errors.Add(nameof(input.Reason), "不批准移送须写明理由");
        if (!errors.Ok) return errors;
        c.DecideTransfer(input.Approved!.Value, db.CurrentUser.DisplayName, reason, desk.Now);
        if (input.Approved == true)
        {
            var dueUtc = desk.Now.AddHours(Setting("HandOverHours", 24));
            await MoveToAsync(c, CaseStage.TransferApproved, "负责人批准移送", $"24 小时内向公安机关移交（{ChinaTime.Format(dueUtc)} 前）",
                DateOnly.FromDateTime(ChinaTime.ToLocal(dueUtc)), dueUtc, ct);
            return await SaveAsync(c, "transfer-approved", $"批准移送，须于 {ChinaTime.Format(dueUtc)} 前移交公安机关", errors, ct);
        }
        await MoveToAsync(c, CaseStage.Investigation, "负责人不批准移送", "调查取证并作出处理决定", c.DecisionDeadline, null, ct);
        return await SaveAsync(c, "transfer-refused", $"不批准移送：{reason}", errors, ct);
    }

    public async Task<FieldErrors> HandOverAsync(Case c, HandOverInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var unit = Required(errors, nameof(input.PoliceUnit), input.PoliceUnit, "请填写接收移送的公安机关");
        var given = (input.Materials ?? []).Select(m => m.Trim()).ToHashSet();
        var unknown = given.Where(m => !Materials.ContainsKey(m)).ToList();
        var missing = Materials.Where(m => !given.Contains(m.Key)).Select(m => m.Value).ToList();
        if (unknown.Count > 0) errors.Add(nameof(input.Materials), "移送材料只能是 " + string.Join("、", Materials.Select(m => $"{m.Key}（{m.Value}）")));
        else if (missing.Count > 0) errors.Add(nameof(input.Materials), $"移送须附全部材料，缺少：{string.Join("、", missing)}");
        if (!errors.Ok) return errors;
        c.HandOver(unit!, string.Join(",", Materials.Keys), desk.Now);
        var due = desk.Today.AddDays(Setting("PoliceDecisionDays", 3));
        await MoveToAsync(c, CaseStage.Transferred, "已移交公安机关", $"公安机关自受理之日起 3 日内决定是否立案（{unit}）", due, null, ct);
        return await SaveAsync(c, "handed-over", $"移交 {unit}，附 {string.Join("、", Materials.Values)}", errors, ct);
    }

    public async Task<FieldErrors> ReceiptAsync(Case c, ReceiptInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var number = Required(errors, nameof(input.ReceiptNumber), input.ReceiptNumber, "请填写回执编号");
        var at = desk.When(errors, nameof(input.ReceivedAt), "接收时间", input.ReceivedAt);
        if (c.HandedOverUtc is { } handed && at < handed.AddMinutes(-5)) errors.Add(nameof(input.ReceivedAt), "接收时间不能早于移交时间");
        if (!errors.Ok) return errors;
        c.Receipt(number!, at);
        var due = DateOnly.FromDateTime(ChinaTime.ToLocal(at)).AddDays(Setting("PoliceDecisionDays", 3));
        await MoveStageDueAsync(c, due, ct);
        return await SaveAsync(c, "receipt", $"登记公安机关接收回执 {number}（{ChinaTime.Format(at)}），公安机关须于 {due:yyyy-MM-dd} 前决定是否立案", errors, ct);
    }

    public async Task<FieldErrors> PoliceDecideAsync(Case c, PoliceDecisionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var decision = CaseDesk.Blank(input.Decision);
        if (decision is not ("accepted" or "refused")) errors.Add(nameof(input.Decision), "公安机关的决定只能是 accepted（立案）或 refused（不予立案）");
        var number = CaseDesk.Blank(input.PoliceCaseNumber);
        if (decision == "accepted" && number is null && c.PoliceCaseNumber is null) errors.Add(nameof(input.PoliceCaseNumber), "公安机关立案的，请填写公安案件编号");
        if (!errors.Ok) return errors;
        var appeal = c.Stage == CaseStage.Appealed;
        c.PoliceDecide(decision!, number, desk.Now);
        if (decision == "accepted") await RecordBreachesAsync(c, "公安机关立案", ct);
        await MoveToAsync(c, CaseStage.PoliceDecided, "公安机关已决定", null, desk.Today, null, ct);
        var text = decision == "accepted" ? $"公安机关决定立案，案件编号 {c.PoliceCaseNumber}" : "公安机关决定不予立案";
        return await SaveAsync(c, "police-decided", (appeal ? "登记复议结果：" : "登记") + text, errors, ct);
    }

    public async Task<FieldErrors> AppealAsync(Case c, ReasonInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = Required(errors, nameof(input.Reason), input.Reason, "请填写提请复议的理由");
        if (!errors.Ok) return errors;
        var days = Setting("AppealDays", 3);
        Rule.Check(c.PoliceDecidedUtc is { } decided && desk.Today <= DateOnly.FromDateTime(ChinaTime.ToLocal(decided)).AddDays(days), "CaseAppealLate",
            $"须在收到不予立案决定之日起 {days} 日内提请复议");
        c.Appeal(desk.Now);
        var due = desk.Today.AddDays(days);
        await MoveToAsync(c, CaseStage.Appealed, "提请复议", $"公安机关 3 日内作出复议决定（{due:yyyy-MM-dd} 前）", due, null, ct);
        return await SaveAsync(c, "appealed", $"提请复议：{reason}", errors, ct);
    }

    public async Task<FieldErrors> ReferAsync(Case c, ReasonInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = Required(errors, nameof(input.Reason), input.Reason, "请填写移送纪委监委的理由（涉及的公职人员及问题）");
        if (!errors.Ok) return errors;
        c.Refer(reason!, desk.Now);
        return await SaveAsync(c, "referred", $"移送纪委监委：{reason}", errors, ct);
    }
}
