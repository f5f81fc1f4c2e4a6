using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Features.Mines;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Cases;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Cases;

public sealed record CaseInput(
    Guid? ClientId, string? Type, [property: MaxLength(200)] string? Title, [property: MaxLength(4000)] string? Facts, string? DivisionCode,
    string? DepartmentCode, IReadOnlyList<Guid>? OfficerIds, IReadOnlyList<Guid>? ClueIds, IReadOnlyList<Guid>? AditIds, IReadOnlyList<Guid>? MineIds,
    [property: MaxLength(1000)] string? SourceNote, string? FiledOn);

/// <summary>
/// 立案 and what every other step of a case shares: finding a case the caller may see, its history line, the number by
/// the county's pattern. Used by the API and the pages.
/// </summary>
public sealed class CaseDesk(AppDbContext db, IEnumerable<ICaseFiledOn> followers, CaseSettingsDesk settings, IServiceProvider services)
{
    internal IServiceProvider Services => services;

    public const string DefaultPattern = "{county}自然资立〔{year}〕{seq}号";

    internal DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    internal DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>A case in the caller's scope and department share (the filters), or null: a 404 to everyone else.</summary>
    public Task<Case?> FindAsync(Guid id, CancellationToken ct) => db.Set<Case>().FirstOrDefaultAsync(c => c.Id == id, ct);

    internal void Entry(Case c, string kind, string text) => db.Add(CaseEntry.Create(c, kind, text, db.CurrentUser.Id, Now));

    public static string Format(string pattern, string countyShort, int year, int seq) =>
        pattern.Replace("{county}", countyShort, StringComparison.Ordinal).Replace("{year}", year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{seq}", seq.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Whether the caller may read the case's protected details (parties' ID numbers, evidence files): the office or its officers.</summary>
    public async Task<bool> MaySeeProtectedAsync(Case c, CancellationToken ct) =>
        db.CurrentUser.IsInRole(Roles.Office)
        || (db.CurrentUser.Id is { } me && await db.Set<CaseOfficer>().Beyond(ScopeExit.ChildrenOfVisible).AnyAsync(o => o.CaseId == c.Id && o.UserId == me, ct));

    /// <summary>Who may change a case they see: the office, administrators and the handling department's users.</summary>
    public bool MayWrite(Case c) =>
        db.CurrentUser.CanWrite && (db.CurrentUser.IsInRole(Roles.Office) || db.CurrentUser.IsInRole(Roles.Admin)
                                    || ((db.CurrentUser.IsInRole(Roles.Department) || db.CurrentUser.IsInRole(Roles.Head))
                                        && db.CurrentUser.DepartmentCode == c.DepartmentCode));

    /// <summary>Who decides a transfer to the police: the head (机关负责人) of the handling department's agency.</summary>
    public bool MayDecideTransfer(Case c) => MayWrite(c) && db.CurrentUser.IsInRole(Roles.Head);

    /// <summary>Who may file a case: the office, administrators and department officers (for their own department).</summary>
    public bool MayFile => db.CurrentUser.CanWrite && (db.CurrentUser.SeesAllDepartments || db.CurrentUser.IsInRole(Roles.Department));

    public async Task<(Case? Case, bool Existing, FieldErrors Errors)> FileAsync(CaseInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId
            && await db.Set<Case>().Beyond(ScopeExit.Uniqueness).Where(c => c.ClientId == clientId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct) is { } sent)
            return (await FindAsync(sent, ct), true, errors);
        var type = Blank(input.Type);
        if (type is null || !CaseTypes.Names.ContainsKey(type))
            errors.Add(nameof(input.Type), "案件类型只能是 " + string.Join("、", CaseTypes.Names.Select(k => $"{k.Key}（{k.Value}）")));
        var title = Blank(input.Title);
        if (title is null) errors.Add(nameof(input.Title), "请填写案由");
        var division = Blank(input.DivisionCode);
        if (division is null || division.Length < 6) errors.Add(nameof(input.DivisionCode), "请选择案件所在区划");
        else if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "所在区划不在您的管辖范围内");
        var county = division is { Length: >= 6 } ? division[..6] : "";
        var department = Blank(input.DepartmentCode);
        if (department is null || Department.NameOf(department) is null) errors.Add(nameof(input.DepartmentCode), "请选择承办部门");
        else if (!db.CurrentUser.SeesAllDepartments && department != db.CurrentUser.DepartmentCode)
            errors.Add(nameof(input.DepartmentCode), "部门人员只能以本部门为承办部门立案");
        var officerIds = (input.OfficerIds ?? []).Distinct().ToList();
        if (officerIds.Count < 2) errors.Add(nameof(input.OfficerIds), "办案人员至少两名（行政执法须两名以上执法人员）");
        else if (department is not null && county.Length == 6)
        {
            var officers = await db.Users.Where(u => officerIds.Contains(u.Id) && !u.IsDisabled)
                .Select(u => new { u.Id, u.DisplayName, u.DepartmentCode, u.DivisionCode }).ToListAsync(ct);
            var missing = officerIds.Count - officers.Count;
            var foreign = officers.Where(o => o.DepartmentCode != department).Select(o => o.DisplayName).ToList();
            var outside = officers.Where(o => !o.DivisionCode.StartsWith(county, StringComparison.Ordinal) && !county.StartsWith(o.DivisionCode, StringComparison.Ordinal))
                .Select(o => o.DisplayName).ToList();
            if (missing > 0) errors.Add(nameof(input.OfficerIds), "办案人员不存在或已停用");
            else if (foreign.Count > 0) errors.Add(nameof(input.OfficerIds), $"办案人员须是承办部门（{Department.NameOf(department)}）的人员：{string.Join("、", foreign)} 不是");
            else if (outside.Count > 0) errors.Add(nameof(input.OfficerIds), $"办案人员不在本县（市）：{string.Join("、", outside)}");
        }
        var clueIds = (input.ClueIds ?? []).Distinct().ToList();
        var clues = clueIds.Count == 0 ? [] : await db.Set<Clue>().Where(c => clueIds.Contains(c.Id)).ToListAsync(ct);
        if (clues.Count != clueIds.Count) errors.Add(nameof(input.ClueIds), "线索不存在或不在您的管辖范围内");
        else if (clues.Count > 0 && clues.All(c => c.CaseId is not null) && clues.Select(c => c.CaseId).Distinct().Count() == 1
                 && await FindAsync(clues[0].CaseId!.Value, ct) is { } filed)
            return (filed, true, errors);
        else if (clues.FirstOrDefault(c => c.State != ClueState.Verified || c.Finding is not (ClueFinding.True or ClueFinding.PartlyTrue)) is { } unverified)
            errors.Add(nameof(input.ClueIds), $"只有核查属实或部分属实、尚未办结的线索才能立案：{Short(unverified.Summary)}");
        else if (clues.Any(c => !c.DivisionCode.StartsWith(county, StringComparison.Ordinal)))
            errors.Add(nameof(input.ClueIds), "线索须在案件所在县（市）");
        var note = Blank(input.SourceNote);
        if (clues.Count == 0 && note is null) errors.Add(nameof(input.SourceNote), "直接立案须写明来源（上级交办的文号或事项）");
        var aditIds = (input.AditIds ?? []).Distinct().ToList();
        if (aditIds.Count > 0 && await db.Set<Adit>().CountAsync(a => aditIds.Contains(a.Id) && a.CountyCode == county, ct) != aditIds.Count)
            errors.Add(nameof(input.AditIds), "矿硐不存在或不在案件所在县（市）");
        var mineIds = (input.MineIds ?? []).Distinct().ToList();
        if (mineIds.Count > 0 && await db.Set<LicensedMine>().CountAsync(m => mineIds.Contains(m.Id) && m.CountyCode == county, ct) != mineIds.Count)
            errors.Add(nameof(input.MineIds), "矿山不存在或不在案件所在县（市）");
        var filedOn = Today;
        if (Blank(input.FiledOn) is { } text)
        {
            if (CalendarDate.Problem("立案日期", text, out filedOn) is { } problem) errors.Add(nameof(input.FiledOn), problem);
            else if (filedOn > Today) errors.Add(nameof(input.FiledOn), "立案日期不能晚于今天");
        }
        if (!errors.Ok) return (null, false, errors);

        var countyName = await db.Divisions.Where(d => d.Code == county).Select(d => d.Name).FirstAsync(ct);
        var pattern = await settings.PatternAsync(county, ct);
        var seq = await NextSeqAsync(county, filedOn.Year, ct);
        var c = Case.File(division!, filedOn.Year, seq, Format(pattern, countyName[..1], filedOn.Year, seq), type!, title!, Blank(input.Facts), department!,
            clues.Count > 0 ? "clue" : "superior", note, input.ClientId, filedOn, db.CurrentUser.Id, Now);
        db.Add(c);
        foreach (var id in officerIds) db.Add(CaseOfficer.Create(c, id));
        foreach (var id in aditIds.Concat(clues.Select(x => x.AditId).OfType<Guid>()).Distinct()) db.Add(CaseLink.Create(c, "adit", id));
        foreach (var id in mineIds) db.Add(CaseLink.Create(c, "mine", id));
        foreach (var clue in clues)
        {
            db.Add(CaseLink.Create(c, "clue", clue.Id));
            clue.CloseWithCase(c.Id, c.Number, db.CurrentUser.Id, Now);
            db.Add(ClueEntry.Create(clue, "closed", $"{db.CurrentUser.DisplayName} 立案：{c.Number}", db.CurrentUser.Id, Now));
        }
        var stage = CaseStages.OpenStage(db, c, CaseStage.Investigation, "调查取证并作出处理决定", c.DecisionDeadline);
        c.OnStage(CaseStage.Investigation, stage.Id);
        Entry(c, "filed", $"{db.CurrentUser.DisplayName} 立案：{c.Number}（{CaseTypes.Names[c.Type]}，{Department.NameOf(c.DepartmentCode)}承办）"
            + (clues.Count > 0 ? $"，来源线索 {clues.Count} 条" : $"，来源：{note}") + $"；处罚决定期限 {c.DecisionDueOn:yyyy-MM-dd}");
        await FollowSourcesAsync(c, clues, ct);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return (c, false, errors);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Two filings at once took the same number, or the same client id / clue was sent twice at once.
                if (input.ClientId is { } id && await db.Set<Case>().Beyond(ScopeExit.Uniqueness).AnyAsync(x => x.ClientId == id && x.Id != c.Id, ct))
                    return (await db.Set<Case>().Beyond(ScopeExit.Uniqueness).AsNoTracking().FirstAsync(x => x.ClientId == id, ct), true, errors);
                seq = await NextSeqAsync(county, filedOn.Year, ct);
                c.Renumber(seq, Format(pattern, countyName[..1], filedOn.Year, seq));
            }
        }
    }

    private async Task<int> NextSeqAsync(string county, int year, CancellationToken ct) =>
        (await db.Set<Case>().Beyond(ScopeExit.Uniqueness).Where(c => c.CountyCode == county && c.Year == year).MaxAsync(c => (int?)c.Seq, ct) ?? 0) + 1;

    /// <summary>What follows on the clues' sources: a tip's reward rises to the case tier (no typing).</summary>
    private async Task FollowSourcesAsync(Case c, IReadOnlyList<Clue> clues, CancellationToken ct)
    {
        if (clues.Count == 0) return;
        var ids = clues.Select(x => x.Id).ToList();
        var sources = await db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => ids.Contains(s.ClueId) && s.SourceId != null)
            .Select(s => new { s.Type, s.SourceId }).Distinct().ToListAsync(ct);
        foreach (var s in sources)
            foreach (var follower in followers.Where(f => f.SourceType == s.Type))
                if (await follower.CaseFiledAsync(s.SourceId!.Value, c.Number, c.FiledOn, ct) is { } line) Entry(c, "source", line);
    }

    /// <summary>A time people type in China ("2026-11-02 10:30"), as UTC; now when blank; never in the future.</summary>
    internal DateTime When(FieldErrors errors, string field, string label, string? text)
    {
        if (Blank(text) is not { } t) return Now;
        if (!ChinaTime.TryParseLocal(t, out var utc))
        {
            errors.Add(field, $"请填写{label}，如 2026-11-02 10:30");
            return Now;
        }
        if (utc > Now.AddMinutes(5)) errors.Add(field, $"{label}不能晚于现在");
        return utc;
    }

    internal static string Short(string s) => s.Length <= 60 ? s : s[..60] + "…";

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
