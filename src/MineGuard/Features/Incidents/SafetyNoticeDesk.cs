using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Incidents;

public sealed record SafetyNoticeInput(string? Kind, string? Title, string? Text, IReadOnlyList<string>? VillageCodes, IReadOnlyList<Guid>? PersonIds,
    Guid? IncidentId, Guid? ClientId);

public sealed record NoticeRecipientView(string Name, string Phone, string DivisionCode, string Delivery, DateTime? SentUtc);

public sealed record SafetyNoticeView(Guid Id, string Kind, string KindName, string Title, string Text, string SmsText, string DivisionCode,
    IReadOnlyList<string> Villages, Guid? IncidentId, string IssuedByName, DateTime IssuedUtc, int Sent, int Pending, int Failed,
    IReadOnlyList<NoticeRecipientView> Recipients, bool IsDemo);

/// <summary>
/// Issues 安全警示 to villages and persons: one SMS per distinct phone in the outbox (<see cref="SmsMessage"/>, sent by the
/// platform's sender), each recipient kept with its SMS so the delivery shows; the poster names the county's tip hotline.
/// </summary>
public sealed class SafetyNoticeDesk(AppDbContext db, IConfiguration config)
{
    public const string SourceType = "safety-notice";

    /// <summary>The county's tip hotline: <c>Tips:HotlineByCounty:&lt;code&gt;</c>, else <c>Tips:Hotline</c>, else 12345.</summary>
    public string Hotline(string county) =>
        config[$"Tips:HotlineByCounty:{county}"] is { Length: > 0 } own ? own : config["Tips:Hotline"] is { Length: > 0 } all ? all : "12345";

    public string SmsText(SafetyNotice n) => $"【{Notify.Signature(db, n.DivisionCode)}】{n.Title}：{n.Text}举报电话 {Hotline(n.DivisionCode)}。";

    public async Task<(SafetyNotice? Notice, bool Existing, FieldErrors Errors)> IssueAsync(SafetyNoticeInput input, bool isDemo, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.ClientId is { } clientId
            && await db.Set<SafetyNotice>().Beyond(ScopeExit.Uniqueness).AsNoTracking().Where(n => n.ClientId == clientId).Select(n => new { n.Id })
                .FirstOrDefaultAsync(ct) is { } sent)
        {
            var mine = await db.Set<SafetyNotice>().FirstOrDefaultAsync(n => n.Id == sent.Id, ct);
            if (mine is null) errors.Add("clientId", "该编号已被其他记录使用");
            return (mine, mine is not null, errors);
        }
        var kind = IncidentRules.Blank(input.Kind);
        if (kind is null || !SafetyNoticeKinds.Names.ContainsKey(kind))
            errors.Add("kind", "警示类型只能是 " + string.Join("、", SafetyNoticeKinds.Names.Select(k => $"{k.Key}（{k.Value}）")));
        var title = IncidentRules.Blank(input.Title) ?? (kind is null ? null : SafetyNoticeKinds.Names.GetValueOrDefault(kind));
        if (title is { Length: > 100 }) errors.Add("title", "标题不能超过 100 个字符");
        var text = IncidentRules.Blank(input.Text) ?? (kind is null ? null : SafetyNoticeKinds.DefaultText(kind));
        if (text is { Length: > 400 }) errors.Add("text", "警示内容不能超过 400 个字符（一条短信）");
        var codes = (input.VillageCodes ?? []).Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct().ToList();
        var personIds = (input.PersonIds ?? []).Distinct().ToList();
        if (codes.Count == 0 && personIds.Count == 0) errors.Add("villageCodes", "请选择发布警示的村或人员");
        if (codes.Count > 500) errors.Add("villageCodes", "一次最多发布到 500 个村");
        var villages = await db.Divisions.AsNoTracking().Where(d => codes.Contains(d.Code)).Select(d => new { d.Code, d.Level }).ToListAsync(ct);
        var outside = codes.Where(c => !db.CurrentUser.Scope.Contains(c) || villages.All(v => v.Code != c)).ToList();
        if (outside.Count > 0) errors.Add("villageCodes", $"区划不存在或不在您的管辖范围内：{string.Join("、", outside.Take(5))}");
        else if (villages.Any(v => v.Level is DivisionLevel.Province or DivisionLevel.City or DivisionLevel.County))
            errors.Add("villageCodes", "请选择乡镇、村或网格，不能整县发布");
        var countyPrefixes = codes.Where(c => c.Length >= 6).Select(c => c[..6]).Distinct().ToList();
        var persons = (await db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null)
                .Where(p => personIds.Contains(p.Id) || countyPrefixes.Contains(p.DivisionCode.Substring(0, 6))).ToListAsync(ct))
            .Where(p => personIds.Contains(p.Id) || codes.Any(c => p.DivisionCode.StartsWith(c, StringComparison.Ordinal))).ToList();
        if (personIds.Any(id => persons.All(p => p.Id != id))) errors.Add("personIds", "人员不存在或不在您的管辖范围内");
        var counties = codes.Concat(persons.Select(p => p.DivisionCode)).Where(c => c.Length >= 6).Select(c => c[..6]).Distinct().ToList();
        if (counties.Count > 1) errors.Add("villageCodes", "一次警示只能发往同一个县的村和人员");
        var incident = input.IncidentId is { } incidentId ? await db.Set<Incident>().FirstOrDefaultAsync(i => i.Id == incidentId, ct) : null;
        if (input.IncidentId is not null && incident is null) errors.Add("incidentId", "事件不存在或不在您的管辖范围内");
        var recipients = persons.Where(p => !string.IsNullOrWhiteSpace(p.Phone)).GroupBy(p => p.Phone).Select(g => g.OrderBy(p => p.Name).First()).ToList();
        if (errors.Ok && recipients.Count == 0) errors.Add("villageCodes", "所选村和人员中没有登记手机号码的人，请先在责任人名录中登记");
        if (!errors.Ok) return (null, false, errors);

        var now = db.Clock.GetUtcNow().UtcDateTime;
        var notice = SafetyNotice.Issue(counties[0], kind!, title!, text!, codes, input.IncidentId, db.CurrentUser.Id, db.CurrentUser.DisplayName,
            input.ClientId, now, isDemo);
        db.Add(notice);
        var sms = SmsText(notice);
        foreach (var p in recipients.OrderBy(p => p.DivisionCode, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            var message = SmsMessage.Create(p.Phone, sms.Length <= 500 ? sms : sms[..500], p.DivisionCode, p.UserId, SourceType, notice.Id, now);
            db.Add(message);
            db.Add(SafetyNoticeRecipient.Create(notice, p.DivisionCode, p.Id, p.Name, p.Phone, message.Id));
        }
        // A notice for an incident is the proof of the notice its lessons required.
        if (incident is not null)
            await IncidentDesk.SettleAsync(db, incident, incident.NoticeAssignmentId, $"已发布安全警示“{title}”，向 {recipients.Count} 人发送短信", ct);
        await db.SaveChangesAsync(ct);
        return (notice, false, errors);
    }

    public async Task<List<SafetyNoticeView>> ListAsync(CancellationToken ct)
    {
        var notices = await db.Set<SafetyNotice>().AsNoTracking().OrderByDescending(n => n.IssuedUtc).Take(200).ToListAsync(ct);
        var ids = notices.Select(n => n.Id).ToList();
        var counts = await (from r in db.Set<SafetyNoticeRecipient>().AsNoTracking()
                join s in db.Set<SmsMessage>().Beyond(ScopeExit.ChildrenOfVisible) on r.SmsId equals s.Id
                where ids.Contains(r.NoticeId)
                group s by new { r.NoticeId, s.Status } into g
                select new { g.Key.NoticeId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return notices.Select(n => View(n, [], counts.Where(c => c.NoticeId == n.Id).ToDictionary(c => c.Status, c => c.Count))).ToList();
    }

    public async Task<SafetyNoticeView?> DetailAsync(Guid id, CancellationToken ct)
    {
        var n = await db.Set<SafetyNotice>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return null;
        // The SMS rows are the notice's children: read by the recipients' ids, wherever the outbox filed them.
        var rows = await (from r in db.Set<SafetyNoticeRecipient>().AsNoTracking().Where(r => r.NoticeId == id)
                join s in db.Set<SmsMessage>().Beyond(ScopeExit.ChildrenOfVisible) on r.SmsId equals s.Id
                orderby r.DivisionCode, r.Name
                select new { r.Name, r.Phone, r.DivisionCode, s.Status, s.SentUtc }).ToListAsync(ct);
        var recipients = rows.Select(r => new NoticeRecipientView(r.Name, PhoneMask(r.Phone), r.DivisionCode, Delivery(r.Status), r.SentUtc)).ToList();
        return View(n, recipients, rows.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count()));
    }

    private SafetyNoticeView View(SafetyNotice n, IReadOnlyList<NoticeRecipientView> recipients, Dictionary<SmsStatus, int> counts) =>
        new(n.Id, n.Kind, SafetyNoticeKinds.Names.GetValueOrDefault(n.Kind, n.Kind), n.Title, n.Text, SmsText(n), n.DivisionCode, n.VillageCodes,
            n.IncidentId, n.IssuedByName, n.IssuedUtc, counts.GetValueOrDefault(SmsStatus.Sent), counts.GetValueOrDefault(SmsStatus.Pending),
            counts.GetValueOrDefault(SmsStatus.Failed), recipients, n.IsDemo);

    public static string Delivery(SmsStatus s) => s switch { SmsStatus.Sent => "已发送", SmsStatus.Failed => "发送失败", _ => "待发送" };

    private static string PhoneMask(string phone) => phone.Length >= 11 ? phone[..3] + "****" + phone[^4..] : phone;
}
