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
    /// <summary>
    /// Saves the unit of work; false when the same record was stored meanwhile (the caller answers "duplicate"), a
    /// conflict (409) when another record was stored under its id. With <paramref name="before"/> or
    /// <paramref name="after"/>, see <see cref="TrySaveAsync"/>.
    /// </summary>
    public static async Task<bool> OnceAsync(AppDbContext db, Func<Task<bool>> storedIsSame, CancellationToken ct,
        Func<Task>? before = null, Func<Task>? after = null)
    {
        if (await TrySaveAsync(db, ct, before, after)) return true;
        Rule.Check(await storedIsSame(), "SyncConflict", "同一编号的记录内容不同，已拒收");
        return false;
    }

    /// <summary>
    /// Saves the unit of work with what runs <paramref name="before"/> it (a check-in, photo or track request: its
    /// patrol's mark for the judge job) and <paramref name="after"/> it (a patrol's own request: the judgement of its
    /// check-ins; a track's one audit event) in ONE transaction: one commit per request, and a record is never stored without its judgement or its
    /// mark. False when a record of it was stored meanwhile by another request (a unique key): nothing of it is stored
    /// and the context is cleared, for the caller to look at what is there. In a transaction, new rows that are their own
    /// record (track chunks) go in as one bulk insert (<see cref="AppDbContext.SaveManyAsync"/>).
    /// </summary>
    /// <param name="before">
    /// What must be locked before the save takes the audit chain's lock (a patrol's judgement mark,
    /// <see cref="PatrolJudgeJob"/>, which the job holds while its judgement saves: taken in the other order, the two
    /// would wait on each other).
    /// </param>
    public static async Task<bool> TrySaveAsync(AppDbContext db, CancellationToken ct, Func<Task>? before = null, Func<Task>? after = null)
    {
        // In the caller's transaction, or one save alone (its own transaction): no transaction of ours.
        if (db.Database.CurrentTransaction is not null || (before is null && after is null))
        {
            if (before is not null) await before();
            try
            {
                if (db.Database.CurrentTransaction is null) await db.SaveChangesAsync(ct);
                else await db.SaveManyAsync(ct);
            }
            catch (Exception e) when (IsRace(e))
            {
                db.DiscardUnitOfWork();
                return false;
            }

            if (after is not null) await after();
            return true;
        }

        // A failed save ends this transaction whole (below).
        var saved = false;
        await InOneTransactionAsync(db, async () =>
        {
            if (before is not null) await before();
            try
            {
                await db.SaveManyAsync(ct);
            }
            catch (Exception e) when (IsRace(e))
            {
                // PostgreSQL refuses every statement after a failed one in the transaction: end it before looking.
                await db.Database.CurrentTransaction!.RollbackAsync(ct);
                db.DiscardUnitOfWork();
                return;
            }

            if (after is not null) await after();
            saved = true;
        }, ct);
        return saved;
    }

    /// <summary>
    /// Runs <paramref name="work"/> (its saves) in one transaction, committed when it returns with the transaction still
    /// open. Without EF's savepoint around each save: a failure ends the whole transaction here, so the savepoint (two
    /// statements, a round trip each on PostgreSQL, for every save) would protect nothing.
    /// </summary>
    public static async Task InOneTransactionAsync(AppDbContext db, Func<Task> work, CancellationToken ct)
    {
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await work();
            if (db.Database.CurrentTransaction == transaction) await transaction.CommitAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>
    /// A save that failed on what another request wrote meanwhile: EF's failed update (as before), or the provider's
    /// unique violation from a bulk insert (records that are their own record, <see cref="AppDbContext.SaveManyAsync"/>,
    /// go in without EF).
    /// </summary>
    private static bool IsRace(Exception e) => e is DbUpdateException || UniqueViolation.Is(e);
}
