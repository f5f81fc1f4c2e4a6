using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Mines;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Explosives;

/// <summary>
/// Finds the gaps of the loop in the caller's scope, from the stored records only (pure over what it loads): one
/// streamed pass over the movements in holder order, one holder's records in memory at a time (balance at each stock
/// count, issues outside the permitted area, uses at a mine whose licence is expired or whose status forbids
/// production, purchases over the month's need, slow transports, expired permits, holders that stopped reporting) and
/// one grouped pass over the issue and use rows of the detonator codes (a code used twice, a code used without an issue
/// before it). Each finding names the records and the numbers.
/// </summary>
public static class GapCheck
{
    /// <summary>A transport that took more than this many times its route's normal time.</summary>
    public const double TransportFactor = 2;

    /// <summary>Purchases above the month's need by more than this share.</summary>
    public const double PurchaseMargin = 0.2;

    /// <summary>A holder with no record for this many days has stopped reporting.</summary>
    public const int SilentDays = 30;

    private sealed record Row(Guid Id, Guid HolderId, string Kind, string Material, double Quantity, DateTime Utc, DateTime? ArrivalUtc, double? RouteHours,
        string? SiteDivisionCode, string? PermitNumber);

    public static async Task<List<GapFinding>> FindAsync(AppDbContext db, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var holders = await db.Set<ExplosiveHolder>().AsNoTracking().Include(h => h.Permits).ToDictionaryAsync(h => h.Id, ct);
        var mines = await MinesAsync(db, holders, ct);
        var found = new List<GapFinding>();
        // The movements stream in holder order and are checked one holder at a time: every movement check looks at
        // one holder's records only, so no more than one holder's rows are held in memory.
        var rows = db.Set<ExplosiveMovement>().AsNoTracking().OrderBy(m => m.HolderId)
            .Select(m => new Row(m.Id, m.HolderId, m.Kind, m.Material, m.Quantity, m.Utc, m.ArrivalUtc, m.RouteHours, m.SiteDivisionCode, m.PermitNumber));
        var holder = new List<Row>();
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (holder.Count > 0 && holder[0].HolderId != r.HolderId)
            {
                Holder(holders, mines, holder, now, found);
                holder.Clear();
            }
            holder.Add(r);
        }
        if (holder.Count > 0) Holder(holders, mines, holder, now, found);
        await DetonatorsAsync(db, found, ct);
        return found;
    }

    /// <summary>The movement checks over one holder's records.</summary>
    private static void Holder(Dictionary<Guid, ExplosiveHolder> holders, Dictionary<Guid, LicensedMine> mines, List<Row> rows, DateTime now, List<GapFinding> found)
    {
        Balances(rows, found);
        if (!holders.TryGetValue(rows[0].HolderId, out var h)) return;
        Mines(h, mines, rows, found);
        foreach (var r in rows)
        {
            OutsideArea(h, r, found);
            SlowTransport(r, found);
            ExpiredPermit(h, r, found);
        }
        Purchases(h, rows, found);
        Silent(h, rows, now, found);
    }

    private static string Q(double x, string material) => $"{Math.Round(x, 3):0.###}{ExplosiveKinds.Unit(material)}";

    private static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(ChinaTime.ToLocal(utc));

    /// <summary>At each stock count: purchased − used − returned − destroyed up to it against the count, beyond the tolerance.</summary>
    private static void Balances(List<Row> rows, List<GapFinding> found)
    {
        foreach (var group in rows.GroupBy(r => (r.HolderId, r.Material)))
        {
            var (p, u, ret, d) = (0d, 0d, 0d, 0d);
            foreach (var r in group.OrderBy(r => r.Utc).ThenBy(r => r.Kind == "stock" ? 1 : 0))
            {
                switch (r.Kind)
                {
                    case "purchase": p += r.Quantity; break;
                    case "use": u += r.Quantity; break;
                    case "return": ret += r.Quantity; break;
                    case "destruction": d += r.Quantity; break;
                    case "stock":
                        var expected = p - u - ret - d;
                        var diff = r.Quantity - expected;
                        if (Math.Abs(diff) > MovementIntake.Tolerance(r.Material) + 1e-9)
                            found.Add(new GapFinding(r.HolderId, "balance", r.Id.ToString(), r.Material, Math.Round(expected, 3), r.Quantity, [r.Id.ToString()],
                                $"{ExplosiveKinds.Materials[r.Material]}账实不符：截至 {ChinaTime.Format(r.Utc)} 购买 {Q(p, r.Material)}、使用 {Q(u, r.Material)}、退回 {Q(ret, r.Material)}、" +
                                $"销毁 {Q(d, r.Material)}，账面应存 {Q(expected, r.Material)}，盘点库存 {Q(r.Quantity, r.Material)}，{(diff < 0 ? "短少" : "多出")} {Q(Math.Abs(diff), r.Material)}（盘点记录 {r.Id}）"));
                        break;
                }
            }
        }
    }

    private static void OutsideArea(ExplosiveHolder h, Row r, List<GapFinding> found)
    {
        if (r.Kind != "issue" || r.SiteDivisionCode is not { } site || site.StartsWith(h.PermittedAreaCode, StringComparison.Ordinal)) return;
        found.Add(new GapFinding(h.Id, "issued-outside-area", r.Id.ToString(), r.Material, null, r.Quantity, [r.Id.ToString()],
            $"{ChinaTime.Format(r.Utc)} 向区划 {site} 的作业点发放{ExplosiveKinds.Materials[r.Material]} {Q(r.Quantity, r.Material)}，不在许可作业区域 {h.PermittedAreaCode} 内（记录 {r.Id}）"));
    }

    private static void SlowTransport(Row r, List<GapFinding> found)
    {
        if (r.Kind != "transport" || r.ArrivalUtc is not { } arrival || r.RouteHours is not { } normal) return;
        var hours = (arrival - r.Utc).TotalHours;
        if (hours <= normal * TransportFactor) return;
        found.Add(new GapFinding(r.HolderId, "transport-slow", r.Id.ToString(), r.Material, normal, Math.Round(hours, 2), [r.Id.ToString()],
            $"运输{ExplosiveKinds.Materials[r.Material]} {Q(r.Quantity, r.Material)} 用时 {hours:0.#} 小时，路线正常用时 {normal:0.#} 小时，超出 {hours - normal:0.#} 小时" +
            $"（{ChinaTime.Format(r.Utc)} 起运，{ChinaTime.Format(arrival)} 到达，记录 {r.Id}）"));
    }

    private static void ExpiredPermit(ExplosiveHolder h, Row r, List<GapFinding> found)
    {
        if (ExplosiveKinds.PermitFor(r.Kind, r.Material) is not { } kind) return;
        var day = Day(r.Utc);
        var named = r.PermitNumber is { } n ? h.Permits.Where(p => p.Number == n).ToList() : h.Permits.Where(p => p.Kind == kind).ToList();
        if (named.Count == 0 || named.Any(p => p.ValidOn(day))) return;
        var permit = named.OrderByDescending(p => p.ValidTo).First();
        found.Add(new GapFinding(h.Id, "permit-expired", r.Id.ToString(), r.Material, null, day.DayNumber - permit.ValidTo.DayNumber, [r.Id.ToString(), permit.Number],
            $"{ExplosiveKinds.Movements[r.Kind]}{ExplosiveKinds.Materials[r.Material]}（{day:yyyy-MM-dd}，记录 {r.Id}）所用{ExplosiveKinds.Permits[permit.Kind]} {permit.Number} " +
            (day > permit.ValidTo ? $"已于 {permit.ValidTo:yyyy-MM-dd} 过期 {day.DayNumber - permit.ValidTo.DayNumber} 天" : $"自 {permit.ValidFrom:yyyy-MM-dd} 起才生效")));
    }

    /// <summary>Purchases of a weighed material in a China month above the holder's monthly need plus the margin.</summary>
    private static void Purchases(ExplosiveHolder h, List<Row> rows, List<GapFinding> found)
    {
        if (h.MonthlyNeedKg is not { } need) return;
        foreach (var g in rows.Where(r => r.Kind == "purchase" && r.Material != "detonator")
                     .GroupBy(r => (r.HolderId, r.Material, Month: Day(r.Utc).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))))
        {
            var sum = g.Sum(r => r.Quantity);
            if (sum <= need * (1 + PurchaseMargin)) continue;
            found.Add(new GapFinding(h.Id, "purchase-over-production", $"{g.Key.Material}:{g.Key.Month}", g.Key.Material, need, sum,
                g.Select(r => r.Id.ToString()).ToList(),
                $"{g.Key.Month} 购买{ExplosiveKinds.Materials[g.Key.Material]} {Q(sum, g.Key.Material)}（{g.Count()} 笔），核定月用量 {Q(need, g.Key.Material)}，超出 {Q(sum - need, g.Key.Material)}（{(sum - need) / Math.Max(need, 1e-9):P0}）"));
        }
    }

    private static void Silent(ExplosiveHolder h, List<Row> rows, DateTime now, List<GapFinding> found)
    {
        var last = rows.MaxBy(r => r.Utc)!;
        var days = (now - last.Utc).TotalDays;
        if (days <= SilentDays) return;
        found.Add(new GapFinding(h.Id, "stopped-reporting", $"since:{last.Id}", null, SilentDays, Math.Floor(days), [last.Id.ToString()],
            $"自 {ChinaTime.Format(last.Utc)}（记录 {last.Id}）起 {Math.Floor(days):0} 天未报送流向记录（超过 {SilentDays} 天）"));
    }

    /// <summary>The licensed mines of the holders that have one, with their status history.</summary>
    private static async Task<Dictionary<Guid, LicensedMine>> MinesAsync(AppDbContext db, Dictionary<Guid, ExplosiveHolder> holders, CancellationToken ct)
    {
        var mineIds = holders.Values.Where(h => h.MineId is not null).Select(h => h.MineId!.Value).Distinct().ToList();
        if (mineIds.Count == 0) return [];
        return await db.Set<LicensedMine>().AsNoTracking().Include(m => m.StatusChanges).Where(m => mineIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
    }

    /// <summary>Uses at a holder's mine while the mine's licence had expired or its status (停产, 停产整顿, 关闭退出) was in force that day.</summary>
    private static void Mines(ExplosiveHolder h, Dictionary<Guid, LicensedMine> mines, List<Row> rows, List<GapFinding> found)
    {
        if (h.MineId is not { } mid || !mines.TryGetValue(mid, out var mine)) return;
        foreach (var r in rows.Where(r => r.Kind == "use"))
        {
            var day = Day(r.Utc);
            var status = mine.StatusChanges.Where(c => c.SinceOn is null || c.SinceOn <= day).OrderBy(c => c.SinceOn ?? DateOnly.MinValue).ThenBy(c => c.RecordedUtc)
                .Select(c => (MineStatus?)c.Status).LastOrDefault() ?? MineStatus.Producing;
            string? why = status switch
            {
                MineStatus.Suspended => "停产", MineStatus.Rectifying => "停产整顿", MineStatus.Closing => "关闭退出", _ => null,
            };
            if (why is null && mine.IsExpired(day)) why = $"采矿许可证已于 {mine.ValidTo:yyyy-MM-dd} 到期";
            if (why is null) continue;
            found.Add(new GapFinding(r.HolderId, "mine-licence", r.Id.ToString(), r.Material, null, r.Quantity, [r.Id.ToString(), mine.LicenceNumber],
                $"{day:yyyy-MM-dd} 在矿山“{mine.Name}”（许可证 {mine.LicenceNumber}，{why}）爆破使用{ExplosiveKinds.Materials[r.Material]} {Q(r.Quantity, r.Material)}（记录 {r.Id}）"));
        }
    }

    /// <summary>
    /// A code used twice (anywhere in scope), and a code used with no issue of it at or before the use. One grouped pass
    /// over the codes (per code: its uses, its first issue, its first use) finds the few codes that disagree; only their
    /// uses are read back. A use has an issue at or before it exactly when the code's first issue is not after it.
    /// </summary>
    private static async Task DetonatorsAsync(AppDbContext db, List<GapFinding> found, CancellationToken ct)
    {
        var codes = db.Set<ExplosiveDetonator>().AsNoTracking();
        var suspects = await codes.Where(d => d.Kind == "use" || d.Kind == "issue").GroupBy(d => d.Code)
            .Select(g => new
            {
                Code = g.Key,
                Uses = g.Count(d => d.Kind == "use"),
                FirstUse = g.Where(d => d.Kind == "use").Min(d => (DateTime?)d.Utc),
                FirstIssue = g.Where(d => d.Kind == "issue").Min(d => (DateTime?)d.Utc),
            })
            .Where(x => x.Uses > 1 || (x.Uses > 0 && (x.FirstIssue == null || x.FirstUse < x.FirstIssue)))
            .Select(x => new { x.Code, x.FirstIssue })
            .ToListAsync(ct);
        var firstIssue = suspects.ToDictionary(x => x.Code, x => x.FirstIssue, StringComparer.Ordinal);
        foreach (var chunk in suspects.Select(x => x.Code).Chunk(1000))
        {
            var uses = await codes.Where(d => d.Kind == "use" && chunk.Contains(d.Code)).Select(d => new { d.Code, d.HolderId, d.MovementId, d.Utc }).ToListAsync(ct);
            foreach (var g in uses.GroupBy(u => u.Code))
            {
                var list = g.OrderBy(u => u.Utc).ThenBy(u => u.MovementId).ToList();
                if (list.Count > 1)
                    found.Add(new GapFinding(list[0].HolderId, "detonator-reused", g.Key, "detonator", 1, list.Count, list.Select(u => u.MovementId.ToString()).ToList(),
                        $"雷管 {g.Key} 被使用 {list.Count} 次（应为 1 次）：" + string.Join("；", list.Select(u => $"{ChinaTime.Format(u.Utc)} 记录 {u.MovementId}"))));
                foreach (var u in list.Where(u => firstIssue[g.Key] is not { } issued || u.Utc < issued))
                    found.Add(new GapFinding(u.HolderId, "detonator-not-issued", $"{u.Code}:{u.MovementId}", "detonator", 1, 0, [u.MovementId.ToString()],
                        $"雷管 {u.Code} 于 {ChinaTime.Format(u.Utc)} 使用（记录 {u.MovementId}），此前没有领用发放记录：应领 1 发，实领 0 发"));
            }
        }
    }
}
