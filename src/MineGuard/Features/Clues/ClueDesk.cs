using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Clues;

public sealed record ClueInput(string? SourceType, Guid? SourceId, string? Summary, string? DivisionCode, Guid? AditId, string? DepartmentCode,
    [property: System.ComponentModel.DataAnnotations.MaxLength(1000)] string? NamedPersons = null);

public sealed record AssignVerifierInput(Guid? VerifierPersonId, string? DueOn);

public sealed record VerifyClueInput(string? Finding, string? Evidence, [property: System.ComponentModel.DataAnnotations.MaxLength(1000)] string? NamedPersons = null);

public sealed record CloseClueInput(string? Outcome, string? Note, string? TransferredTo, string? ReceivedBy, string? ReceivedAt,
    string? AssignmentTitle, string? ResponsibleUnit, Guid? ResponsiblePersonId, string? DueOn);

public sealed record MergeClueInput(Guid? IntoClueId);

public sealed record ClueSourceView(string Type, string TypeName, Guid? SourceId, string Summary, DateTime AddedUtc, string? Link);

public sealed record ClueEntryView(string Kind, string Text, DateTime AtUtc, string? By);

public sealed record ClueView(
    Guid Id, string DivisionCode, Guid? AditId, string? AditNumber, string Summary, string? DepartmentCode, string State, string StateName,
    DateTime ReceivedUtc, Guid? VerifierPersonId, string? VerifierName, DateTime? VerifyDueUtc, bool Overdue, string? Finding, string? FindingName,
    string? Evidence, string? VerifiedByName, DateTime? VerifiedUtc, string? Outcome, string? OutcomeName, string? OutcomeNote, Guid? AssignmentId,
    string? TransferredTo, string? TransferReceivedBy, DateTime? TransferReceivedUtc, DateTime? ClosedUtc, Guid? MergedIntoId, int EscalationLevel,
    Guid? CaseId, string? NamedPersons, IReadOnlyList<ClueSourceView> Sources, IReadOnlyList<ClueEntryView> Entries, IReadOnlyList<EvidenceView> Files);

public sealed record DuplicateClueView(Guid Id, string Summary, DateTime ReceivedUtc, string Reason, IReadOnlyList<string> SourceTypes);

/// <summary>The office's work on clues, shared by the API and the pages: assign a verifier, verify, close, merge.</summary>
public sealed class ClueDesk(AppDbContext db, IConfiguration config)
{
    public const int DefaultVerifyDays = 7;

    /// <summary>Probable duplicates: the same adit within this many days; or the same township with similar text within 30 days.</summary>
    public const int DuplicateAditDays = 14;

    public const int DuplicateTextDays = 30;
    public const double DuplicateTextSimilarity = 0.5;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>The verification period: <c>Clues:VerifyDays:{county}</c>, else <c>Clues:VerifyDays</c>, else 7 calendar days.</summary>
    public int VerifyDays(string divisionCode)
    {
        var county = divisionCode.Length >= 6 ? divisionCode[..6] : divisionCode;
        return config.GetValue<int?>($"Clues:VerifyDaysByCounty:{county}") ?? config.GetValue<int?>("Clues:VerifyDays") ?? DefaultVerifyDays;
    }

    public Task<Clue?> FindVisibleAsync(Guid id, CancellationToken ct) => db.Set<Clue>().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>A clue the caller may act on: visible, or given to them to verify (their person record), wherever filed.</summary>
    public async Task<Clue?> FindAsync(Guid id, CancellationToken ct)
    {
        var c = await FindVisibleAsync(id, ct);
        if (c is not null || db.CurrentUser.Id is not { } me) return c;
        var mine = await db.PersonIdsOfUserAsync(me, ct);
        return await db.Set<Clue>().Beyond(ScopeExit.AssignedToCaller)
            .FirstOrDefaultAsync(x => x.Id == id && x.State == ClueState.Verifying && x.VerifierPersonId != null && mine.Contains(x.VerifierPersonId.Value), ct);
    }

    private void Entry(Clue c, string kind, string text) => db.Add(ClueEntry.Create(c, kind, text, db.CurrentUser.Id, Now));

    public async Task<(Clue? Clue, FieldErrors Errors)> CreateAsync(ClueInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var type = Blank(input.SourceType);
        if (type is null || !ClueSourceTypes.Names.ContainsKey(type))
            errors.Add(nameof(input.SourceType), "线索来源只能是 " + string.Join("、", ClueSourceTypes.Names.Select(k => $"{k.Key}（{k.Value}）")));
        var summary = Blank(input.Summary);
        if (summary is null) errors.Add(nameof(input.Summary), "请填写线索内容");
        else if (summary.Length > 1000) errors.Add(nameof(input.Summary), "线索内容不能超过 1000 个字符");
        var division = Blank(input.DivisionCode);
        if (division is null) errors.Add(nameof(input.DivisionCode), "请选择线索所在区划");
        else if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "所在区划不在您的管辖范围内");
        var department = Blank(input.DepartmentCode);
        if (department is not null && Department.NameOf(department) is null) errors.Add(nameof(input.DepartmentCode), "承办部门不存在");
        if (input.AditId is { } aditId && !await db.Set<Adits.Adit>().AnyAsync(a => a.Id == aditId, ct))
            errors.Add(nameof(input.AditId), "矿硐不在您的管辖范围内");
        if (!errors.Ok) return (null, errors);
        var clue = await ClueIntake.OpenAsync(db, new ClueLead(type!, input.SourceId, summary!, division!, input.AditId, department), ct);
        if (clue is null)
        {
            errors.Add(nameof(input.SourceId), "该来源已登记为线索");
            return (null, errors);
        }
        clue.NamePersons(Names(input.NamedPersons));
        await db.SaveChangesAsync(ct);
        return (clue, errors);
    }

    public async Task<FieldErrors> AssignAsync(Clue clue, AssignVerifierInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Person? person = null;
        if (input.VerifierPersonId is not { } pid) errors.Add(nameof(input.VerifierPersonId), "请选择核查人");
        else
        {
            person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == pid && p.MergedIntoId == null, ct);
            if (person is null || !person.DivisionCode.StartsWith(clue.CountyCode, StringComparison.Ordinal))
                errors.Add(nameof(input.VerifierPersonId), "核查人不在您的管辖范围内");
            else if (clue.DepartmentCode is { } dept && person.UserId is { } uid
                     && await db.Users.Where(u => u.Id == uid).Select(u => u.DepartmentCode).FirstOrDefaultAsync(ct) != dept)
                errors.Add(nameof(input.VerifierPersonId), $"核查人不属于承办部门（{Department.NameOf(dept)}）");
        }
        var due = Today.AddDays(VerifyDays(clue.DivisionCode));
        if (Blank(input.DueOn) is { } text)
        {
            var problem = CalendarDate.Problem("核查期限", text, out due);
            if (problem is not null) errors.Add(nameof(input.DueOn), problem);
            else if (due < Today) errors.Add(nameof(input.DueOn), "核查期限不能早于今天");
        }
        if (!errors.Ok) return errors;
        var dueUtc = AssignmentDesk.EndOf(due);
        clue.AssignVerifier(person!.Id, dueUtc, Now);
        db.Open(Clue.ClockSubject, clue.Id, clue.DivisionCode, clue.DepartmentCode, dueUtc, AnswerLevel.Person);
        db.Tell(AssignmentDesk.Answer(person), clue.DivisionCode, "线索核查", $"请于 {due:yyyy-MM-dd} 前核查：{Short(clue.Summary)}",
            $"/clues/{clue.Id}", Clue.ClockSubject, clue.Id, sms: true);
        Entry(clue, "assigned", $"{db.CurrentUser.DisplayName} 指定核查人 {person.Name}（{person.Unit} {person.Post}），期限 {due:yyyy-MM-dd}");
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The verification's own checks, before anything is stored (the page checks them before it stores the photos).</summary>
    public static FieldErrors CheckVerification(VerifyClueInput input)
    {
        var errors = new FieldErrors();
        if (ParseFinding(input.Finding) is null) errors.Add(nameof(input.Finding), "请选择核查结论：属实（true）、部分属实（partly-true）或不属实（false）");
        var evidence = Blank(input.Evidence);
        if (evidence is null) errors.Add(nameof(input.Evidence), "请填写核查情况和证据");
        else if (evidence.Length > 4000) errors.Add(nameof(input.Evidence), "核查情况不能超过 4000 个字符");
        return errors;
    }

    public async Task<FieldErrors> VerifyAsync(Clue clue, VerifyClueInput input, CancellationToken ct)
    {
        var errors = CheckVerification(input);
        if (!errors.Ok) return errors;
        var finding = ParseFinding(input.Finding);
        var evidence = Blank(input.Evidence);
        var verifier = clue.VerifierPersonId is { } vid
            ? await db.Set<Person>().Beyond(ScopeExit.LinkedLabel).Where(p => p.Id == vid).Select(p => p.Name).FirstOrDefaultAsync(ct)
            : null;
        var signed = verifier ?? db.CurrentUser.DisplayName;
        clue.Verify(finding!.Value, evidence!, signed.Length <= 100 ? signed : signed[..100], db.CurrentUser.Id, Now);
        if (Names(input.NamedPersons) is { } named) clue.NamePersons(named);
        await db.CloseAsync(Clue.ClockSubject, clue.Id, ct);
        Entry(clue, "verified", $"核查结论：{FindingName(finding.Value)}（核查人 {signed}，{db.CurrentUser.DisplayName} 于 {ChinaTime.Format(Now)} 登记）");
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> CloseAsync(Clue clue, CloseClueInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var outcome = ParseOutcome(input.Outcome);
        if (outcome is null) errors.Add(nameof(input.Outcome), "请选择办结方式：no-action（不予处理）、rectification（转整改）或 transferred（移交）");
        else if (outcome == ClueOutcome.Case) errors.Add(nameof(input.Outcome), "立案请在线索页点击“立案”登记案件，案件登记后线索自动办结");
        var note = Blank(input.Note);
        if (note is { Length: > 2000 }) errors.Add(nameof(input.Note), "说明不能超过 2000 个字符");
        if (outcome == ClueOutcome.NoAction && note is null) errors.Add(nameof(input.Note), "不予处理须写明理由");
        string? to = null, by = null;
        DateTime? at = null;
        if (outcome == ClueOutcome.Transferred)
        {
            to = Blank(input.TransferredTo);
            by = Blank(input.ReceivedBy);
            if (to is null) errors.Add(nameof(input.TransferredTo), "请填写移交的部门或县（市）");
            else if (to.Length > 100) errors.Add(nameof(input.TransferredTo), "移交单位不能超过 100 个字符");
            if (by is null) errors.Add(nameof(input.ReceivedBy), "请填写接收人");
            else if (by.Length > 100) errors.Add(nameof(input.ReceivedBy), "接收人不能超过 100 个字符");
            if (!ChinaTime.TryParseLocal(input.ReceivedAt, out var utc))
                errors.Add(nameof(input.ReceivedAt), "请填写接收时间，如 2026-11-02 10:30");
            else if (utc > Now.AddMinutes(5)) errors.Add(nameof(input.ReceivedAt), "接收时间不能晚于现在");
            else at = utc;
        }
        Person? person = null;
        var due = Today.AddDays(AssignmentDesk.DefaultDays);
        if (outcome == ClueOutcome.Rectification)
        {
            if (input.AssignmentTitle is { Length: > 200 }) errors.Add(nameof(input.AssignmentTitle), "整改事项不能超过 200 个字符");
            if (input.ResponsibleUnit is { Length: > 100 }) errors.Add(nameof(input.ResponsibleUnit), "责任单位不能超过 100 个字符");
            if (input.ResponsiblePersonId is { } rid)
            {
                person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == rid && p.MergedIntoId == null, ct);
                if (person is null || !person.DivisionCode.StartsWith(clue.CountyCode, StringComparison.Ordinal))
                    errors.Add(nameof(input.ResponsiblePersonId), "责任人不在您的管辖范围内");
            }
            if (Blank(input.DueOn) is { } text)
            {
                var problem = CalendarDate.Problem("整改期限", text, out due);
                if (problem is not null) errors.Add(nameof(input.DueOn), problem);
                else if (due < Today) errors.Add(nameof(input.DueOn), "整改期限不能早于今天");
            }
        }
        if (!errors.Ok) return errors;
        Guid? assignmentId = null;
        if (outcome == ClueOutcome.Rectification)
        {
            var title = Blank(input.AssignmentTitle) ?? $"线索整改：{Short(clue.Summary)}";
            var a = AssignmentDesk.Open(db, clue.DivisionCode, clue.AditId, AssignmentKinds.Rectification, "clue", clue.Id, title,
                $"核查结论：{(clue.Finding is { } f ? FindingName(f) : "")}。{clue.Evidence}", Blank(input.ResponsibleUnit), person?.Id, null,
                clue.DepartmentCode, due);
            assignmentId = a.Id;
            if (person is not null)
                db.Tell(AssignmentDesk.Answer(person), clue.DivisionCode, "督办事项", $"{title}，请于 {due:yyyy-MM-dd} 前整改到位", $"/assignments/{a.Id}",
                    Assignment.ClockSubject, a.Id, sms: true);
        }
        clue.Close(outcome!.Value, note, assignmentId, to, by, at, db.CurrentUser.Id, Now);
        await db.CloseAsync(Clue.ClockSubject, clue.Id, ct);
        Entry(clue, "closed", $"{db.CurrentUser.DisplayName} 办结：{OutcomeName(outcome.Value)}"
            + (to is null ? "" : $"，移交 {to}，接收人 {by}，接收时间 {ChinaTime.Format(at)}") + (note is null ? "" : $"，{note}"));
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Merges <paramref name="clue"/> into another: every source moves, both histories say so; two counties are refused.</summary>
    public async Task<FieldErrors> MergeAsync(Clue clue, MergeClueInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Clue? into = null;
        if (input.IntoClueId is not { } intoId) errors.Add(nameof(input.IntoClueId), "请选择合并到的线索");
        else if ((into = await FindVisibleAsync(intoId, ct)) is null) errors.Add(nameof(input.IntoClueId), "要合并到的线索不存在或不在您的管辖范围内");
        if (!errors.Ok) return errors;
        clue.MergeInto(into!);
        var sources = await db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => s.ClueId == clue.Id).ToListAsync(ct);
        foreach (var s in sources) s.MoveTo(into!.Id);
        await db.CloseAsync(Clue.ClockSubject, clue.Id, ct);
        Entry(clue, "merged", $"{db.CurrentUser.DisplayName} 合并到线索：{Short(into!.Summary)}");
        Entry(into, "merged", $"{db.CurrentUser.DisplayName} 合并了 {sources.Count} 个来源：{Short(clue.Summary)}");
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Open clues that probably describe the same thing: same adit within 14 days, or same township and similar text within 30 days.</summary>
    public async Task<List<DuplicateClueView>> DuplicatesAsync(Clue clue, CancellationToken ct)
    {
        var township = clue.DivisionCode.Length >= 9 ? clue.DivisionCode[..9] : clue.DivisionCode;
        var from = clue.ReceivedUtc.AddDays(-DuplicateTextDays);
        var to = clue.ReceivedUtc.AddDays(DuplicateTextDays);
        var candidates = await db.Set<Clue>().AsNoTracking()
            .Where(c => c.Id != clue.Id && c.State != ClueState.Merged && c.State != ClueState.Closed && c.ReceivedUtc >= from && c.ReceivedUtc <= to
                        && ((clue.AditId != null && c.AditId == clue.AditId) || c.DivisionCode.StartsWith(township)))
            .OrderBy(c => c.ReceivedUtc).Take(200).ToListAsync(ct);
        var found = new List<(Clue Clue, string Reason)>();
        foreach (var c in candidates)
        {
            if (clue.AditId is not null && c.AditId == clue.AditId && Math.Abs((c.ReceivedUtc - clue.ReceivedUtc).TotalDays) <= DuplicateAditDays)
                found.Add((c, "同一矿硐，14 天内"));
            else if (Similarity(c.Summary, clue.Summary) >= DuplicateTextSimilarity) found.Add((c, "同一乡镇，描述相近"));
        }
        var ids = found.Select(f => f.Clue.Id).ToList();
        var types = (await db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => ids.Contains(s.ClueId)).Select(s => new { s.ClueId, s.Type })
            .ToListAsync(ct)).ToLookup(s => s.ClueId, s => s.Type);
        return found.Select(f => new DuplicateClueView(f.Clue.Id, f.Clue.Summary, f.Clue.ReceivedUtc, f.Reason, types[f.Clue.Id].Distinct().ToList())).ToList();
    }

    /// <summary>Jaccard similarity of the character bigrams of two texts (punctuation and spaces left out).</summary>
    public static double Similarity(string a, string b)
    {
        static HashSet<string> Grams(string s)
        {
            var t = new string(s.Where(char.IsLetterOrDigit).ToArray());
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < t.Length; i++) set.Add(t.Substring(i, 2));
            return set;
        }
        var x = Grams(a);
        var y = Grams(b);
        if (x.Count == 0 || y.Count == 0) return 0;
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    public async Task<List<ClueView>> ViewsAsync(IReadOnlyList<Clue> rows, bool withHistory, CancellationToken ct)
    {
        var aditIds = rows.Where(r => r.AditId is not null).Select(r => r.AditId!.Value).Distinct().ToList();
        var numbers = await db.Set<Adits.Adit>().Beyond(ScopeExit.LinkedLabel).Where(a => aditIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Number, ct);
        var personIds = rows.Where(r => r.VerifierPersonId is not null).Select(r => r.VerifierPersonId!.Value).Distinct().ToList();
        var persons = await db.Set<Person>().Beyond(ScopeExit.LinkedLabel).Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var ids = rows.Select(r => r.Id).ToList();
        var sources = (await db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(s => ids.Contains(s.ClueId))
            .OrderBy(s => s.AddedUtc).ToListAsync(ct)).ToLookup(s => s.ClueId);
        var entries = withHistory
            ? (await db.Set<ClueEntry>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(e => ids.Contains(e.ClueId)).OrderBy(e => e.AtUtc)
                .ThenBy(e => e.Id).ToListAsync(ct)).ToLookup(e => e.ClueId)
            : Enumerable.Empty<ClueEntry>().ToLookup(e => e.ClueId);
        var byIds = entries.SelectMany(g => g).Select(e => e.ByUserId).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.Where(u => byIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var files = withHistory
            ? (await db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(f => f.SubjectType == "clue" && ids.Contains(f.SubjectId))
                .OrderBy(f => f.AddedUtc).ToListAsync(ct)).ToLookup(f => f.SubjectId)
            : Enumerable.Empty<EvidenceFile>().ToLookup(f => f.SubjectId);
        var now = Now;
        return rows.Select(c => new ClueView(c.Id, c.DivisionCode, c.AditId, c.AditId is { } a ? numbers.GetValueOrDefault(a) : null, c.Summary,
            c.DepartmentCode, StateCode(c.State), StateName(c.State), c.ReceivedUtc, c.VerifierPersonId,
            c.VerifierPersonId is { } p ? persons.GetValueOrDefault(p) : null, c.VerifyDueUtc, c.State == ClueState.Verifying && c.VerifyDueUtc < now,
            c.Finding is { } f ? FindingCode(f) : null, c.Finding is { } f2 ? FindingName(f2) : null, c.Evidence, c.VerifiedByName, c.VerifiedUtc,
            c.Outcome is { } o ? OutcomeCode(o) : null, c.Outcome is { } o2 ? OutcomeName(o2) : null, c.OutcomeNote, c.AssignmentId, c.TransferredTo,
            c.TransferReceivedBy, c.TransferReceivedUtc, c.ClosedUtc, c.MergedIntoId, c.EscalationLevel, c.CaseId, c.NamedPersons,
            sources[c.Id].Select(s => new ClueSourceView(s.Type, ClueSourceTypes.Names.GetValueOrDefault(s.Type, s.Type), s.SourceId, s.Summary, s.AddedUtc,
                ClueSourceTypes.Link(s.Type, s.SourceId))).ToList(),
            entries[c.Id].Select(e => new ClueEntryView(e.Kind, e.Text, e.AtUtc, e.ByUserId is { } u ? names.GetValueOrDefault(u) : null)).ToList(),
            files[c.Id].Select(x => new EvidenceView(x.Id, x.FileName, x.ContentType, x.AddedUtc, $"/api/clues/{c.Id}/files/{x.Id}")).ToList())).ToList();
    }

    public static string StateCode(ClueState s) => s switch
    {
        ClueState.Received => "received", ClueState.Verifying => "verifying", ClueState.Verified => "verified", ClueState.Closed => "closed", _ => "merged",
    };

    public static string StateName(ClueState s) => s switch
    {
        ClueState.Received => "待分派", ClueState.Verifying => "核查中", ClueState.Verified => "已核查", ClueState.Closed => "已办结", _ => "已合并",
    };

    public static ClueFinding? ParseFinding(string? s) => s?.Trim() switch
    {
        "true" or "属实" => ClueFinding.True, "partly-true" or "部分属实" => ClueFinding.PartlyTrue, "false" or "不属实" => ClueFinding.False, _ => null,
    };

    public static string FindingCode(ClueFinding f) => f switch { ClueFinding.True => "true", ClueFinding.PartlyTrue => "partly-true", _ => "false" };

    public static string FindingName(ClueFinding f) => f switch { ClueFinding.True => "属实", ClueFinding.PartlyTrue => "部分属实", _ => "不属实" };

    public static ClueOutcome? ParseOutcome(string? s) => s?.Trim() switch
    {
        "no-action" => ClueOutcome.NoAction, "rectification" => ClueOutcome.Rectification, "case" => ClueOutcome.Case,
        "transferred" => ClueOutcome.Transferred, _ => null,
    };

    public static string OutcomeCode(ClueOutcome o) => o switch
    {
        ClueOutcome.NoAction => "no-action", ClueOutcome.Rectification => "rectification", ClueOutcome.Case => "case", _ => "transferred",
    };

    public static string OutcomeName(ClueOutcome o) => o switch
    {
        ClueOutcome.NoAction => "不予处理", ClueOutcome.Rectification => "转整改", ClueOutcome.Case => "立案", _ => "移交",
    };

    /// <summary>Names typed one a line (or separated by 、，,;；): trimmed, blanks and repeats left out; null when none.</summary>
    public static string? Names(string? text)
    {
        var names = SplitNames(text);
        return names.Count == 0 ? null : string.Join("\n", names);
    }

    public static List<string> SplitNames(string? text) =>
        (text ?? "").Split(['\n', '\r', '、', '，', ',', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(n => n.Length > 0).Distinct().ToList();

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
