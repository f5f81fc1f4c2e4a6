using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using static MineGuard.Platform.Web.StoredValueLimits;

namespace MineGuard.Features.Monitoring;

/// <summary>
/// A finding of another feature's check that is an alert (e.g. a gap in the explosives loop): its own key (one alert per
/// finding, never joined with another), its type (<see cref="EventTypes.Findings"/>), the division whose people answer it,
/// a title and the text that says what disagrees and by how much, its severity and the department copied.
/// </summary>
public sealed record FindingAlert(string Key, string Type, string DivisionCode, string Title, string Detail, AlertSeverity Severity, string? CopyTo);

/// <summary>
/// The one alert path for findings: the same <see cref="AlertDesk.RaiseAsync"/> sensor signals take (correlation lock,
/// deadlines by severity, the alert on the one clock) and <see cref="AlertRouting.RouteOpenedAsync"/> (the division's
/// answerer as assignee, the copied department's county officers told, in-app and SMS). Runs inside the caller's
/// transaction, so the finding and its alert commit together; the caller saves, commits and wakes the SMS sender.
/// </summary>
public sealed class FindingAlerts(AppDbContext db, AlertDesk desk, AlertRouting routing)
{
    /// <summary>Opens and routes one alert per finding; returns each finding's alert id by its key.</summary>
    public async Task<Dictionary<string, Guid>> RaiseAsync(IReadOnlyList<FindingAlert> findings, CancellationToken ct)
    {
        if (findings.Count == 0) return [];
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var raised = findings.Select(f => new Raised(
            new Signal(f.Type, f.DivisionCode, null, false, null, null, null, now),
            new RuleCheck($"finding:{f.Type}", EventTypes.Name(f.Type), [f.Type], [], [], null, false, false, false, f.Severity, f.CopyTo, ""),
            f.DivisionCode.Length >= 6 ? f.DivisionCode[..6] : f.DivisionCode, Cut(f.Title, 200), null, null, null, Cut(f.Detail, 900), f.Key)).ToList();
        await desk.LockAsync(raised.Select(r => r.CorrelationKey), ct);
        var (alertOf, entries, _, joined, _) = await desk.RaiseAsync(raised, now, isDemo: false, ct);
        await desk.WriteJoinedAsync(joined, ct);
        var opened = db.ChangeTracker.Entries<Alert>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        entries.AddRange(await routing.RouteOpenedAsync(opened, now, ct));
        db.AlertEntries().AddRange(entries);
        return raised.ToDictionary(r => r.CorrelationKey, r => alertOf[r]);
    }
}
