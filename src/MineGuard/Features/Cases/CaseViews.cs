using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Cases;

public sealed record CaseListItem(Guid Id, string Number, string Title, string Type, string TypeName, string DepartmentCode, string DepartmentName,
    string Stage, string StageName, DateOnly FiledOn, DateOnly? StageDueOn, bool Overdue, IReadOnlyList<string> Flags);

public sealed record NamedRef(Guid Id, string Name);

/// <summary>
/// The case list's filters (<c>GET /api/cases</c>, the page <c>/cases</c>, the export, the statistics' links): keyword,
/// stage, type, department, overdue, division, filing dates, and one figure of the statistics (<see cref="CaseViews.HasFilters"/>).
/// </summary>
public sealed record CaseQuery(string? Q = null, string? Stage = null, string? Type = null, string? Department = null, string? Overdue = null,
    string? Division = null, string? From = null, string? To = null, string? Has = null);

public sealed record PartyView(Guid Id, string Kind, string Name, Guid? KeyPersonId, string? IdNumberMasked, string? CreditCode, string? Role, DateTime AddedUtc);

public sealed record DismissalView(Guid Id, string Name, Guid? PartyId, string Reason, DateTime AtUtc);

public sealed record CustodyView(string From, string To, string? Note, DateTime AtUtc);

public sealed record CaseEvidenceView(Guid Id, string Title, string? FileName, string? ContentType, string? Sha256, string? FileUrl, string CollectedBy,
    DateTime CollectedUtc, string Place, string Holder, IReadOnlyList<string> NamedPersons, DateTime? WithdrawnUtc, string? WithdrawReason,
    IReadOnlyList<CustodyView> Custody);

public sealed record SeizureView(Guid Id, string Kind, string KindName, string Description, double? WeightKg, double? ValueYuan, string? ValuedBy,
    string? Plate, int? Quantity, string StoragePlace, string Keeper, IReadOnlyList<string> NamedPersons, string? Disposal, string? DisposalName,
    DateOnly? DisposedOn, string? DisposalDocument);

public sealed record CaseEntryView(string Kind, string Text, DateTime AtUtc, string? By);

public sealed record CaseView(
    Guid Id, string Number, string DivisionCode, string DivisionName, string Type, string TypeName, string Title, string? Facts, string DepartmentCode,
    string DepartmentName, string Source, string? SourceNote, string Stage, string StageName, DateOnly FiledOn, DateOnly DecisionDueOn,
    DateOnly DecisionDeadline, DateOnly? ExtendedTo, string? ExtensionReason, string? ExtensionApprovedBy, Guid? StageAssignmentId, DateOnly? StageDueOn,
    bool Overdue, IReadOnlyList<string> Flags, DateOnly? NoticeOn, DateOnly? DefenceDueOn, string? NoticeText, DateOnly? DecisionOn, string? DecisionText,
    double? FineYuan, DateOnly? ExecutedOn, string? ExecutionNote, DateTime? ClosedUtc, DateTime? TransferReportedUtc, DateTime? TransferDecidedUtc,
    string? TransferDecidedBy, string? TransferRefusedReason, DateTime? HandedOverUtc, IReadOnlyList<string> TransferMaterials, string? PoliceUnit,
    DateTime? PoliceReceivedUtc, string? ReceiptNumber, string? PoliceCaseNumber, string? PoliceDecision, DateTime? PoliceDecidedUtc, DateTime? AppealedUtc,
    string? AppealResult, DateTime? ReferredUtc, string? ReferralReason, bool MaySeeProtected, IReadOnlyList<NamedRef> Officers,
    IReadOnlyList<NamedRef> Clues, IReadOnlyList<NamedRef> Adits, IReadOnlyList<NamedRef> Mines, IReadOnlyList<PartyView> Parties,
    IReadOnlyList<DismissalView> Dismissals, IReadOnlyList<CaseEvidenceView> Evidence, IReadOnlyList<SeizureView> Seizures,
    IReadOnlyList<CaseEntryView> Entries);

/// <summary>What the list, the detail and the export show of cases; the list's one filter.</summary>
public sealed class CaseViews(AppDbContext db, IConfiguration config, CaseDesk desk)
{
    public static readonly IReadOnlyDictionary<CaseStage, (string Code, string Name)> Stages = new Dictionary<CaseStage, (string, string)>
    {
        [CaseStage.Investigation] = ("investigation", "调查取证"), [CaseStage.PenaltyNotice] = ("penalty-notice", "处罚告知"),
        [CaseStage.Decision] = ("decision", "已作出处罚决定"), [CaseStage.Execution] = ("execution", "已执行"), [CaseStage.Closed] = ("closed", "已结案"),
        [CaseStage.TransferReported] = ("transfer-reported", "移送待批"), [CaseStage.TransferApproved] = ("transfer-approved", "待移交公安"),
        [CaseStage.Transferred] = ("transferred", "已移送公安"), [CaseStage.PoliceDecided] = ("police-decided", "公安已决定"),
        [CaseStage.Appealed] = ("appealed", "复议中"),
    };

    public static readonly IReadOnlyDictionary<string, string> SeizureKinds = new Dictionary<string, string>
    {
        ["ore"] = "矿产品", ["tool"] = "作案工具", ["vehicle"] = "车辆", ["explosive"] = "爆炸物品",
    };

    public static readonly IReadOnlyDictionary<string, string> Disposals = new Dictionary<string, string>
    {
        ["returned"] = "发还", ["confiscated"] = "没收", ["auctioned"] = "拍卖", ["destroyed"] = "销毁",
    };

    public static string StageName(CaseStage s) => Stages[s].Name;

    /// <summary>The criminal threshold of seized ore: <c>Cases:CriminalThresholdYuan</c> (default 100,000 yuan) or <c>Cases:CriminalThresholdKg</c> (off by default).</summary>
    public double ThresholdYuan => config.GetValue<double?>("Cases:CriminalThresholdYuan") ?? 100_000;

    public double? ThresholdKg => config.GetValue<double?>("Cases:CriminalThresholdKg");

    private DateOnly Today => desk.Today;

    /// <summary>
    /// The figures of the statistics a list can be narrowed to (<c>has=</c>): transfers to the police and their outcomes,
    /// fines decided and executed, ore seized.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> HasFilters = new Dictionary<string, string>
    {
        ["transferred"] = "已移送公安", ["police-accepted"] = "公安机关立案", ["police-refused"] = "公安机关不予立案", ["appealed"] = "提请复议",
        ["fined"] = "作出罚款决定", ["fine-paid"] = "罚款已执行", ["ore"] = "扣押矿产品",
    };

    /// <summary>
    /// The cases of the caller's scope and department share with the list's filters: keyword (case number, title, a
    /// party's name, the last four characters of a party's ID number, an adit's number, a vehicle's plate), stage, type,
    /// department, overdue, division (a code: the cases filed there or below), filing dates from/to, and one figure of
    /// the statistics (<see cref="HasFilters"/>); newest first. The page, the API, the export and the statistics share it.
    /// </summary>
    public (IOrderedQueryable<Case>? Query, FieldErrors Errors) Filter(CaseQuery f)
    {
        var (query, errors) = Where(f);
        if (!errors.Ok) return (null, errors);
        return (query.OrderByDescending(c => c.FiledUtc).ThenBy(c => c.Id), errors);
    }

    /// <summary><see cref="Filter"/> without the order (the statistics group it).</summary>
    public (IQueryable<Case> Query, FieldErrors Errors) Where(CaseQuery f)
    {
        var errors = new FieldErrors();
        var query = db.Set<Case>().AsNoTracking();
        var stage = f.Stage;
        if (!string.IsNullOrWhiteSpace(stage))
        {
            if (stage == "open") query = query.Where(c => c.Stage != CaseStage.Closed);
            else if (Stages.FirstOrDefault(s => s.Value.Code == stage) is { Value.Code: not null } found) query = query.Where(c => c.Stage == found.Key);
            else errors.Add("stage", "阶段只能是 open 或 " + string.Join("、", Stages.Values.Select(s => $"{s.Code}（{s.Name}）")));
        }
        var type = f.Type;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (CaseTypes.Names.ContainsKey(type)) query = query.Where(c => c.Type == type);
            else errors.Add("type", "案件类型只能是 " + string.Join("、", CaseTypes.Names.Select(k => $"{k.Key}（{k.Value}）")));
        }
        var department = f.Department;
        if (!string.IsNullOrWhiteSpace(department))
        {
            if (Department.NameOf(department) is not null) query = query.Where(c => c.DepartmentCode == department);
            else errors.Add("department", "承办部门不存在");
        }
        switch (f.Overdue)
        {
            case null or "" or "false": break;
            case "true":
                var today = Today;
                var late = db.Set<Assignment>().Beyond(ScopeExit.ChildrenOfVisible)
                    .Where(a => a.SourceType == "case" && a.Status == AssignmentStatus.Open && a.DueOn < today).Select(a => (Guid?)a.Id);
                query = query.Where(c => late.Contains(c.StageAssignmentId));
                break;
            default: errors.Add("overdue", "overdue 只能是 true 或 false"); break;
        }
        if (CaseDesk.Blank(f.Division) is { } division)
        {
            // A grid (网格) has its village's code and a serial (the dashboard's children of a village link here).
            var grid = division.Length == 16 && division[12] == 'G' && Division.LevelOfCode(division[..12]) is not null && division[13..].All(char.IsAsciiDigit);
            if (Division.LevelOfCode(division) is null && !grid) errors.Add("division", "区划代码应为 2、4、6、9 或 12 位数字");
            else query = query.Where(c => c.DivisionCode.StartsWith(division));
        }
        if (Dates(f.From, f.To, errors) is var (from, to))
        {
            if (from is { } a) query = query.Where(c => c.FiledOn >= a);
            if (to is { } b) query = query.Where(c => c.FiledOn <= b);
        }
        switch (CaseDesk.Blank(f.Has))
        {
            case null: break;
            case "transferred": query = query.Where(c => c.HandedOverUtc != null); break;
            case "police-accepted": query = query.Where(c => c.PoliceDecision == "accepted"); break;
            case "police-refused": query = query.Where(c => c.PoliceDecision == "refused"); break;
            case "appealed": query = query.Where(c => c.AppealedUtc != null); break;
            case "fined": query = query.Where(c => c.DecisionOn != null && c.FineYuan != null); break;
            case "fine-paid": query = query.Where(c => c.ExecutedOn != null && c.FineYuan != null); break;
            case "ore":
                var ore = db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => s.Kind == "ore").Select(s => s.CaseId);
                query = query.Where(c => ore.Contains(c.Id));
                break;
            default: errors.Add("has", "has 只能是 " + string.Join("、", HasFilters.Select(k => $"{k.Key}（{k.Value}）"))); break;
        }
        if (ListPaging.Keyword(f.Q, errors) is { } text)
        {
            // Correlated (EXISTS … WHERE CaseId = c.Id): each of the scope's cases looks up its own parties, seizures and links by
            // their CaseId index, rather than the province's parties being scanned for the text (the benchmark's province).
            var parties = db.Set<CaseParty>().Beyond(ScopeExit.ChildrenOfVisible);
            var adits = db.Set<Adit>().Beyond(ScopeExit.LinkedLabel).Where(a => a.Number.Contains(text)).Select(a => a.Id);
            var links = db.Set<CaseLink>().Beyond(ScopeExit.ChildrenOfVisible);
            var seizures = db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible);
            query = query.Where(c => c.Number.Contains(text) || c.Title.Contains(text)
                || parties.Any(p => p.CaseId == c.Id && (p.Name.Contains(text) || p.IdNumberLast4 == text))
                || seizures.Any(s => s.CaseId == c.Id && s.Plate != null && s.Plate.Contains(text))
                || links.Any(l => l.CaseId == c.Id && l.Kind == "adit" && adits.Contains(l.TargetId)));
        }
        return (query, errors);
    }

    /// <summary>The filing dates from/to (either may be blank), or null with the fields named in <paramref name="errors"/>.</summary>
    public static (DateOnly? From, DateOnly? To)? Dates(string? from, string? to, FieldErrors errors)
    {
        DateOnly? f = null, t = null;
        var ok = true;
        if (CaseDesk.Blank(from) is { } a)
        {
            if (CalendarDate.Problem("开始日期", a, out var d) is { } p) { errors.Add("from", p); ok = false; }
            else f = d;
        }
        if (CaseDesk.Blank(to) is { } b)
        {
            if (CalendarDate.Problem("结束日期", b, out var d) is { } p) { errors.Add("to", p); ok = false; }
            else t = d;
        }
        if (f > t) { errors.Add("to", "结束日期不能早于开始日期"); ok = false; }
        return ok ? (f, t) : null;
    }

    /// <summary>The flags a case raises: ore seized past the criminal threshold and not transferred to the police.</summary>
    private async Task<Dictionary<Guid, List<string>>> FlagsAsync(IReadOnlyList<Case> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var ore = await db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => ids.Contains(s.CaseId) && s.Kind == "ore")
            .Select(s => new { s.CaseId, s.WeightKg, s.ValueYuan }).ToListAsync(ct);
        var sums = ore.GroupBy(o => o.CaseId).ToDictionary(g => g.Key, g => (Kg: g.Sum(x => x.WeightKg ?? 0), Yuan: g.Sum(x => x.ValueYuan ?? 0)));
        return rows.ToDictionary(r => r.Id, r =>
        {
            var flags = new List<string>();
            if (sums.TryGetValue(r.Id, out var s) && r.HandedOverUtc is null && (s.Yuan >= ThresholdYuan || (ThresholdKg is { } kg && s.Kg >= kg)))
                flags.Add($"涉案矿产品价值 {s.Yuan:0.##} 元、{s.Kg:0.##} 千克，达到涉嫌犯罪移送标准但未移送公安机关");
            return flags;
        });
    }

    private async Task<Dictionary<Guid, Assignment>> StageAssignmentsAsync(IReadOnlyList<Case> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.StageAssignmentId).OfType<Guid>().ToList();
        return await db.Set<Assignment>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
    }

    private bool Late(Assignment? a) => a is { Status: AssignmentStatus.Open, DueOn: { } due } && due < Today;

    public async Task<List<CaseListItem>> ListItemsAsync(IReadOnlyList<Case> rows, CancellationToken ct)
    {
        var flags = await FlagsAsync(rows, ct);
        var stages = await StageAssignmentsAsync(rows, ct);
        return rows.Select(c =>
        {
            var a = c.StageAssignmentId is { } id ? stages.GetValueOrDefault(id) : null;
            return new CaseListItem(c.Id, c.Number, c.Title, c.Type, CaseTypes.Names.GetValueOrDefault(c.Type, c.Type), c.DepartmentCode,
                Department.NameOf(c.DepartmentCode) ?? c.DepartmentCode, Stages[c.Stage].Code, Stages[c.Stage].Name, c.FiledOn, a?.DueOn, Late(a), flags[c.Id]);
        }).ToList();
    }

    public async Task<CaseView> ViewAsync(Case c, CancellationToken ct)
    {
        var protectedOk = await desk.MaySeeProtectedAsync(c, ct);
        var flags = (await FlagsAsync([c], ct))[c.Id];
        var stage = c.StageAssignmentId is { } sid ? (await StageAssignmentsAsync([c], ct)).GetValueOrDefault(sid) : null;
        var officerIds = await db.Set<CaseOfficer>().Beyond(ScopeExit.ChildrenOfVisible).Where(o => o.CaseId == c.Id).Select(o => o.UserId).ToListAsync(ct);
        var links = await db.Set<CaseLink>().Beyond(ScopeExit.ChildrenOfVisible).Where(l => l.CaseId == c.Id).ToListAsync(ct);
        List<Guid> Of(string kind) => links.Where(l => l.Kind == kind).Select(l => l.TargetId).ToList();
        var clueIds = Of("clue");
        var aditIds = Of("adit");
        var mineIds = Of("mine");
        var clues = await db.Set<Clue>().Beyond(ScopeExit.LinkedLabel).Where(x => clueIds.Contains(x.Id)).Select(x => new NamedRef(x.Id, x.Summary)).ToListAsync(ct);
        var adits = await db.Set<Adit>().Beyond(ScopeExit.LinkedLabel).Where(x => aditIds.Contains(x.Id)).Select(x => new NamedRef(x.Id, x.Number)).ToListAsync(ct);
        var mines = await db.Set<LicensedMine>().Beyond(ScopeExit.LinkedLabel).Where(x => mineIds.Contains(x.Id)).Select(x => new NamedRef(x.Id, x.Name)).ToListAsync(ct);
        var parties = await db.Set<CaseParty>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => p.CaseId == c.Id).OrderBy(p => p.AddedUtc).ToListAsync(ct);
        var dismissals = await db.Set<CaseDismissal>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => p.CaseId == c.Id).OrderBy(p => p.AtUtc).ToListAsync(ct);
        var evidence = await db.Set<CaseEvidence>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => p.CaseId == c.Id).OrderBy(p => p.AddedUtc).ToListAsync(ct);
        var custody = (await db.Set<CaseCustody>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => p.CaseId == c.Id).OrderBy(p => p.AtUtc).ToListAsync(ct))
            .ToLookup(x => x.EvidenceId);
        var seizures = await db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => p.CaseId == c.Id).OrderBy(p => p.SeizedUtc).ToListAsync(ct);
        var entries = await db.Set<CaseEntry>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(e => e.CaseId == c.Id).OrderBy(e => e.AtUtc).ThenBy(e => e.Id).ToListAsync(ct);
        // One read of the users: the officers and whoever wrote the history lines.
        var userIds = entries.Select(e => e.ByUserId).OfType<Guid>().Concat(officerIds).Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var officers = officerIds.Where(names.ContainsKey).Select(id => new NamedRef(id, names[id])).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        var place = (await db.DivisionNamesAsync([c.DivisionCode], ct)).GetValueOrDefault(c.DivisionCode, c.DivisionCode);
        return new CaseView(c.Id, c.Number, c.DivisionCode, place, c.Type, CaseTypes.Names.GetValueOrDefault(c.Type, c.Type), c.Title, c.Facts,
            c.DepartmentCode, Department.NameOf(c.DepartmentCode) ?? c.DepartmentCode, c.Source, c.SourceNote, Stages[c.Stage].Code, Stages[c.Stage].Name,
            c.FiledOn, c.DecisionDueOn, c.DecisionDeadline, c.ExtendedTo, c.ExtensionReason, c.ExtensionApprovedBy, c.StageAssignmentId, stage?.DueOn,
            Late(stage), flags, c.NoticeOn, c.DefenceDueOn, c.NoticeText, c.DecisionOn, c.DecisionText, c.FineYuan, c.ExecutedOn, c.ExecutionNote,
            c.ClosedUtc, c.TransferReportedUtc, c.TransferDecidedUtc, c.TransferDecidedBy, c.TransferRefusedReason, c.HandedOverUtc,
            (c.TransferMaterials ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(m => CaseStages.Materials.GetValueOrDefault(m, m)).ToList(),
            c.PoliceUnit, c.PoliceReceivedUtc, c.ReceiptNumber, c.PoliceCaseNumber, c.PoliceDecision, c.PoliceDecidedUtc, c.AppealedUtc, c.AppealResult,
            c.ReferredUtc, c.ReferralReason, protectedOk, officers, clues, adits, mines,
            parties.Select(p => new PartyView(p.Id, p.Kind, p.Name, p.KeyPersonId, p.IdNumberLast4 is { } l ? "**************" + l : null, p.CreditCode, p.Role,
                p.AddedUtc)).ToList(),
            dismissals.Select(d => new DismissalView(d.Id, d.Name, d.PartyId, d.Reason, d.AtUtc)).ToList(),
            evidence.Select(e => new CaseEvidenceView(e.Id, e.Title, e.FileName, e.ContentType, e.Sha256,
                e.StoredFileId is null || !protectedOk ? null : $"/api/cases/{c.Id}/evidence/{e.Id}/file", e.CollectedBy, e.CollectedUtc, e.Place, e.Holder,
                ClueDesk.SplitNames(e.NamedPersons), e.WithdrawnUtc, e.WithdrawReason,
                custody[e.Id].Select(x => new CustodyView(x.FromHolder, x.ToHolder, x.Note, x.AtUtc)).ToList())).ToList(),
            seizures.Select(s => new SeizureView(s.Id, s.Kind, SeizureKinds.GetValueOrDefault(s.Kind, s.Kind), s.Description, s.WeightKg, s.ValueYuan, s.ValuedBy,
                s.Plate, s.Quantity, s.StoragePlace, s.Keeper, ClueDesk.SplitNames(s.NamedPersons), s.Disposal,
                s.Disposal is { } d ? Disposals.GetValueOrDefault(d, d) : null, s.DisposedOn, s.DisposalDocument)).ToList(),
            entries.Select(e => new CaseEntryView(e.Kind, e.Text, e.AtUtc, e.ByUserId is { } u ? names.GetValueOrDefault(u) : null)).ToList());
    }

    public static string Day(DateOnly? d) => d is { } x ? x.ToString("yyyy-MM-dd") : "";

    public static string Time(DateTime? t) => ChinaTime.Format(t);
}
