using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Clues;

/// <summary>
/// A lead from another feature: its type (see <see cref="ClueSourceTypes"/>), the id of the record it came from, a
/// summary, and where it is.
/// </summary>
public sealed record ClueLead(string Type, Guid? SourceId, string Summary, string DivisionCode, Guid? AditId = null, string? DepartmentCode = null);

/// <summary>
/// How a feature opens a clue: one call where its record becomes a lead (a tip triaged, an alert confirmed, a patrol
/// finding). Adds the clue, its source and the first timeline line to the caller's unit of work (saved with the caller's
/// SaveChanges); a source already on a clue opens nothing again. Probable duplicates are proposed on the clue's page
/// (<c>GET /api/clues/{id}/duplicates</c>), never merged silently.
/// </summary>
public static class ClueIntake
{
    public static async Task<Clue?> OpenAsync(AppDbContext db, ClueLead lead, CancellationToken ct)
    {
        if (lead.SourceId is { } sid
            && (db.Set<ClueSource>().Local.Any(s => s.Type == lead.Type && s.SourceId == sid)
                || await db.Set<ClueSource>().Beyond(ScopeExit.Uniqueness).AnyAsync(s => s.Type == lead.Type && s.SourceId == sid, ct)))
            return null;
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var summary = lead.Summary.Length <= 1000 ? lead.Summary : lead.Summary[..1000];
        var clue = Clue.Receive(lead.DivisionCode, lead.AditId, summary, lead.DepartmentCode, now);
        db.Add(clue);
        db.Add(ClueSource.Create(clue.Id, lead.DivisionCode, lead.Type, lead.SourceId, summary, now));
        db.Add(ClueEntry.Create(clue, "received", $"收到线索（{ClueSourceTypes.Names.GetValueOrDefault(lead.Type, lead.Type)}）：{summary}", db.CurrentUser.Id, now));
        return clue;
    }
}
