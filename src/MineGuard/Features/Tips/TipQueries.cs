using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

/// <summary>The inbox's filters; Q matches the description, the place and the case number; P is the page (50 a page).</summary>
/// <summary>The inbox's filters; <c>division</c> (that node and below) and <c>from</c>/<c>to</c> (days received) are the dashboard's links.</summary>
public sealed record TipInboxQuery(string? Status, string? Township, string? Flag, string? Q = null, int? P = null, string? Division = null, string? From = null,
    string? To = null);

public sealed record TipListItem(
    Guid Id, string ReceivedAt, string Channel, string DivisionCode, string Township, string Summary, string Status, string? Outcome,
    string? DueOn, bool VerifyOverdue, string? Assignee, RewardSummary? Reward, bool AwaitingTipster, bool IsDemo);

public sealed record RewardSummary(Guid Id, string Tier, int Amount, string Status, bool Claimed, string PayBy, int DaysToPay, bool Overdue, string? PaidOn);

public sealed record AttachmentView(Guid Id, string ContentType, long Length, string Metadata);

public sealed record OfficeMessage(bool FromOffice, string Text, string At);

public sealed record RewardView(
    Guid Id, string Tier, int Amount, string Status, string ProposedAt, string PayBy, int DaysToPay, bool Overdue, bool Claimed,
    string? ApprovedAt, int? PaidAmount, string? PaidOn, string? PaidMethod, string? PaidReference, string? RefusedReason);

public sealed record TipDetail(
    Guid Id, string CountyCode, string DivisionCode, string Township, string Channel, string ReceivedAt, IReadOnlyList<string> Kinds,
    string Description, string? Place, double? Lon, double? Lat, string? SeenWhen, bool IsNamed, string Status, string? TriageNote,
    Guid? MergedIntoId, string? AditNumber, Guid? AditId, string? AssignedTo, string? DueOn, bool VerifyOverdue, string? Outcome,
    string? VerificationNote, string? VerifiedAt, string? CaseNumber, string? CaseFiledOn, bool AwaitingTipster,
    IReadOnlyList<AttachmentView> Attachments, IReadOnlyList<OfficeMessage> Messages, IReadOnlyList<RewardView> Rewards);

public sealed record StatRow(string Dimension, string Category, int Tips, int Verified, int TrueOrPartly, double? AvgDaysToVerify, double? AvgDaysToPay, int PayOverdue);

public sealed class TipQueries(AppDbContext db)
{
    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));

    public async Task<(PageOf<TipListItem>? Page, FieldErrors Errors)> InboxAsync(TipInboxQuery q, CancellationToken ct)
    {
        var (tips, errors) = Filter(q);
        if (tips is null) return (null, errors);
        return (await tips.PageAsync(q.P, ItemsAsync, ct), errors);
    }

    /// <summary>The user's tips with the inbox's filters applied, newest first; the inbox and its export share it.</summary>
    public (IOrderedQueryable<Tip>? Tips, FieldErrors Errors) Filter(TipInboxQuery q)
    {
        var errors = new FieldErrors();
        var tips = db.Set<Tip>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Status))
        {
            if (Enum.TryParse<TipStatus>(q.Status, true, out var s) && Enum.IsDefined(s)) tips = tips.Where(t => t.Status == s);
            else errors.Add(nameof(q.Status), "状态不正确");
        }
        if (!string.IsNullOrWhiteSpace(q.Township)) tips = tips.Within(JurisdictionScope.Of(q.Township.Trim()), t => t.DivisionCode);
        if (!string.IsNullOrWhiteSpace(q.Division)) tips = tips.Within(JurisdictionScope.Of(q.Division.Trim()), t => t.DivisionCode);
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(q.From, q.To, "收到", errors.Add);
        if (fromUtc is { } start) tips = tips.Where(t => t.ReceivedUtc >= start);
        if (toUtc is { } end) tips = tips.Where(t => t.ReceivedUtc < end);
        if (ListPaging.Keyword(q.Q, errors) is { } text)
            tips = tips.Where(t => t.Description.Contains(text) || (t.Place != null && t.Place.Contains(text)) || (t.CaseNumber != null && t.CaseNumber.Contains(text)));
        var today = Today;
        switch (q.Flag)
        {
            case null or "": break;
            // As VerifyOverdue and Reward.Overdue say, in SQL so that paging counts only the matching tips.
            case "verify-overdue": tips = tips.Where(t => t.Status == TipStatus.Assigned && t.DueOn != null && t.DueOn < today); break;
            case "pay-overdue":
                tips = tips.Where(t => db.Set<Reward>().Any(r => r.TipId == t.Id && r.Status != RewardStatus.Refused && (r.PaidOn ?? today) > r.PayBy));
                break;
            case "awaiting": tips = tips.Where(t => t.AwaitingTipster); break;
            case "true": tips = tips.Where(t => t.Outcome == TipOutcome.True || t.Outcome == TipOutcome.PartlyTrue); break;
            case "paid": tips = tips.Where(t => db.Set<Reward>().Any(r => r.TipId == t.Id && r.Status == RewardStatus.Paid)); break;
            default: errors.Add(nameof(q.Flag), "筛选条件不正确"); break;
        }
        if (!errors.Ok) return (null, errors);
        return (tips.OrderByDescending(t => t.ReceivedUtc).ThenBy(t => t.Id), errors);
    }

    /// <summary>The inbox's rows for a batch of tips (reward, place names, assignee); never the tipster's identity.</summary>
    public Task<List<TipListItem>> ItemsOfAsync(List<Tip> list, CancellationToken ct) => ItemsAsync(list, ct);

    private async Task<List<TipListItem>> ItemsAsync(List<Tip> list, CancellationToken ct)
    {
        var ids = list.Select(t => t.Id).ToList();
        var rewards = (await db.Set<Reward>().AsNoTracking().Where(r => ids.Contains(r.TipId)).ToListAsync(ct))
            .GroupBy(r => r.TipId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ProposedUtc).First());
        var names = await NamesAsync(list.Select(t => t.DivisionCode).Concat(list.Select(t => t.AssignedDivisionCode ?? "")), ct);
        var today = Today;
        return list.Select(t =>
        {
            RewardSummary? reward = null;
            if (rewards.TryGetValue(t.Id, out var r))
                reward = new RewardSummary(r.Id, Reward.Chinese(r.Tier), r.Amount, Reward.Chinese(r.Status), r.ClaimedUtc is not null,
                    r.PayBy.ToString("yyyy-MM-dd"), r.DaysToPay(today), r.Overdue(today), r.PaidOn?.ToString("yyyy-MM-dd"));
            return new TipListItem(t.Id, ChinaTime.Format(t.ReceivedUtc), t.Channel.Chinese(), t.DivisionCode, names.GetValueOrDefault(t.DivisionCode, ""),
                TipCommands.Summary(t), t.Status.Chinese(), t.Outcome?.Chinese(), t.DueOn?.ToString("yyyy-MM-dd"), VerifyOverdue(t, today),
                Assignee(t, names), reward, t.AwaitingTipster, t.IsDemo);
        }).ToList();
    }

    private static bool VerifyOverdue(Tip t, DateOnly today) => t.Status == TipStatus.Assigned && t.DueOn is { } due && today > due;

    private static string? Assignee(Tip t, IReadOnlyDictionary<string, string> names) =>
        string.Join("、", new[] { t.AssignedDivisionCode is { } d ? names.GetValueOrDefault(d, d) : null,
            t.AssignedDepartmentCode is { } dep ? Department.NameOf(dep) : null }.Where(s => s is not null)) is { Length: > 0 } s ? s : null;

    private async Task<Dictionary<string, string>> NamesAsync(IEnumerable<string> codes, CancellationToken ct)
    {
        return await db.DivisionNamesAsync(codes, ct);
    }

    public async Task<TipDetail> DetailAsync(Tip t, CancellationToken ct)
    {
        var names = await NamesAsync([t.DivisionCode, t.AssignedDivisionCode ?? ""], ct);
        var attachments = await db.Set<TipAttachment>().AsNoTracking().Where(a => a.TipId == t.Id).ToListAsync(ct);
        var messages = await db.Set<TipMessage>().AsNoTracking().Where(m => m.TipId == t.Id).OrderBy(m => m.CreatedUtc).ToListAsync(ct);
        var rewards = await db.Set<Reward>().AsNoTracking().Where(r => r.TipId == t.Id).OrderBy(r => r.ProposedUtc).ToListAsync(ct);
        var aditNumber = t.AditId is { } aditId ? await db.Set<Adit>().Where(a => a.Id == aditId).Select(a => a.Number).FirstOrDefaultAsync(ct) : null;
        var today = Today;
        return new TipDetail(t.Id, t.CountyCode, t.DivisionCode, names.GetValueOrDefault(t.DivisionCode, ""), t.Channel.Chinese(), ChinaTime.Format(t.ReceivedUtc),
            t.KindList.Select(TipKinds.Chinese).ToList(), t.Description, t.Place, t.Lon, t.Lat, t.SeenWhen, t.IsNamed, t.Status.Chinese(), t.TriageNote,
            t.MergedIntoId, aditNumber, t.AditId, Assignee(t, names), t.DueOn?.ToString("yyyy-MM-dd"), VerifyOverdue(t, today), t.Outcome?.Chinese(),
            t.VerificationNote, t.VerifiedUtc is { } v ? ChinaTime.Format(v) : null, t.CaseNumber, t.CaseFiledOn?.ToString("yyyy-MM-dd"), t.AwaitingTipster,
            attachments.Select(a => new AttachmentView(a.Id, a.ContentType, a.Length, AditPhotoUploads.Describe(a.TakenUtc, a.Lon, a.Lat))).ToList(),
            messages.Select(m => new OfficeMessage(m.FromOffice, m.Text, ChinaTime.Format(m.CreatedUtc))).ToList(),
            rewards.Select(r => new RewardView(r.Id, Reward.Chinese(r.Tier), r.Amount, Reward.Chinese(r.Status), ChinaTime.Format(r.ProposedUtc),
                r.PayBy.ToString("yyyy-MM-dd"), r.DaysToPay(today), r.Overdue(today), r.ClaimedUtc is not null,
                r.ApprovedUtc is { } a ? ChinaTime.Format(a) : null, r.PaidAmount, r.PaidOn?.ToString("yyyy-MM-dd"), r.PaidMethod, r.PaidReference,
                r.RefusedReason)).ToList());
    }

    /// <summary>Tips by channel, township and outcome, with the average days to verify and to pay, for the caller's scope.</summary>
    public async Task<List<StatRow>> StatsAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var tips = db.Set<Tip>().AsNoTracking().Where(t => t.Status != TipStatus.Merged);
        if (from is { } f) { var u = ChinaTime.ToUtc(f.ToDateTime(TimeOnly.MinValue)); tips = tips.Where(t => t.ReceivedUtc >= u); }
        if (to is { } e) { var u = ChinaTime.ToUtc(e.AddDays(1).ToDateTime(TimeOnly.MinValue)); tips = tips.Where(t => t.ReceivedUtc < u); }
        var rows = await tips.Select(t => new { t.Id, t.Channel, t.DivisionCode, t.Outcome, t.ReceivedUtc, t.VerifiedUtc }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var rewards = (await db.Set<Reward>().AsNoTracking().Where(r => ids.Contains(r.TipId) && r.Status != RewardStatus.Refused).ToListAsync(ct))
            .GroupBy(r => r.TipId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.ProposedUtc).First());
        var townships = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township || d.Level == DivisionLevel.County)
            .Within(db.CurrentUser.Scope).ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        var today = Today;
        var facts = rows.Select(r =>
        {
            rewards.TryGetValue(r.Id, out var reward);
            var township = r.DivisionCode.Length >= 9 ? r.DivisionCode[..9] : r.DivisionCode;
            return new Fact(r.Channel.Chinese(), townships.GetValueOrDefault(township, township), r.Outcome?.Chinese() ?? "未核查",
                r.VerifiedUtc is not null, r.Outcome is TipOutcome.True or TipOutcome.PartlyTrue,
                r.VerifiedUtc is { } v ? (v - r.ReceivedUtc).TotalDays : null,
                reward?.PaidOn is not null ? reward.DaysToPay(today) : null,
                reward is not null && reward.Overdue(today));
        }).ToList();
        List<StatRow> Group(string dimension, Func<Fact, string> key) => facts.GroupBy(f => key(f)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StatRow(dimension, g.Key, g.Count(), g.Count(f => f.Verified), g.Count(f => f.True),
                Avg(g.Select(f => f.DaysToVerify)), Avg(g.Select(f => f.DaysToPay)), g.Count(f => f.PayOverdue))).ToList();
        var result = new List<StatRow>
        {
            new("合计", "全部", facts.Count, facts.Count(f => f.Verified), facts.Count(f => f.True), Avg(facts.Select(f => f.DaysToVerify)),
                Avg(facts.Select(f => f.DaysToPay)), facts.Count(f => f.PayOverdue)),
        };
        result.AddRange(Group("渠道", f => f.Channel));
        result.AddRange(Group("乡镇", f => f.Township));
        result.AddRange(Group("核查结果", f => f.Outcome));
        return result;
    }

    private sealed record Fact(string Channel, string Township, string Outcome, bool Verified, bool True, double? DaysToVerify, double? DaysToPay, bool PayOverdue);

    private static double? Avg(IEnumerable<double?> values)
    {
        var list = values.OfType<double>().ToList();
        return list.Count == 0 ? null : Math.Round(list.Average(), 1);
    }
}
