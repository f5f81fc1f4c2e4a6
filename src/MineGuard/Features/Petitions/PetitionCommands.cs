using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Tips;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Petitions;

public sealed record PetitionInput(string? DivisionCode, string? ReceivedOn, string? Petitioner, string? Contact, string? Nature, string? Content, string? DueOn);

public sealed record RerouteInput(string? DepartmentCode);

public sealed record ReplyInput(string? Reply);

public sealed record PetitionView(
    Guid Id, string Number, string DivisionCode, string Place, string ReceivedOn, string? Petitioner, string? Contact, string Nature, string Content,
    string DepartmentCode, string Department, string DueOn, string Status, bool Overdue, bool Escalated, string? Reply, string? RepliedAt, string? ArchivedAt,
    string RecordedAt, string? EscalatedAt);

/// <summary>The list's filters; Q matches number, content, petitioner and reply; P is the page (50 a page).</summary>
public sealed record PetitionQuery(string? Status, string? Department, bool? Overdue, string? Q = null, int? P = null);

/// <summary>
/// 信访事项: recorded by the petitions office (or the mining office), routed by <see cref="PetitionRouting"/>, replied to
/// by the responsible department, archived; items past their due date escalate to the county office and leader on the
/// one clock (<see cref="PetitionEscalation"/>).
/// </summary>
public sealed class PetitionCommands(AppDbContext db)
{
    /// <summary>信访工作条例: a petition is handled within 60 days of being accepted.</summary>
    public const int DefaultReplyDays = 60;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    public Task<Petition?> FindAsync(Guid id, CancellationToken ct) => db.Set<Petition>().FirstOrDefaultAsync(p => p.Id == id, ct);

    public async Task<(Petition? Petition, FieldErrors Errors)> RecordAsync(PetitionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var code = input.DivisionCode?.Trim();
        var scope = db.CurrentUser.Scope;
        if (string.IsNullOrEmpty(code)) errors.Add(nameof(input.DivisionCode), "请选择信访事项涉及的县（市）或乡镇");
        else if (code.Length < 6 || !scope.Contains(code) || !await db.Divisions.AnyAsync(d => d.Code == code && (d.Level == DivisionLevel.County || d.Level == DivisionLevel.Township), ct))
            errors.Add(nameof(input.DivisionCode), "所选地区不在您的辖区内");
        var received = Today;
        if (!string.IsNullOrWhiteSpace(input.ReceivedOn))
        {
            if (CalendarDate.Problem("收到日期", input.ReceivedOn, out received) is { } p) errors.Add(nameof(input.ReceivedOn), p);
            else if (received > Today) errors.Add(nameof(input.ReceivedOn), "收到日期不能晚于今天");
        }
        var nature = PetitionRouting.Parse(input.Nature);
        if (nature is null) errors.Add(nameof(input.Nature), "请选择信访事项的性质");
        var content = input.Content?.Trim();
        if (string.IsNullOrEmpty(content)) errors.Add(nameof(input.Content), "请填写信访内容");
        else if (content.Length > 4000) errors.Add(nameof(input.Content), "信访内容不能超过 4000 字");
        if ((input.Petitioner?.Trim().Length ?? 0) > 100) errors.Add(nameof(input.Petitioner), "信访人不能超过 100 字");
        if ((input.Contact?.Trim().Length ?? 0) > 100) errors.Add(nameof(input.Contact), "联系方式不能超过 100 字");
        var due = received.AddDays(DefaultReplyDays);
        if (!string.IsNullOrWhiteSpace(input.DueOn) && CalendarDate.Problem("答复期限", input.DueOn, out due) is { } dp) errors.Add(nameof(input.DueOn), dp);
        if (!errors.Ok) return (null, errors);
        var county = code![..6];
        var year = received.Year;
        var count = await db.Set<Petition>().Beyond(ScopeExit.Uniqueness).CountAsync(p => p.DivisionCode.StartsWith(county) && p.ReceivedOn.Year == year, ct);
        var number = $"{county}-信-{year}-{count + 1:D4}-{Guid.NewGuid().ToString("N")[..4]}";
        var petition = Petition.Record(code, number, received, Blank(input.Petitioner), Blank(input.Contact), nature!.Value, content!, due, db.CurrentUser.Id, Now);
        db.Add(petition);
        await PetitionEscalation.OpenAsync(db, petition, ct);
        await NotifyDepartmentAsync(petition, "新的信访事项已转办", ct);
        await db.SaveChangesAsync(ct);
        return (petition, errors);
    }

    public async Task<FieldErrors> RerouteAsync(Petition petition, RerouteInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var dept = input.DepartmentCode?.Trim();
        if (string.IsNullOrEmpty(dept) || Department.NameOf(dept) is null) errors.Add(nameof(input.DepartmentCode), "请选择承办部门");
        if (!errors.Ok) return errors;
        petition.Reroute(dept!);
        await PetitionEscalation.OpenAsync(db, petition, ct);
        await NotifyDepartmentAsync(petition, "信访事项改转本部门办理", ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<FieldErrors> ReplyAsync(Petition petition, ReplyInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reply = input.Reply?.Trim();
        if (string.IsNullOrEmpty(reply)) errors.Add(nameof(input.Reply), "请填写答复内容");
        else if (reply.Length > 4000) errors.Add(nameof(input.Reply), "答复不能超过 4000 字");
        if (!errors.Ok) return errors;
        var me = db.CurrentUser;
        Rule.Check(!me.IsInRole(Roles.Department) || me.IsInRole(Roles.Office) || me.DepartmentCode == petition.DepartmentCode,
            "PetitionOtherDepartment", "该信访事项由其他部门承办，只有承办部门或打非办可以记录答复。");
        petition.RecordReply(reply!, me.Id, Now);
        await db.CloseAsync(PetitionEscalation.Subject, petition.Id, ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task ArchiveAsync(Petition petition, CancellationToken ct)
    {
        petition.Archive(Now);
        await db.SaveChangesAsync(ct);
    }

    private async Task NotifyDepartmentAsync(Petition p, string title, CancellationToken ct)
    {
        var county = p.DivisionCode[..6];
        foreach (var officer in await new Responsibility(db).UsersOfRoleAsync(county, Roles.Department, p.DepartmentCode, ct))
        {
            db.Tell(officer, p.DivisionCode, title, $"{PetitionRouting.Chinese(p.Nature)}：{Short(p.Content)}，请于 {p.DueOn:yyyy-MM-dd} 前答复。", $"/petitions/{p.Id}", "petition", p.Id, sms: false);
        }
    }

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public async Task<(PageOf<PetitionView>? Page, FieldErrors Errors)> ListAsync(PetitionQuery q, CancellationToken ct)
    {
        var (items, errors) = Filter(q);
        if (items is null) return (null, errors);
        return (await items.PageAsync(q.P, ViewsAsync, ct), errors);
    }

    /// <summary>The user's petitions with the list's filters applied, newest first; the list and its export share it.</summary>
    public (IOrderedQueryable<Petition>? Items, FieldErrors Errors) Filter(PetitionQuery q)
    {
        var errors = new FieldErrors();
        var items = db.Set<Petition>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Status))
        {
            if (Enum.TryParse<PetitionStatus>(q.Status, true, out var s) && Enum.IsDefined(s)) items = items.Where(p => p.Status == s);
            else errors.Add(nameof(q.Status), "状态不正确");
        }
        if (!string.IsNullOrWhiteSpace(q.Department))
        {
            if (Department.NameOf(q.Department) is null) errors.Add(nameof(q.Department), "部门不存在");
            else items = items.Where(p => p.DepartmentCode == q.Department);
        }
        if (ListPaging.Keyword(q.Q, errors) is { } text)
            items = items.Where(p => p.Number.Contains(text) || p.Content.Contains(text) || (p.Petitioner != null && p.Petitioner.Contains(text))
                || (p.Reply != null && p.Reply.Contains(text)));
        if (!errors.Ok) return (null, errors);
        var today = Today;
        if (q.Overdue == true) items = items.Where(p => p.Status == PetitionStatus.Routed && p.DueOn < today);
        return (items.OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.CreatedUtc).ThenBy(p => p.Id), errors);
    }

    public async Task<List<PetitionView>> ViewsAsync(List<Petition> list, CancellationToken ct)
    {
        var codes = list.Select(p => p.DivisionCode).Distinct().ToList();
        var names = await db.Divisions.AsNoTracking().Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var today = Today;
        return list.Select(p => new PetitionView(p.Id, p.Number, p.DivisionCode, names.GetValueOrDefault(p.DivisionCode, ""), p.ReceivedOn.ToString("yyyy-MM-dd"),
            p.Petitioner, p.Contact, PetitionRouting.Chinese(p.Nature), p.Content, p.DepartmentCode, Department.NameOf(p.DepartmentCode) ?? p.DepartmentCode,
            p.DueOn.ToString("yyyy-MM-dd"), PetitionRouting.Chinese(p.Status), p.IsOverdue(today), p.EscalatedUtc is not null, p.Reply,
            p.RepliedUtc is { } r ? ChinaTime.Format(r) : null, p.ArchivedUtc is { } a ? ChinaTime.Format(a) : null,
            ChinaTime.Format(p.CreatedUtc), p.EscalatedUtc is { } e ? ChinaTime.Format(e) : null)).ToList();
    }
}

/// <summary>
/// A petition on the one clock (subject "petition"): due at the end of its reply day (China time), with the department
/// it was given to. Past due and still unanswered, the county's office and leaders are told (in-app and SMS), once; a
/// reroute to another department gives it its time again, a reply takes it off the clock.
/// </summary>
public sealed class PetitionEscalation(AppDbContext db, Responsibility responsibility) : IEscalation
{
    public const string Subject = "petition";

    public string SubjectType => Subject;

    /// <summary>The moment a reply day has passed: the start of the next day in China.</summary>
    public static DateTime DueUtc(DateOnly dueOn) => ChinaTime.ToUtc(dueOn.AddDays(1).ToDateTime(TimeOnly.MinValue));

    /// <summary>Puts a petition on the clock, or gives it its time again (a reroute); saved with the caller's changes.</summary>
    public static async Task OpenAsync(AppDbContext db, Petition p, CancellationToken ct)
    {
        if (await db.OpenDeadlineAsync(Subject, p.Id, ct) is { } open)
        {
            open.Move(DueUtc(p.DueOn));
            open.GiveTo(p.DepartmentCode);
        }
        else db.Open(Subject, p.Id, p.DivisionCode, p.DepartmentCode, DueUtc(p.DueOn), AnswerLevel.County);
    }

    public async Task<IReadOnlyList<Escalation?>> EscalateAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        var ids = deadlines.Select(d => d.SubjectId).ToList();
        var routed = await db.Set<Petition>().Where(x => ids.Contains(x.Id) && x.Status == PetitionStatus.Routed).ToDictionaryAsync(x => x.Id, ct);
        var asks = deadlines.Select(d => routed.TryGetValue(d.SubjectId, out var p)
            ? (new Place(p.DivisionCode[..Math.Min(6, p.DivisionCode.Length)]), AnswerLevel.County) : ((Place, AnswerLevel)?)null).ToList();
        var answers = await responsibility.WhoAnswersEachAsync(asks, ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        return deadlines.Select((deadline, i) =>
        {
            if (!routed.TryGetValue(deadline.SubjectId, out var p)) return null;
            p.Escalate(now);
            foreach (var who in answers[i])
            {
                db.Tell(who, p.DivisionCode, "信访事项逾期未答复",
                    $"信访事项 {p.Number}（{PetitionRouting.Chinese(p.Nature)}）已超过答复期限 {p.DueOn:yyyy-MM-dd}，承办部门：{Department.NameOf(p.DepartmentCode)}。",
                    $"/petitions/{p.Id}", "petition", p.Id, sms: true);
            }
            return (Escalation?)new Escalation(AnswerLevel.County, null);
        }).ToList();
    }
}
