using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.Assignments;

public sealed record AssignmentInput(string? DivisionCode, Guid? AditId, string? Kind, string? Title, string? Detail, string? ResponsibleUnit,
    Guid? ResponsiblePersonId, string? DepartmentCode, string? DueOn, string? HiddenBelow);

public sealed record CompleteInput(string? Measures);

public sealed record VerifyAssignmentInput(string? Resolution);

public sealed record ReopenInput(string? Reason);

public sealed record EvidenceView(Guid Id, string FileName, string ContentType, DateTime AddedUtc, string Url);

public sealed record AssignmentView(
    Guid Id, string DivisionCode, string DivisionName, Guid? AditId, string? AditNumber, string Kind, string KindName, string SourceType, Guid? SourceId, string? SourceLink,
    string Title, string? Detail, string? ResponsibleUnit, Guid? ResponsiblePersonId, string? ResponsibleName, Guid? ResponsibleUserId,
    string? DepartmentCode, DateOnly? DueOn, bool Overdue, string Status, string StatusName, string? Measures, DateTime? CompletedUtc,
    Guid? CompletedById, string? CompletedByName, string? Resolution, DateTime? ClosedUtc, Guid? ClosedById, string? ClosedByName, int Reopens,
    int EscalationLevel, string? HiddenBelow, DateTime CreatedUtc, IReadOnlyList<EvidenceView> Files);

/// <summary>
/// The one way a feature puts work on a named unit or person by a date (督办事项): <see cref="Open"/> adds the assignment
/// and its deadline on the one clock to the caller's unit of work. The office's actions (complete, verify by a second
/// person, reopen) live here too, shared by the API and the pages.
/// </summary>
public sealed class AssignmentDesk(AppDbContext db)
{
    public const int DefaultDays = 7;
    public const long MaxFileBytes = 20 * 1024 * 1024;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>Adds an assignment (and its deadline, when it has a due date) for the caller's SaveChanges.</summary>
    public static Assignment Open(AppDbContext db, string divisionCode, Guid? aditId, string kind, string sourceType, Guid? sourceId, string title,
        string? detail, string? responsibleUnit, Guid? responsiblePersonId, Guid? responsibleUserId, string? departmentCode, DateOnly? dueOn,
        string? hiddenBelow = null)
    {
        var a = Assignment.Open(divisionCode, aditId, kind, sourceType, sourceId, Cut(title, 200), detail is null ? null : Cut(detail, 2000),
            responsibleUnit, responsiblePersonId, responsibleUserId, departmentCode, dueOn, hiddenBelow, db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime);
        db.Add(a);
        if (dueOn is { } due) db.Open(Assignment.ClockSubject, a.Id, divisionCode, departmentCode, EndOf(due), AnswerLevel.Person);
        return a;
    }

    /// <summary>
    /// Adds an assignment for whoever answers for a place — the first of <paramref name="answerers"/> (from
    /// <c>Responsibility.WhoAnswersAsync</c> at the person level: the adit's or device's named person, else up the chain),
    /// as a person record when it is one, else as a user; <paramref name="fallbackUserId"/> when nobody answers — due
    /// <paramref name="days"/> calendar days from today in China, on the clock. For the caller's SaveChanges.
    /// </summary>
    public static Assignment OpenFor(AppDbContext db, IReadOnlyList<Answerer> answerers, string divisionCode, Guid? aditId, string sourceType,
        Guid sourceId, string title, string? detail, int days, Guid? fallbackUserId = null)
    {
        var who = answerers.FirstOrDefault();
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        return Open(db, divisionCode, aditId, AssignmentKinds.FollowUp, sourceType, sourceId, title, detail, null, who?.PersonId,
            who is null ? fallbackUserId : who.PersonId is null ? who.UserId : null, null, today.AddDays(days));
    }

    /// <summary>The end of a calendar day in China, as UTC: when a deadline "by that day" has passed.</summary>
    public static DateTime EndOf(DateOnly day) => ChinaTime.ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue));

    /// <summary>The day a deadline made by <see cref="EndOf"/> is "by", as a person reads it ("期限 12-10", not "12-11 00:00:00").</summary>
    public static string DueDay(DateTime? endUtc) => endUtc is { } end ? ChinaTime.ToLocal(end).AddTicks(-1).ToString("yyyy-MM-dd") : "";

    /// <summary>Assignments the caller may see: in scope and department (the filters), and not hidden from their level.</summary>
    public IQueryable<Assignment> Visible => db.Set<Assignment>().VisibleTo(db.CurrentUser);

    /// <summary>An assignment the caller may act on: visible, or given to them by name (their person record or account).</summary>
    public async Task<Assignment?> FindAsync(Guid id, CancellationToken ct)
    {
        var a = await Visible.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is not null || db.CurrentUser.Id is not { } me) return a;
        return await (await GivenToAsync(me, ct)).FirstOrDefaultAsync(x => x.Id == id, ct);
    }

    /// <summary>Assignments given to a user by name — their account or their person records — wherever they are filed.</summary>
    public async Task<IQueryable<Assignment>> GivenToAsync(Guid userId, CancellationToken ct)
    {
        var mine = await db.PersonIdsOfUserAsync(userId, ct);
        return db.Set<Assignment>().Beyond(ScopeExit.AssignedToCaller)
            .Where(x => x.ResponsibleUserId == userId || (x.ResponsiblePersonId != null && mine.Contains(x.ResponsiblePersonId.Value)));
    }

    public async Task<(Assignment? Assignment, FieldErrors Errors)> CreateAsync(AssignmentInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var division = Blank(input.DivisionCode);
        if (division is null) errors.Add(nameof(input.DivisionCode), "请选择所在区划");
        else if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct))
            errors.Add(nameof(input.DivisionCode), "所在区划不在您的管辖范围内");
        var kind = Blank(input.Kind) ?? AssignmentKinds.FollowUp;
        if (!AssignmentKinds.Names.ContainsKey(kind)) errors.Add(nameof(input.Kind), "事项类型只能是 " + string.Join("、", AssignmentKinds.Names.Select(k => $"{k.Key}（{k.Value}）")));
        var title = Blank(input.Title);
        if (title is null) errors.Add(nameof(input.Title), "请填写督办事项");
        else if (title.Length > 200) errors.Add(nameof(input.Title), "督办事项不能超过 200 个字符");
        if (input.Detail is { Length: > 2000 }) errors.Add(nameof(input.Detail), "具体要求不能超过 2000 个字符");
        if (input.ResponsibleUnit is { Length: > 100 }) errors.Add(nameof(input.ResponsibleUnit), "责任单位不能超过 100 个字符");
        var department = Blank(input.DepartmentCode);
        if (department is not null && Department.NameOf(department) is null) errors.Add(nameof(input.DepartmentCode), "责任部门不存在");
        Person? person = null;
        if (input.ResponsiblePersonId is { } pid)
        {
            person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == pid && p.MergedIntoId == null, ct);
            if (person is null) errors.Add(nameof(input.ResponsiblePersonId), "责任人不在您的管辖范围内");
            else if (department is not null && person.UserId is { } uid
                     && await db.Users.Where(u => u.Id == uid).Select(u => u.DepartmentCode).FirstOrDefaultAsync(ct) is { } pd && pd != department)
                errors.Add(nameof(input.ResponsiblePersonId), "责任人不属于该责任部门");
        }
        if (input.AditId is { } aditId && !await db.Set<Adits.Adit>().AnyAsync(a => a.Id == aditId, ct))
            errors.Add(nameof(input.AditId), "矿硐不在您的管辖范围内");
        var due = Today.AddDays(DefaultDays);
        if (Blank(input.DueOn) is { } text)
        {
            var problem = CalendarDate.Problem("完成期限", text, out due);
            if (problem is not null) errors.Add(nameof(input.DueOn), problem);
            else if (due < Today) errors.Add(nameof(input.DueOn), "完成期限不能早于今天");
        }
        var hidden = Blank(input.HiddenBelow);
        if (hidden is not null && !(division?.StartsWith(hidden, StringComparison.Ordinal) ?? false))
            errors.Add(nameof(input.HiddenBelow), "对下隐藏的区划须包含事项所在区划");
        if (!errors.Ok) return (null, errors);
        var a = Open(db, division!, input.AditId, kind, "office", null, title!, Blank(input.Detail), Blank(input.ResponsibleUnit), person?.Id, null,
            department, due, hidden);
        if (person is not null)
            db.Tell(Answer(person), a.DivisionCode, "督办事项", $"{a.Title}，请于 {due:yyyy-MM-dd} 前办结", $"/assignments/{a.Id}", Assignment.ClockSubject, a.Id, sms: true);
        await db.SaveChangesAsync(ct);
        return (a, errors);
    }

    public static Answerer Answer(Person p) => new(p.Id, p.UserId, p.Name, p.Phone, p.DivisionCode, AnswerLevel.Person, p.Post);

    /// <summary>The completion's own checks, before anything is stored (the page checks them before it stores the photos).</summary>
    public static FieldErrors CheckCompletion(CompleteInput input)
    {
        var errors = new FieldErrors();
        var measures = Blank(input.Measures);
        if (measures is null) errors.Add(nameof(input.Measures), "请填写采取的措施和完成情况");
        else if (measures.Length > 2000) errors.Add(nameof(input.Measures), "措施不能超过 2000 个字符");
        return errors;
    }

    public async Task<FieldErrors> CompleteAsync(Assignment a, CompleteInput input, CancellationToken ct)
    {
        var errors = CheckCompletion(input);
        if (!errors.Ok) return errors;
        a.Complete(Blank(input.Measures)!, db.CurrentUser.Id, Now);
        await db.CloseAsync(Assignment.ClockSubject, a.Id, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> VerifyAsync(Assignment a, VerifyAssignmentInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var resolution = Blank(input.Resolution);
        if (resolution is null) errors.Add(nameof(input.Resolution), "请填写验收意见");
        else if (resolution.Length > 2000) errors.Add(nameof(input.Resolution), "验收意见不能超过 2000 个字符");
        if (!errors.Ok) return errors;
        a.Verify(resolution!, db.CurrentUser.Id, Now);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> ReopenAsync(Assignment a, ReopenInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = Blank(input.Reason);
        if (reason is null) errors.Add(nameof(input.Reason), "请填写重新办理的原因");
        else if (reason.Length > 2000) errors.Add(nameof(input.Reason), "原因不能超过 2000 个字符");
        if (!errors.Ok) return errors;
        a.Reopen(reason!, Now);
        var due = a.DueOn is { } d && d >= Today ? d : Today.AddDays(DefaultDays);
        a.MoveDue(due);
        db.Open(Assignment.ClockSubject, a.Id, a.DivisionCode, a.DepartmentCode, EndOf(due), AnswerLevel.Person);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Stores an evidence file (photos checked to be images; other files up to <see cref="MaxFileBytes"/>).</summary>
    public static Task<(EvidenceFile? File, FieldErrors Errors)> AddFileAsync(AppDbContext db, string subjectType, Guid subjectId, string division,
        IFormFile? file, CancellationToken ct) => AddFileAsync(db, subjectType, subjectId, division, file, null, ct);

    /// <summary>
    /// A photo the field app took offline and sends after its record under the id the phone gave it (the one outbox): the
    /// same id on the same subject is stored once, also when two sends race (the unique key
    /// <c>(SubjectType, SubjectId, ClientId)</c>, 0050: the loser answers with what the winner stored). Created false: it
    /// was already there. The same image check and size limit as every evidence file; the file is named
    /// <paramref name="stem"/> and the photo's id, with the extension of what the bytes are.
    /// </summary>
    public static async Task<(EvidenceFile? File, bool Created, FieldErrors Errors)> AddOnceAsync(AppDbContext db, string subjectType, Guid subjectId,
        string division, Guid clientId, byte[] bytes, string stem, CancellationToken ct)
    {
        var fileName = $"{stem}-{clientId:N}" + Images.Extension(Images.Type(bytes) ?? (bytes.AsSpan().StartsWith("%PDF"u8) ? "application/pdf" : null));
        Task<EvidenceFile?> Stored() => db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking()
            .FirstOrDefaultAsync(f => f.SubjectType == subjectType && f.SubjectId == subjectId && f.ClientId == clientId, ct);
        for (var attempt = 1; ; attempt++)
        {
            if (await Stored() is { } stored) return (stored, false, new FieldErrors());
            using var stream = new MemoryStream(bytes);
            try
            {
                var (file, errors) = await AddFileAsync(db, subjectType, subjectId, division, new FormFile(stream, 0, bytes.Length, "file", fileName), clientId, ct);
                return (file, file is not null, errors);
            }
            catch (DbUpdateException) when (attempt < 4)
            {
                // Another send of the same photo (or the same bytes under another id, a stored file's unique hash) won the
                // race: read again; what it stored is the answer, or the stored bytes are now there to refer to. A third
                // sender may lose twice (first the stored bytes' hash, then the photo's id), hence a few attempts.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<(EvidenceFile? File, FieldErrors Errors)> AddFileAsync(AppDbContext db, string subjectType, Guid subjectId, string division,
        IFormFile? file, Guid? clientId, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (file is null || file.Length == 0) errors.Add("File", "请选择文件");
        else if (file.Length > MaxFileBytes) errors.Add("File", $"文件不能超过 {MaxFileBytes / 1024 / 1024} MB");
        if (!errors.Ok) return (null, errors);
        var bytes = await UploadBytes.ReadAsync(file!, ct);
        var type = Images.Type(bytes) ?? (bytes.AsSpan().StartsWith("%PDF"u8) ? "application/pdf" : null);
        if (type is null)
        {
            errors.Add("File", "只能上传照片（JPEG、PNG、WebP）或 PDF 文件");
            return (null, errors);
        }
        var name = Path.GetFileName(file!.FileName);
        if (name.Length > 200) name = name[^200..];
        var id = await db.StoreAsync(bytes, type, name, ct);
        var e = EvidenceFile.Create(subjectType, subjectId, division, id, name, type, db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime, clientId);
        db.Add(e);
        await db.SaveChangesAsync(ct);
        return (e, errors);
    }

    /// <summary>Several files sent with a page's form (photos with a verification or completion): stops at the first refused, its reasons under <paramref name="field"/>.</summary>
    public static async Task<FieldErrors> AddFilesAsync(AppDbContext db, string subjectType, Guid subjectId, string division,
        IReadOnlyList<IFormFile> files, string field, CancellationToken ct)
    {
        var refused = new FieldErrors();
        foreach (var file in files)
        {
            var (_, errors) = await AddFileAsync(db, subjectType, subjectId, division, file, ct);
            foreach (var message in errors.Values.SelectMany(v => v)) refused.Add(field, $"{Path.GetFileName(file.FileName)}：{message}");
            if (!refused.Ok) break;
        }
        return refused;
    }

    public async Task<List<AssignmentView>> ViewsAsync(IReadOnlyList<Assignment> rows, CancellationToken ct)
    {
        var aditIds = rows.Where(r => r.AditId is not null).Select(r => r.AditId!.Value).Distinct().ToList();
        var numbers = await db.Set<Adits.Adit>().Beyond(ScopeExit.LinkedLabel).Where(a => aditIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Number, ct);
        var personIds = rows.Where(r => r.ResponsiblePersonId is not null).Select(r => r.ResponsiblePersonId!.Value).Distinct().ToList();
        var persons = await db.Set<Person>().Beyond(ScopeExit.LinkedLabel).Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var userIds = rows.SelectMany(r => new[] { r.ResponsibleUserId, r.CompletedById, r.ClosedById }).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var codes = rows.Select(r => r.DivisionCode).Distinct().ToList();
        var places = await db.DivisionNamesAsync(codes, ct);
        var ids = rows.Select(r => r.Id).ToList();
        var files = (await db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible)
                .Where(f => f.SubjectType == Assignment.ClockSubject && ids.Contains(f.SubjectId)).OrderBy(f => f.AddedUtc).ToListAsync(ct))
            .ToLookup(f => f.SubjectId);
        var today = Today;
        return rows.Select(a => new AssignmentView(a.Id, a.DivisionCode, places.GetValueOrDefault(a.DivisionCode, a.DivisionCode), a.AditId, a.AditId is { } x ? numbers.GetValueOrDefault(x) : null, a.Kind,
            AssignmentKinds.Names.GetValueOrDefault(a.Kind, a.Kind), a.SourceType, a.SourceId, SourceLink(a.SourceType, a.SourceId), a.Title, a.Detail,
            a.ResponsibleUnit, a.ResponsiblePersonId,
            a.ResponsiblePersonId is { } p ? persons.GetValueOrDefault(p) : a.ResponsibleUserId is { } u ? names.GetValueOrDefault(u) : null,
            a.ResponsibleUserId, a.DepartmentCode, a.DueOn, a.Status == AssignmentStatus.Open && a.DueOn < today, StatusCode(a.Status),
            StatusName(a.Status), a.Measures, a.CompletedUtc, a.CompletedById, a.CompletedById is { } c ? names.GetValueOrDefault(c) : null,
            a.Resolution, a.ClosedUtc, a.ClosedById, a.ClosedById is { } cl ? names.GetValueOrDefault(cl) : null, a.Reopens, a.EscalationLevel,
            a.HiddenBelow, a.CreatedUtc,
            files[a.Id].Select(f => new EvidenceView(f.Id, f.FileName, f.ContentType, f.AddedUtc, $"/api/assignments/{a.Id}/files/{f.Id}")).ToList()))
            .ToList();
    }

    public static string StatusCode(AssignmentStatus s) => s switch
    {
        AssignmentStatus.Open => "open", AssignmentStatus.Completed => "completed", _ => "closed",
    };

    public static string StatusName(AssignmentStatus s) => s switch
    {
        AssignmentStatus.Open => "办理中", AssignmentStatus.Completed => "待验收", _ => "已销号",
    };

    /// <summary>What produced an assignment, in the office's words.</summary>
    public static string SourceName(string type) => type switch
    {
        "clue" => "线索", "case" => "案件", "alert" => "监控预警", "patrol-finding" => "巡查发现", "tip" => "群众举报", "follow-up" => "跟进事项", "problem" => "排查问题",
        "stage-report" => "阶段报告", "campaign" => "专项行动", "meeting" => "联席会议", "joint-operation" => "联合执法", _ => type,
    };

    public static string? SourceLink(string type, Guid? id) => id is not { } x ? null : type switch
    {
        "alert" => $"/alerts/{x}", "patrol-finding" => $"/patrols/check-ins/{x}", "tip" => $"/tips/{x}", "clue" => $"/clues/{x}", "case" => $"/cases/{x}", "problem" => $"/rectifications/problems/{x}", "stage-report" => $"/reports/{x}", _ => null,
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public static class AssignmentQueries
{
    /// <summary>
    /// Leaves out assignments hidden from the caller's level: <see cref="Assignment.HiddenBelow"/> set to a division strictly
    /// above the caller's scope (a county user does not see the city's spot-check tasks about their county).
    /// </summary>
    public static IQueryable<Assignment> VisibleTo(this IQueryable<Assignment> query, CurrentUser user)
    {
        var from = user.Scope.IsNone ? "" : user.Scope.From;
        var above = Enumerable.Range(1, Math.Max(0, from.Length - 1)).Select(n => from[..n]).ToList();
        return above.Count == 0 ? query : query.Where(a => a.HiddenBelow == null || !above.Contains(a.HiddenBelow));
    }
}
