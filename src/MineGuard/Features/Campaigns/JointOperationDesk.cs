using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
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

public sealed record SeizureCaseInput(string? Type, string? DepartmentCode, IReadOnlyList<Guid>? OfficerIds);

public sealed record SeizureInput([property: MaxLength(500)] string? Description, Guid? AditId, bool OpenClue, SeizureCaseInput? Case);

public sealed record JointOperationInput(Guid? ClientId, string? DivisionCode, string? Date, [property: MaxLength(200)] string? Area,
    IReadOnlyList<string>? Departments, [property: MaxLength(1000)] string? People, [property: MaxLength(2000)] string? Targets,
    [property: MaxLength(2000)] string? Findings, IReadOnlyList<SeizureInput>? Seizures);

public sealed record SeizureView(Guid Id, string Description, Guid? AditId, Guid? CaseId, Guid? ClueId);

public sealed record JointOperationView(Guid Id, string DivisionCode, DateOnly Date, string Area, IReadOnlyList<string> Departments, string? People,
    string? Targets, string? Findings, Guid? NextAssignmentId, IReadOnlyList<SeizureView> Seizures, IReadOnlyList<MaterialView> Photos);

/// <summary>"At least one joint operation every N months" for one county: the last one, the day the next is due, breached or not.</summary>
public sealed record JointOperationRuleView(string CountyCode, string CountyName, int Months, DateOnly? LastOn, DateOnly? NextDueOn, bool Breached);

/// <summary>
/// 联合执法行动: recorded by the office (at least two departments), a seizure filing a case (through <see cref="CaseDesk"/>)
/// or opening a clue (<see cref="ClueIntake"/>), and the rule per county "one every N months" (default 2, 自然资发〔2022〕61号),
/// kept on the one clock: each operation opens the assignment "the next one by …", which the next operation settles.
/// </summary>
public sealed class JointOperationDesk(AppDbContext db, CaseDesk cases, IConfiguration config)
{
    public const int DefaultMonths = 2;
    public const string SourceType = "joint-operation";

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    public bool MayWrite => db.CurrentUser.CanWrite && (db.CurrentUser.IsInRole(Roles.Office) || db.CurrentUser.IsInRole(Roles.Admin));

    public int MonthsFor(string county) =>
        config.GetValue<int?>($"Campaigns:JointOperationMonthsByCounty:{county}") ?? config.GetValue<int?>("Campaigns:JointOperationMonths") ?? DefaultMonths;

    public async Task<List<JointOperationView>> ListAsync(CancellationToken ct) =>
        await ViewsAsync(await db.Set<JointOperation>().OrderByDescending(o => o.OnDate).Take(500).ToListAsync(ct), ct);

    public Task<JointOperation?> FindAsync(Guid id, CancellationToken ct) => db.Set<JointOperation>().FirstOrDefaultAsync(o => o.Id == id, ct);

    public async Task<JointOperationView?> DetailAsync(Guid id, CancellationToken ct) =>
        await db.Set<JointOperation>().FirstOrDefaultAsync(o => o.Id == id, ct) is { } o ? (await ViewsAsync([o], ct))[0] : null;

    public async Task<(JointOperation? Operation, bool Existing, FieldErrors Errors)> RecordAsync(JointOperationInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId && await db.Set<JointOperation>().Beyond(ScopeExit.Uniqueness).Where(o => o.ClientId == clientId)
                .Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct) is { } sent)
        {
            if (await db.Set<JointOperation>().FirstOrDefaultAsync(o => o.Id == sent, ct) is { } mine) return (mine, true, errors);
            errors.Add(nameof(input.ClientId), "该请求编号已被使用");
            return (null, false, errors);
        }
        var division = CampaignDesk.Blank(input.DivisionCode) ?? db.CurrentUser.Scope.Code;
        if (division.Length < 6 || !db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "请选择管辖范围内的县（市、区）或乡镇");
        var date = Today;
        if (CalendarDate.Problem("行动日期", input.Date, out date) is { } p) errors.Add(nameof(input.Date), p);
        else if (date > Today) errors.Add(nameof(input.Date), "行动日期不能晚于今天");
        var area = CampaignDesk.Blank(input.Area);
        if (area is null) errors.Add(nameof(input.Area), "请填写行动区域");
        var departments = (input.Departments ?? []).Select(d => d.Trim()).Where(d => d.Length > 0).Distinct().ToList();
        if (departments.FirstOrDefault(d => Department.NameOf(d) is null) is { } unknown) errors.Add(nameof(input.Departments), $"部门“{unknown}”不存在");
        else if (departments.Count < 2) errors.Add(nameof(input.Departments), "联合执法须至少两个部门参加");
        var seizures = input.Seizures ?? [];
        for (var i = 0; i < seizures.Count; i++)
            if (CampaignDesk.Blank(seizures[i].Description) is null) errors.Add($"seizures[{i}].description", "请填写查扣物品");
        if (!errors.Ok) return (null, false, errors);

        var o = JointOperation.Record(division, date, area!, departments, CampaignDesk.Blank(input.People), CampaignDesk.Blank(input.Targets),
            CampaignDesk.Blank(input.Findings), input.ClientId, db.CurrentUser.Id, Now);
        // A filed case saves on its own: the operation, its seizures and its cases commit together or not at all.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var recorded = new List<JointOperationSeizure>();
        for (var i = 0; i < seizures.Count; i++)
        {
            var s = seizures[i];
            var seizure = JointOperationSeizure.Create(Guid.CreateVersion7(), o, s.Description!.Trim(), s.AditId);
            Guid? caseId = null, clueId = null;
            if (s.Case is { } c)
            {
                // Filed through the cases' own path (number, officers, stages on the clock); a resend files nothing new.
                var (filed, _, caseErrors) = await cases.FileAsync(new CaseInput(Derived(input.ClientId, i), c.Type, $"联合执法查扣：{Short(seizure.Description)}",
                    $"{date:yyyy-MM-dd} 联合执法行动（{area}，{string.Join("、", departments.Select(d => Department.NameOf(d)))}）查扣：{seizure.Description}",
                    division, c.DepartmentCode, c.OfficerIds, null, s.AditId is { } a ? [a] : null, null, $"{date:yyyy-MM-dd} 联合执法行动查扣", Day(date)), ct);
                foreach (var (key, messages) in caseErrors)
                    foreach (var m in messages) errors.Add($"seizures[{i}].case.{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(key)}", m);
                caseId = filed?.Id;
            }
            else if (s.OpenClue)
                clueId = (await ClueIntake.OpenAsync(db, new ClueLead(SourceType, seizure.Id, $"联合执法查扣：{seizure.Description}", division, s.AditId,
                    departments.Contains(Department.PublicSecurity) ? Department.PublicSecurity : null), ct))?.Id;
            seizure.Opened(caseId, clueId);
            recorded.Add(seizure);
        }
        if (!errors.Ok) return (null, false, errors);
        db.Add(o);
        db.AddRange(recorded);
        await PutNextOnClockAsync(o, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (o, false, errors);
    }

    /// <summary>The county's previous "next operation" assignment is settled by this one, and the next is due N months on.</summary>
    private async Task PutNextOnClockAsync(JointOperation o, CancellationToken ct)
    {
        var county = o.DivisionCode[..6];
        var open = await db.Set<Assignment>().Where(a => a.Kind == AssignmentKinds.JointOperation && a.DivisionCode == county && a.Status == AssignmentStatus.Open)
            .ToListAsync(ct);
        foreach (var a in open)
        {
            a.Settle($"{o.OnDate:yyyy-MM-dd} 已开展联合执法行动（{o.Area}）", db.CurrentUser.Id, Now);
            await Platform.Deadlines.DeadlineClock.CloseAsync(db, Assignment.ClockSubject, a.Id, ct);
        }
        var months = MonthsFor(county);
        var due = o.OnDate.AddMonths(months);
        if (due < Today) return;
        var name = (await db.DivisionNamesAsync([county], ct)).GetValueOrDefault(county, county);
        o.NextOnClock(AssignmentDesk.Open(db, county, null, AssignmentKinds.JointOperation, SourceType, o.Id, "组织下一次联合执法行动",
            $"按“每{months}个月至少开展一次联合执法”的要求，于 {due:yyyy-MM-dd} 前组织多部门联合执法", name + "打非办", null, null, null, due).Id);
    }

    /// <summary>The rule for every county in the caller's scope: breached when there was none, or the last is more than N months old.</summary>
    public async Task<List<JointOperationRuleView>> RuleAsync(CancellationToken ct)
    {
        var counties = await db.Divisions.CountiesWithinAsync(db.CurrentUser.Scope, ct);
        if (counties.Count == 0 && db.CurrentUser.Scope.Code.Length > 6)
            counties = await db.Divisions.AsNoTracking().Where(d => d.Code == db.CurrentUser.Scope.Code.Substring(0, 6)).ToListAsync(ct);
        // Operations are read for the rule as the system judges it (a department officer's share would hide the others').
        var codes = counties.Select(c => c.Code).ToList();
        var last = (await db.Set<JointOperation>().Beyond(ScopeExit.SystemJudgement).Where(o => codes.Contains(o.DivisionCode.Substring(0, 6)))
                .GroupBy(o => o.DivisionCode.Substring(0, 6)).Select(g => new { County = g.Key, Last = g.Max(o => o.OnDate) }).ToListAsync(ct))
            .ToDictionary(x => x.County, x => x.Last);
        var today = Today;
        return counties.Select(c =>
        {
            var months = MonthsFor(c.Code);
            DateOnly? lastOn = last.TryGetValue(c.Code, out var l) ? l : null;
            DateOnly? next = lastOn?.AddMonths(months);
            return new JointOperationRuleView(c.Code, c.Name, months, lastOn, next, next is null || next < today);
        }).ToList();
    }

    private async Task<List<JointOperationView>> ViewsAsync(IReadOnlyList<JointOperation> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var seizures = (await db.Set<JointOperationSeizure>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => ids.Contains(s.OperationId)).ToListAsync(ct))
            .ToLookup(s => s.OperationId);
        var photos = await EvidenceFilesOf(db, JointOperation.FileSubject, ids, "joint-operations", ct);
        return rows.Select(o => new JointOperationView(o.Id, o.DivisionCode, o.OnDate, o.Area, o.DepartmentCodes.ToList(), o.People, o.Targets, o.Findings,
            o.NextAssignmentId, seizures[o.Id].Select(s => new SeizureView(s.Id, s.Description, s.AditId, s.CaseId, s.ClueId)).ToList(), photos[o.Id].ToList()))
            .ToList();
    }

    /// <summary>The evidence files of visible subjects (photos of an operation, materials of a publicity activity), each with its address under the route.</summary>
    internal static async Task<ILookup<Guid, MaterialView>> EvidenceFilesOf(AppDbContext db, string subject, IReadOnlyList<Guid> ids, string route, CancellationToken ct) =>
        (await db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible).Where(f => f.SubjectType == subject && ids.Contains(f.SubjectId))
            .OrderBy(f => f.AddedUtc).ToListAsync(ct)).ToLookup(f => f.SubjectId, f => Material(f, route));

    public static MaterialView Material(EvidenceFile f, string route) =>
        new(f.Id, f.FileName, f.ContentType, $"/api/{route}/{f.SubjectId}/{(route == "publicity" ? "materials" : "photos")}/{f.Id}");

    /// <summary>A seizure's case client id, derived from the operation's, so the operation sent again files no second case.</summary>
    private static Guid? Derived(Guid? clientId, int index) =>
        clientId is { } id ? new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"joint-operation:{id}:{index}"))[..16]) : Guid.NewGuid();

    private static string Short(string s) => s.Length <= 60 ? s : s[..60];

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
