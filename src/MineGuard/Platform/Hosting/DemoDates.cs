using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;

namespace MineGuard.Platform.Hosting;

/// <summary>
/// Brings dated demo rows (tips, alerts: records received at a moment, not made day by day like patrols) forward to the
/// current period at start-up: every date and time of the demo rows, their children and their deadlines moves by the
/// same whole number of days, so the set keeps its shape (a tip two days old, its reward due in 30 days) as of today.
/// Only rows a demo part made (flagged IsDemo, or children and deadlines of those) are ever passed in.
/// </summary>
public static class DemoDates
{
    /// <summary>
    /// Whole days the set has fallen behind: <paramref name="newestUtc"/> is its youngest record's time, which was
    /// <paramref name="youngestAgeDays"/> days old when the set was loaded. Zero when it is current (a second start on the
    /// same day moves nothing).
    /// </summary>
    public static int DaysBehind(DateTime? newestUtc, int youngestAgeDays, DateTime nowUtc) =>
        newestUtc is { } newest ? Math.Max(0, (int)Math.Floor((nowUtc - newest).TotalDays) - youngestAgeDays) : 0;

    /// <summary>
    /// Moves every DateTime and DateOnly property of the given tracked rows <paramref name="days"/> forward (saved by the
    /// caller's SaveChanges, so audited like any change). A time that had passed never lands in the future: it stops at now.
    /// </summary>
    public static void Shift(AppDbContext db, IEnumerable<object> rows, int days, DateTime nowUtc)
    {
        if (days <= 0) return;
        foreach (var row in rows)
        {
            foreach (var property in db.Entry(row).Properties)
            {
                property.CurrentValue = property.CurrentValue switch
                {
                    DateTime t when t <= nowUtc && t.AddDays(days) > nowUtc => nowUtc,
                    DateTime t => t.AddDays(days),
                    DateOnly d => d.AddDays(days),
                    var other => other,
                };
            }
        }
    }

    /// <summary>The deadlines on the clock of the given subjects, tracked, to move with them.</summary>
    public static async Task<List<Deadline>> DeadlinesOfAsync(AppDbContext db, string subjectType, IReadOnlyCollection<Guid> subjectIds, CancellationToken ct) =>
        subjectIds.Count == 0 ? [] : await db.Deadlines().Where(d => d.SubjectType == subjectType && subjectIds.Contains(d.SubjectId)).ToListAsync(ct);
}
