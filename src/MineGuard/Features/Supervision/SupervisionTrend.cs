using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision;

/// <summary>One month of a trend: the month ("2026-11"), the division's figure for it and the list behind it.</summary>
public sealed record TrendPoint(string Month, int Value, string Link);

public sealed record TrendView(string Division, string Measure, string Name, string? Unit, bool HigherIsWorse, List<TrendPoint> Points);

/// <summary>
/// Trends over months (issue 18): a measure of the dashboard for a division, month by month, the current month to today.
/// Each month is the dashboard's section of the measure read for that month (the dashboard's own read, only that
/// section), so a point is the figure the board shows for that period and links to the same list. Nothing is
/// precomputed: a year is twelve reads of one section.
/// </summary>
public sealed partial class SupervisionDashboard
{
    public const int MaxTrendMonths = 24;

    public async Task<(TrendView? View, FieldErrors Errors)> TrendAsync(string? division, string? measure, string? months, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var count = 12;
        if (!string.IsNullOrWhiteSpace(months) && !int.TryParse(months.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)) count = -1;
        if (count is < 1 or > MaxTrendMonths) errors.Add(nameof(months), $"月数须在 1 至 {MaxTrendMonths} 之间");
        var dot = measure?.IndexOf('.') ?? -1;
        if (string.IsNullOrWhiteSpace(measure) || dot <= 0 || dot == measure.Length - 1)
            errors.Add(nameof(measure), "请指定指标，格式为 分区.指标（如 ledger.breached）");
        if (!errors.Ok) return (null, errors);
        var (section, key) = (measure![..dot], measure[(dot + 1)..]);
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - count);
        var points = new List<TrendPoint>();
        MeasureView? named = null;
        for (var month = first; month <= today; month = month.AddMonths(1))
        {
            var end = month.AddMonths(1).AddDays(-1);
            var (view, problems) = await ReadAsync(division, $"{month:yyyy-MM-dd}", $"{(end < today ? end : today):yyyy-MM-dd}", section, ct);
            if (view is null) return (null, problems);
            var part = view.Sections.FirstOrDefault(s => s.Key == section);
            if (part is null)
            {
                errors.Add(nameof(measure), $"没有这个分区：{section}");
                return (null, errors);
            }
            var m = part.Measures.FirstOrDefault(x => x.Key == key);
            named ??= m;
            // A per-type measure (an alert type) appears only in months that have such rows: 0 in the others.
            points.Add(new TrendPoint($"{month:yyyy-MM}", m?.Total.Value ?? 0, m?.Total.Link ?? ""));
        }
        if (named is null && !key.Contains(':'))
        {
            errors.Add(nameof(measure), $"没有这个指标：{measure}");
            return (null, errors);
        }
        return (new TrendView(division ?? me.Scope.Code, measure, named?.Name ?? key, named?.Unit, named?.HigherIsWorse ?? false, points), errors);
    }
}
