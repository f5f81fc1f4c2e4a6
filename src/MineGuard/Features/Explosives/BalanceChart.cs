using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Explosives;

/// <summary>One point of a holder's balance over time: the running stock after a movement, and the count if it was a stock count.</summary>
public sealed record BalancePoint(DateTime Utc, double Stock, double? Counted);

public sealed record BalanceSeries(string Material, string MaterialName, string Unit, List<BalancePoint> Points);

/// <summary>
/// A holder's balance over time (结存走势) per material: purchased − used − returned − destroyed after each movement, in
/// time order, the counts beside it; drawn on <c>/explosives?holder=</c> as an inline SVG step line (the counts as dots),
/// the same numbers as the history's Excel.
/// </summary>
public static class BalanceChart
{
    public const double Width = 640, Height = 160, Pad = 24;

    public static async Task<List<BalanceSeries>> SeriesAsync(AppDbContext db, Guid holderId, CancellationToken ct)
    {
        var rows = await db.Set<ExplosiveMovement>().AsNoTracking().Where(m => m.HolderId == holderId).OrderBy(m => m.Utc).ThenBy(m => m.Id)
            .Select(m => new { m.Material, m.Kind, m.Quantity, m.Utc }).Take(ListPaging.ExportLimit).ToListAsync(ct);
        return rows.GroupBy(r => r.Material).OrderBy(g => g.Key).Select(g =>
        {
            var stock = 0d;
            var points = g.Select(r =>
            {
                stock += ExplosiveMovement.Sign(r.Kind) * r.Quantity;
                return new BalancePoint(DateTime.SpecifyKind(r.Utc, DateTimeKind.Utc), Math.Round(stock, 3), r.Kind == "stock" ? r.Quantity : null);
            }).ToList();
            return new BalanceSeries(g.Key, ExplosiveKinds.Materials[g.Key], ExplosiveKinds.Unit(g.Key), points);
        }).ToList();
    }

    /// <summary>The SVG coordinates of the series: a step line of the stock ("x,y x,y …") and the counts' dots.</summary>
    public static (string Line, List<(double X, double Y, double Value)> Counts, double Max) Draw(BalanceSeries s)
    {
        var first = s.Points[0].Utc;
        var span = Math.Max((s.Points[^1].Utc - first).TotalSeconds, 1);
        var max = Math.Max(1, s.Points.Max(p => Math.Max(p.Stock, p.Counted ?? 0)));
        var min = Math.Min(0, s.Points.Min(p => p.Stock));
        double X(DateTime t) => Pad + ((t - first).TotalSeconds / span * (Width - 2 * Pad));
        double Y(double v) => Height - Pad - ((v - min) / (max - min) * (Height - 2 * Pad));
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var parts = new List<string>();
        var last = 0d;
        foreach (var p in s.Points)
        {
            parts.Add($"{F(X(p.Utc))},{F(Y(last))}");
            parts.Add($"{F(X(p.Utc))},{F(Y(p.Stock))}");
            last = p.Stock;
        }
        var counts = s.Points.Where(p => p.Counted is not null).Select(p => (X(p.Utc), Y(p.Counted!.Value), p.Counted!.Value)).ToList();
        return (string.Join(' ', parts), counts, max);
    }
}
