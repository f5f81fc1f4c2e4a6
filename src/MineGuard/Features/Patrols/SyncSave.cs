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

    /// <summary>
    /// Saves the unit of work with what runs <paramref name="first"/> (a check-in, photo or track request: its patrol's
    /// mark for the judge job) and what <paramref name="judge"/> derives from it after (a patrol's own request: the
    /// judgement of its check-ins) in ONE transaction: one commit per request, and a record is never stored without its
    /// judgement or its mark. A race
    /// lost to the same record rolls back and answers as <see cref="OnceAsync(AppDbContext, Func{Task{bool}}, CancellationToken)"/>.
    /// </summary>
    /// <param name="first">
    /// Runs in the transaction before the save: what must be locked before the save takes the audit chain's lock (a
    /// patrol's judgement mark, <see cref="PatrolJudgeJob"/>, which the job holds while its judgement saves: taken in the
    /// other order, the two would wait on each other).
    /// </param>
    public static async Task<bool> OnceAsync(AppDbContext db, Func<Task<bool>> storedIsSame, Func<Task> judge, CancellationToken ct,
        Func<Task>? first = null)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            if (first is not null) await first();
            if (!await OnceAsync(db, storedIsSame, ct)) return false;
            await judge();
            return true;
        }

        // A failed save ends this transaction whole (below), so EF's savepoint around each save (two statements, a round
        // trip each on PostgreSQL, for each of the request's two saves) would protect nothing.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var raced = false;
            if (first is not null) await first();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                raced = true;
            }

            if (!raced)
            {
                await judge();
                await transaction.CommitAsync(ct);
                return true;
            }

            // PostgreSQL refuses every statement after a failed one in the transaction: end it before looking.
            await transaction.RollbackAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }

        db.ChangeTracker.Clear();
        Rule.Check(await storedIsSame(), "SyncConflict", "同一编号的记录内容不同，已拒收");
        return false;
    }
}
