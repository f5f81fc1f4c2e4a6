using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Notifications;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Explosives;

public sealed record GapView(Guid Id, Guid HolderId, string HolderName, string DivisionCode, string Kind, string KindName, string? Material, double? Expected,
    double? Actual, List<string> Records, string Detail, DateTime FoundUtc, Guid? AlertId, Guid? ClueId, string State, DateTime? ClosedUtc, string? CloseReason);

public sealed record GapCheckView(int Found, int Raised, List<GapView> Gaps);

public sealed record GapCloseInput(string? Reason);

/// <summary>
/// Stores what <see cref="GapCheck"/> finds, once per (holder, kind, key), and raises each new gap as an alert through the
/// one alert path (<see cref="FindingAlerts"/>: the holder's division answers it by the severity's deadlines on the one
/// clock, the county's police are copied), the alert's text naming the records and the numbers. A re-run finds the stored
/// gaps (open or closed) and raises nothing. Gaps are closed here with a reason.
/// </summary>
public sealed class GapDesk(AppDbContext db, FindingAlerts alerts, SmsSender sms)
{
    public const int MaxReason = 500;

    /// <summary>How pressing each kind is: a missing or doubly used detonator and a short stock are severe.</summary>
    public static AlertSeverity Severity(string kind) => kind switch
    {
        "balance" or "detonator-reused" or "detonator-not-issued" or "issued-outside-area" or "mine-licence" => AlertSeverity.High,
        "stopped-reporting" => AlertSeverity.Low,
        _ => AlertSeverity.Medium,
    };

    public async Task<GapCheckView> CheckAsync(CancellationToken ct)
    {
        var findings = await GapCheck.FindAsync(db, ct);
        var holderIds = findings.Select(f => f.HolderId).Distinct().ToList();
        var holders = await db.Set<ExplosiveHolder>().AsNoTracking().Where(h => holderIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var raised = new List<ExplosiveGap>();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Two checks at once: the second waits here and then finds what the first stored.
        await db.LockAsync(LockKey.ExplosivesGapCheck, ct);
        var known = (await db.Set<ExplosiveGap>().Beyond(ScopeExit.Uniqueness).Where(g => holderIds.Contains(g.HolderId))
            .Select(g => new { g.HolderId, g.Kind, g.Key }).ToListAsync(ct)).Select(g => (g.HolderId, g.Kind, g.Key)).ToHashSet();
        var opening = new List<FindingAlert>();
        foreach (var f in findings.DistinctBy(f => (f.HolderId, f.Kind, f.Key)))
        {
            if (known.Contains((f.HolderId, f.Kind, f.Key)) || !holders.TryGetValue(f.HolderId, out var holder)) continue;
            var gap = ExplosiveGap.Found(holder, f, now);
            db.Add(gap);
            raised.Add(gap);
            var numbers = f.Expected is null && f.Actual is null ? "" : $"（应为 {f.Expected?.ToString("0.###") ?? "—"}，实为 {f.Actual?.ToString("0.###") ?? "—"}）";
            opening.Add(new FindingAlert(AlertKey(gap.Id), EventTypes.ExplosivesGap, holder.DivisionCode, $"{holder.Name}：{GapKinds.Names[f.Kind]}{numbers}",
                $"{f.Detail}；涉及记录：{string.Join("、", f.Records)}", Severity(f.Kind), Department.PublicSecurity));
        }
        if (raised.Count > 0)
        {
            using var audit = db.AuditAsBatch("check", nameof(ExplosiveGap), "*", db.CurrentUser.Scope.Code);
            var alertOf = await alerts.RaiseAsync(opening, ct);
            foreach (var gap in raised) gap.Raised(alertOf[AlertKey(gap.Id)]);
            await db.SaveChangesAsync(ct);
            audit.Complete($"民爆物品/氰化钠闭环检查：新缺口 {raised.Count} 个，各发预警一条并抄送公安");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (raised.Count > 0) sms.Wake();
        var names = holders.ToDictionary(h => h.Key, h => h.Value.Name);
        return new GapCheckView(findings.Count, raised.Count, raised.Select(g => View(g, names.GetValueOrDefault(g.HolderId, ""))).ToList());
    }

    private static string AlertKey(Guid gapId) => $"explosives-gap:{gapId}";

    /// <summary>Closes an open gap with its reason (the alert is closed on its own path); null when it is not in scope.</summary>
    public async Task<(GapView? Gap, FieldErrors Errors)> CloseAsync(Guid id, GapCloseInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var reason = input.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add("reason", "请填写关闭缺口的原因（核实情况）");
        else if (reason.Length > MaxReason) errors.Add("reason", $"关闭原因最多 {MaxReason} 个字符");
        var gap = await db.Set<ExplosiveGap>().FirstOrDefaultAsync(g => g.Id == id, ct);
        if (gap is null) return (null, errors);
        if (!errors.Ok) return (null, errors);
        gap.Close(reason!, db.CurrentUser.Id!.Value, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        var name = await db.Set<ExplosiveHolder>().Where(h => h.Id == gap.HolderId).Select(h => h.Name).FirstAsync(ct);
        return (View(gap, name), errors);
    }

    public async Task<List<GapView>> ListAsync(Guid? holderId, CancellationToken ct)
    {
        var query = from g in db.Set<ExplosiveGap>().AsNoTracking()
            join h in db.Set<ExplosiveHolder>().AsNoTracking() on g.HolderId equals h.Id
            select new { g, h.Name };
        if (holderId is { } id) query = query.Where(x => x.g.HolderId == id);
        var rows = await query.OrderByDescending(x => x.g.FoundUtc).ThenBy(x => x.g.Id).Take(1000).ToListAsync(ct);
        return rows.ConvertAll(x => View(x.g, x.Name));
    }

    private static GapView View(ExplosiveGap g, string holderName) =>
        new(g.Id, g.HolderId, holderName, g.DivisionCode, g.Kind, GapKinds.Names.GetValueOrDefault(g.Kind, g.Kind), g.Material, g.Expected, g.Actual,
            [.. g.Records.Split(',', StringSplitOptions.RemoveEmptyEntries)], g.Detail, DateTime.SpecifyKind(g.FoundUtc, DateTimeKind.Utc), g.AlertId, g.ClueId,
            g.IsOpen ? "open" : "closed", g.ClosedUtc is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Utc) : null, g.CloseReason);
}
