using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Supervision;

/// <summary>
/// The dashboard's signal section (预警): alerts opened in the period, in all and by type; the time to acknowledge and to
/// verify on site (close with an outcome): the median and the share within the deadline the alert's severity was given
/// when it opened (an escalation moves a late alert's deadline; the share counts against the first one); alerts overdue
/// now and devices offline now (their open 设备离线 alerts). Counted through <see cref="AlertCommands.Alerts"/> and the
/// alert list's filter (<c>/alerts?division=…&amp;from=…&amp;to=…&amp;status=all&amp;type=…</c>).
/// </summary>
public sealed partial class SupervisionDashboard
{
    private async Task<SectionView> SignalsAsync(Division node, List<Division> children, ReportPeriod period, CancellationToken ct)
    {
        var length = ChildLength(node, children);
        var (fromUtc, toUtc, now) = (period.FromUtc, period.ToUtcExclusive, db.Clock.GetUtcNow().UtcDateTime);
        var within = alerts.Alerts.Within(JurisdictionScope.Of(node.Code), a => a.DivisionCode);
        var rows = await within.Where(a => a.OpenedUtc >= fromUtc && a.OpenedUtc < toUtc)
            .Select(a => new AlertRow(a.DivisionCode, a.EventType, a.Severity, a.OpenedUtc, a.AcknowledgedUtc, a.ClosedUtc, a.Outcome))
            .ToListAsync(ct);
        var overdue = await within.Where(a => a.Status != AlertStatus.Closed && ((a.Status == AlertStatus.Open && a.AckDueUtc <= now) || a.VerifyDueUtc <= now))
            .GroupBy(a => a.DivisionCode.Substring(0, length)).Select(g => new { Code = g.Key, Count = g.Count() }).ToListAsync(ct);
        var offline = await within.Where(a => a.Status != AlertStatus.Closed && a.EventType == EventTypes.Offline)
            .GroupBy(a => a.DivisionCode.Substring(0, length)).Select(g => new { Code = g.Key, Count = g.Count() }).ToListAsync(ct);
        var deadlines = monitoring.Value.Deadlines;
        IEnumerable<AlertRow> Of(string code) => rows.Where(r => r.Code.StartsWith(code, StringComparison.Ordinal));
        bool AckInTime(AlertRow r) => r.AcknowledgedUtc <= r.OpenedUtc + deadlines.For(r.Severity).Acknowledge;
        bool VerifyInTime(AlertRow r) => r.ClosedUtc <= r.OpenedUtc + deadlines.For(r.Severity).Verify;
        var (days, closed) = (Days(period) + "&status=all", Days(period) + "&status=closed");
        var measures = new List<(string Key, string Name, string Hint, bool Worse, Func<string, int> Value, string Filter, string? Unit)>
        {
            ("opened", "本期预警", "期间内产生的预警（各类型）", false, c => Of(c).Count(), days, null),
        };
        foreach (var type in rows.GroupBy(r => r.Type).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key))
            measures.Add(("type:" + type, "其中" + EventTypes.Name(type), "期间内产生的该类型预警", false, c => Of(c).Count(r => r.Type == type),
                days + "&type=" + Uri.EscapeDataString(type), null));
        measures.AddRange(
        [
            ("ack-minutes", "签收用时", "已签收预警从产生到签收的分钟数中位数（不足一分钟按一分钟计）", false,
                c => Median(Of(c).Where(r => r.AcknowledgedUtc != null).Select(r => Math.Max(0, (int)Math.Ceiling((r.AcknowledgedUtc!.Value - r.OpenedUtc).TotalMinutes)))), days, "分钟"),
            ("ack-in-time", "按时签收率", "已签收预警中在签收时限内签收的比例", false,
                c => Share(Of(c).Count(r => r.AcknowledgedUtc != null && AckInTime(r)), Of(c).Count(r => r.AcknowledgedUtc != null)), days, "%"),
            ("verify-hours", "现场核实用时", "已核实关闭预警从产生到核实的小时数中位数（不足一小时按一小时计）", false,
                c => Median(Of(c).Where(r => r.ClosedUtc != null).Select(r => Math.Max(0, (int)Math.Ceiling((r.ClosedUtc!.Value - r.OpenedUtc).TotalHours)))), closed, "小时"),
            ("verify-in-time", "按时核实率", "已核实关闭预警中在核实时限内关闭的比例", false,
                c => Share(Of(c).Count(r => r.ClosedUtc != null && VerifyInTime(r)), Of(c).Count(r => r.ClosedUtc != null)), closed, "%"),
            ("overdue", "逾期未处置", "目前已过签收或核实时限仍未关闭的预警", true, SumOf(overdue, r => r.Code, r => r.Count), "overdue=true", null),
            ("offline", "设备离线", "目前设备离线预警尚未关闭的设备", true, SumOf(offline, r => r.Code, r => r.Count),
                "type=" + Uri.EscapeDataString(EventTypes.Offline), null),
        ]);
        return new SectionView("signals", "预警处置", measures.Select(m => Measure(m.Key, m.Name, m.Hint, m.Worse, node, children, m.Value,
            code => "/alerts?division=" + Uri.EscapeDataString(code) + "&" + m.Filter, m.Unit)).ToList());
    }

    private sealed record AlertRow(string Code, string Type, AlertSeverity Severity, DateTime OpenedUtc, DateTime? AcknowledgedUtc, DateTime? ClosedUtc,
        AlertOutcome Outcome);
}
