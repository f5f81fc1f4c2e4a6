using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Accountability;
using MineGuard.Features.Cases;
using MineGuard.Features.Tips;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Supervision;

/// <summary>
/// The dashboard's tip, case and referral sections (issue 18). Each counts through the scoped sets and the same filter
/// as the list its link opens: the tip inbox (<c>/tips?division=…&amp;from=…&amp;to=…&amp;flag=…</c>), the case list
/// (<see cref="CaseViews.Where"/>, <c>/cases?division=…&amp;from=…&amp;to=…&amp;has=…</c>) and the referral list.
/// </summary>
public sealed partial class SupervisionDashboard
{
    /// <summary>Whole days from one instant to another, a part of a day counted as a day (不足一天按一天计).</summary>
    public static int DaysUp(TimeSpan span) => Math.Max(0, (int)Math.Ceiling(span.TotalDays));

    /// <summary>The median of whole numbers (the lower middle of an even count), 0 for none.</summary>
    public static int Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[(sorted.Count - 1) / 2];
    }

    private static int ChildLength(Division node, List<Division> children) => children.Count == 0 ? node.Code.Length : children.Min(c => c.Code.Length);

    private static Func<string, int> SumOf<T>(IEnumerable<T> rows, Func<T, string> code, Func<T, int> value) =>
        prefix => rows.Where(r => code(r).StartsWith(prefix, StringComparison.Ordinal)).Sum(value);

    private static string Days(ReportPeriod period) => $"from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}";

    /// <summary>
    /// 举报: tips received in the period; of those verified true (属实/部分属实) and the median days from receipt to the
    /// verification; rewards paid for them and the median days from verification to payment; rewards paid after the
    /// county's promise or unpaid past it (查实必奖、快速兑现).
    /// </summary>
    private async Task<SectionView> TipsAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var (fromUtc, toUtc, today) = (period.FromUtc, period.ToUtcExclusive, DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime)));
        var tips = db.Set<Tip>().AsNoTracking().Within(JurisdictionScope.Of(node.Code), t => t.DivisionCode)
            .Where(t => t.ReceivedUtc >= fromUtc && t.ReceivedUtc < toUtc);
        var rows = await tips.Select(t => new TipRow(t.DivisionCode, t.ReceivedUtc, t.Outcome, t.VerifiedUtc)).ToListAsync(ct);
        var rewards = await db.Set<Reward>().AsNoTracking().Where(r => r.Status != RewardStatus.Refused)
            .Join(tips, r => r.TipId, t => t.Id, (r, t) => new RewardRow(t.DivisionCode, r.TipId, r.Status, r.VerifiedUtc, r.PaidOn, r.PayBy))
            .ToListAsync(ct);
        static bool True(TipRow t) => t.Outcome is TipOutcome.True or TipOutcome.PartlyTrue;
        IEnumerable<TipRow> TipsOf(string code) => rows.Where(r => r.Code.StartsWith(code, StringComparison.Ordinal));
        IEnumerable<RewardRow> RewardsOf(string code) => rewards.Where(r => r.Code.StartsWith(code, StringComparison.Ordinal));
        var days = Days(period);
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<string, int> Value, string Filter, string? Unit)[]
        {
            ("received", "本期收到举报", "期间内收到的群众举报", false, c => TipsOf(c).Count(), days, null),
            ("true", "其中查实", "期间内收到、核查属实或部分属实", false, c => TipsOf(c).Count(True), days + "&flag=true", null),
            ("verify-days", "核查用时", "查实举报从收到到核查完成的天数中位数（不足一天按一天计）", false,
                c => Median(TipsOf(c).Where(t => True(t) && t.VerifiedUtc != null).Select(t => DaysUp(t.VerifiedUtc!.Value - t.ReceivedUtc))), days + "&flag=true", "天"),
            ("paid", "已兑现奖励", "期间内收到的举报中奖励已发放的（按举报计）", false, c => RewardsOf(c).Where(r => r.Status == RewardStatus.Paid).Select(r => r.TipId).Distinct().Count(), days + "&flag=paid", null),
            ("pay-days", "兑现用时", "已发放奖励从查实到发放的天数中位数", false,
                c => Median(RewardsOf(c).Where(r => r.PaidOn != null).Select(r => Math.Max(0, r.PaidOn!.Value.DayNumber - DateOnly.FromDateTime(ChinaTime.ToLocal(r.VerifiedUtc)).DayNumber))),
                days + "&flag=paid", "天"),
            ("pay-late", "超期兑现", "奖励超过承诺期限才发放或至今未发放的举报", true,
                c => RewardsOf(c).Where(r => (r.PaidOn ?? today) > r.PayBy).Select(r => r.TipId).Distinct().Count(), days + "&flag=pay-overdue", null),
        };
        return new SectionView("tips", "群众举报", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children, m.Value,
            code => "/tips?division=" + Uri.EscapeDataString(code) + "&" + m.Filter, m.Unit)).ToList());
    }

    private sealed record TipRow(string Code, DateTime ReceivedUtc, TipOutcome? Outcome, DateTime? VerifiedUtc);

    private sealed record RewardRow(string Code, Guid TipId, RewardStatus Status, DateTime VerifiedUtc, DateOnly? PaidOn, DateOnly PayBy);

    /// <summary>
    /// 案件: cases filed in the period, of those still open, transferred to the police and the police's answers, fines
    /// decided (yuan) and ore seized (kg); stages overdue now. Counted through the case list's own filter.
    /// </summary>
    private async Task<SectionView> CasesAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var length = ChildLength(node, children);
        var (from, to) = (period.From.ToString("yyyy-MM-dd"), period.To.ToString("yyyy-MM-dd"));
        var (filed, _) = cases.Where(new CaseQuery(Division: node.Code, From: from, To: to));
        var rows = await filed.GroupBy(c => c.DivisionCode.Substring(0, length))
            .Select(g => new CaseRow(g.Key, g.Count(), g.Count(c => c.Stage != CaseStage.Closed), g.Count(c => c.HandedOverUtc != null),
                g.Count(c => c.PoliceDecision == "accepted"), g.Count(c => c.PoliceDecision == "refused"),
                g.Sum(c => c.DecisionOn != null && c.FineYuan != null ? c.FineYuan!.Value : 0)))
            .ToListAsync(ct);
        var (late, _) = cases.Where(new CaseQuery(Division: node.Code, Overdue: "true"));
        var overdue = await late.GroupBy(c => c.DivisionCode.Substring(0, length)).Select(g => new { Code = g.Key, Count = g.Count() }).ToListAsync(ct);
        var ids = filed.Select(c => c.Id);
        var ore = await db.Set<CaseSeizure>().AsNoTracking().Where(s => s.Kind == "ore" && ids.Contains(s.CaseId))
            .GroupBy(s => s.DivisionCode.Substring(0, length)).Select(g => new { Code = g.Key, Kg = g.Sum(s => s.WeightKg ?? 0) }).ToListAsync(ct);
        var days = Days(period);
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<string, int> Value, string Filter, string? Unit)[]
        {
            ("filed", "本期立案", "期间内立案的案件", false, SumOf(rows, r => r.Code, r => r.Filed), days, null),
            ("open", "其中未结案", "期间内立案、尚未结案", false, SumOf(rows, r => r.Code, r => r.Open), days + "&stage=open", null),
            ("transferred", "移送公安", "期间内立案、已移交公安机关", false, SumOf(rows, r => r.Code, r => r.Transferred), days + "&has=transferred", null),
            ("police-accepted", "公安已立案", "移送后公安机关决定立案", false, SumOf(rows, r => r.Code, r => r.PoliceAccepted), days + "&has=police-accepted", null),
            ("police-refused", "公安不予立案", "移送后公安机关决定不予立案", true, SumOf(rows, r => r.Code, r => r.PoliceRefused), days + "&has=police-refused", null),
            ("fines", "罚款", "期间内立案的案件已决定的罚款金额（列表为已决定罚款的案件）", false,
                SumOf(rows, r => r.Code, r => (int)Math.Round(r.Fines)), days + "&has=fined", "元"),
            ("ore", "扣押矿产品", "期间内立案的案件扣押的矿产品重量（列表为有扣押矿产品的案件）", false,
                SumOf(ore, r => r.Code, r => (int)Math.Round(r.Kg)), days + "&has=ore", "千克"),
            ("overdue", "环节逾期", "目前办案环节已过期限的案件", true, SumOf(overdue, r => r.Code, r => r.Count), "overdue=true", null),
        };
        return new SectionView("cases", "案件查处", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children, m.Value,
            code => "/cases?division=" + Uri.EscapeDataString(code) + "&" + m.Filter, m.Unit)).ToList());
    }

    private sealed record CaseRow(string Code, int Filed, int Open, int Transferred, int PoliceAccepted, int PoliceRefused, double Fines);

    /// <summary>
    /// 问责线索: referrals made in the period for places in the division, of those decided by the commission, and the
    /// referrals waiting for a decision now. Only for those who may read referrals (the section is left out otherwise).
    /// </summary>
    private async Task<SectionView?> ReferralsAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        if (!referrals.CanRead) return null;
        var length = ChildLength(node, children);
        var (fromUtc, toUtc) = (period.FromUtc, period.ToUtcExclusive);
        var rows = await db.Set<Referral>().AsNoTracking().Within(JurisdictionScope.Of(node.Code), r => r.DivisionCode)
            .GroupBy(r => r.DivisionCode.Substring(0, length))
            .Select(g => new ReferralRow(g.Key,
                g.Count(r => r.CreatedUtc >= fromUtc && r.CreatedUtc < toUtc),
                g.Count(r => r.CreatedUtc >= fromUtc && r.CreatedUtc < toUtc && r.State == ReferralState.Decided),
                g.Count(r => r.State == ReferralState.New)))
            .ToListAsync(ct);
        var days = Days(period);
        var measures = new (string Key, string Name, string Hint, bool Worse, Func<string, int> Value, string Filter)[]
        {
            ("new", "本期问责线索", "期间内规则触发的问责线索", true, SumOf(rows, r => r.Code, r => r.Made), days),
            ("decided", "其中已处理", "期间内产生、纪委监委已记录处理决定", false, SumOf(rows, r => r.Code, r => r.Decided), days + "&state=decided"),
            ("pending", "待处理", "目前尚未记录处理决定的问责线索", true, SumOf(rows, r => r.Code, r => r.Pending), "state=new"),
        };
        return new SectionView("referrals", "问责线索统计", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children, m.Value,
            code => "/referrals?division=" + Uri.EscapeDataString(code) + "&" + m.Filter)).ToList());
    }

    private sealed record ReferralRow(string Code, int Made, int Decided, int Pending);
}
