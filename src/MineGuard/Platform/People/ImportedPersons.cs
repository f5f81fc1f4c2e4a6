using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.People;

/// <summary>
/// Undoing an import's new 责任人 (<see cref="Person.ImportBatchId"/>). A person the batch created goes with it, unless
/// they have a life of their own by then: anything else names them (an adit of another import or the form, an
/// assignment, a clue to verify, a division, a device, a mine, a record merged into them), or they were edited or
/// given a log-in since. Those are kept, still marked with the batch they came from, and the undo says how many.
/// </summary>
public static class ImportedPersons
{
    /// <summary>Deletes the batch's persons nobody uses, after the batch's own rows are gone; returns (deleted, kept).</summary>
    public static async Task<(int Deleted, int Kept)> UndoAsync(AppDbContext db, ImportBatch batch, CancellationToken ct)
    {
        var created = db.Beyond<Person>(ScopeExit.SystemJudgement).Where(p => p.ImportBatchId == batch.Id);
        var all = await created.CountAsync(ct);
        if (all == 0) return (0, 0);
        var used = await UsedAsync(db, batch.Id, ct);
        var since = batch.ChangedAfterUtc;
        var deleted = await created.Where(p => !used.Contains(p.Id) && p.UserId == null && p.MergedIntoId == null && p.UpdatedUtc <= since)
            .ExecuteDeleteAsync(ct);
        return (deleted, all - deleted);
    }

    /// <summary>
    /// The batch's persons that some row names, by every foreign key the model has to persons: a reference added by a
    /// feature later is respected without this list being told.
    /// </summary>
    private static async Task<List<Guid>> UsedAsync(AppDbContext db, Guid batchId, CancellationToken ct)
    {
        var persons = db.Model.FindEntityType(typeof(Person))!;
        var personsTable = persons.GetTableName();
        var selects = persons.GetReferencingForeignKeys()
            .Select(fk =>
            {
                var table = fk.DeclaringEntityType.GetTableName();
                var column = fk.Properties[0].GetColumnName();
                return $"SELECT r.\"{column}\" AS \"Value\" FROM \"{table}\" r WHERE r.\"{column}\" IN (SELECT p.\"Id\" FROM \"{personsTable}\" p WHERE p.\"ImportBatchId\" = {{0}})";
            })
            .ToList();
        if (selects.Count == 0) return [];
        var query = string.Join(" UNION ", selects);
        return await db.Database.SqlQueryRaw<Guid>(query, batchId).ToListAsync(ct);
    }
}
