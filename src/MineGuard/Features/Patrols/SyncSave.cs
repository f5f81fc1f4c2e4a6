using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Features.Patrols;

/// <summary>
/// The last step of storing a record the field app sent with its own id (check-ins, patrols, track, photos, inspections):
/// the same id raced in from a second request is a duplicate when the stored record is the same and a conflict (409
/// SyncConflict) otherwise, as ODK Central answers a resubmission.
/// </summary>
public static class SyncSave
{
    /// <summary>Saves the unit of work; false when the same record was stored meanwhile (the caller answers "duplicate").</summary>
    public static async Task<bool> OnceAsync(AppDbContext db, Func<Task<bool>> storedIsSame, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            Rule.Check(await storedIsSame(), "SyncConflict", "同一编号的记录内容不同，已拒收");
            return false;
        }
    }
}
