using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Platform.Deadlines;

/// <summary>How a feature puts work on the one clock and takes it off; rows are saved with the caller's own SaveChanges.</summary>
public static class DeadlineClock
{
    public static DbSet<Deadline> Deadlines(this AppDbContext db) => db.Set<Deadline>();

    /// <summary>Puts work on the clock (an open deadline of the same subject and type is moved instead of doubled).</summary>
    public static Deadline Open(this AppDbContext db, string subjectType, Guid subjectId, string divisionCode, string? departmentCode,
        DateTime dueUtc, AnswerLevel level)
    {
        var open = db.Deadlines().Local.FirstOrDefault(d => d.SubjectType == subjectType && d.SubjectId == subjectId && d.ClosedUtc == null);
        if (open is not null)
        {
            open.Move(dueUtc);
            return open;
        }
        return db.OpenNew(subjectType, subjectId, divisionCode, departmentCode, dueUtc, level);
    }

    /// <summary>
    /// Puts a subject created in this unit of work on the clock: it can have no open deadline to move, so none is looked
    /// for (the look-up walks every tracked row: an ingest batch opening 250 alerts walked them 250 times).
    /// </summary>
    public static Deadline OpenNew(this AppDbContext db, string subjectType, Guid subjectId, string divisionCode, string? departmentCode,
        DateTime dueUtc, AnswerLevel level)
    {
        var deadline = Deadline.Create(subjectType, subjectId, divisionCode, departmentCode, dueUtc, level, db.Clock.GetUtcNow().UtcDateTime);
        db.Deadlines().Add(deadline);
        return deadline;
    }

    /// <summary>The open deadline of a subject, tracked, or null.</summary>
    public static async Task<Deadline?> OpenDeadlineAsync(this AppDbContext db, string subjectType, Guid subjectId, CancellationToken ct) =>
        db.Deadlines().Local.FirstOrDefault(d => d.SubjectType == subjectType && d.SubjectId == subjectId && d.ClosedUtc == null)
        ?? await db.Beyond<Deadline>(ScopeExit.ChildrenOfVisible)
            .FirstOrDefaultAsync(d => d.SubjectType == subjectType && d.SubjectId == subjectId && d.ClosedUtc == null, ct);

    /// <summary>Takes work off the clock: the work was done (or is no longer anyone's to do).</summary>
    public static async Task CloseAsync(this AppDbContext db, string subjectType, Guid subjectId, CancellationToken ct)
    {
        if (await db.OpenDeadlineAsync(subjectType, subjectId, ct) is { } open) open.Close(db.Clock.GetUtcNow().UtcDateTime);
    }
}
