using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MineGuard.Data;

/// <summary>
/// An UPDATE of some columns by some key columns, prepared once in the context's transaction and run once per row (or
/// for many rows in one round trip, <see cref="RunAllAsync"/>), with
/// parameters built by each column's own EF type mapping (as <see cref="BulkInsert"/> builds its INSERT's): a row is
/// written exactly as SaveChanges would write it, without an EF query per statement. For bookkeeping that must hold
/// SQLite's one writer as briefly as possible (the SMS sender's answers); nothing here writes audit records.
/// </summary>
public sealed class PreparedUpdate : IAsyncDisposable
{
    private readonly DbCommand command;
    private readonly List<(IProperty Property, RelationalTypeMapping Mapping)> columns;

    private PreparedUpdate(DbCommand command, List<(IProperty, RelationalTypeMapping)> columns)
    {
        this.command = command;
        this.columns = columns;
    }

    /// <summary>
    /// UPDATE the table of <typeparamref name="T"/> SET each of <paramref name="set"/> (property names) = a value, plus
    /// <paramref name="alsoSet"/> as written (", \"ClaimedBy\" = NULL"), WHERE each of <paramref name="where"/> = a value.
    /// Needs the caller's transaction. <see cref="RunAsync"/> takes the values in that order, set then where.
    /// </summary>
    public static PreparedUpdate Of<T>(AppDbContext db, string[] set, string[] where, string alsoSet = "")
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("PreparedUpdate writes inside the caller's transaction.");
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = set.Concat(where)
            .Select(n => type.FindProperty(n) ?? throw new InvalidOperationException($"{typeof(T).Name} has no property {n}."))
            .Select(p => (p, (RelationalTypeMapping)p.GetRelationalTypeMapping())).ToList();
        string Column(int i) => $"\"{columns[i].Item1.GetColumnName(table)}\" = @p{i}";
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE \"{table.Name}\" SET {string.Join(", ", set.Select((_, i) => Column(i)))}{alsoSet} WHERE "
            + string.Join(" AND ", where.Select((_, i) => Column(set.Length + i)));
        return new PreparedUpdate(command, columns);
    }

    /// <summary>Runs the UPDATE for one row: the SET values, then the WHERE values. Returns the rows changed.</summary>
    public async Task<int> RunAsync(object?[] values, CancellationToken ct)
    {
        command.Parameters.Clear();
        Bind(command.Parameters, values);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Runs each row's UPDATE (rows of several prepared updates of one transaction, in order): on PostgreSQL in ONE round
    /// trip (a <see cref="DbBatch"/>: the SMS sender's 50 answers were 100 round trips a round), where the provider has no
    /// batches (SQLite, in process) one prepared statement after another. Returns the rows each changed, in order.
    /// </summary>
    public static async Task<int[]> RunAllAsync(IReadOnlyList<(PreparedUpdate Update, object?[] Values)> rows, CancellationToken ct)
    {
        var changed = new int[rows.Count];
        if (rows.Count == 0) return changed;
        var first = rows[0].Update.command;
        if (!first.Connection!.CanCreateBatch)
        {
            for (var i = 0; i < rows.Count; i++) changed[i] = await rows[i].Update.RunAsync(rows[i].Values, ct);
            return changed;
        }
        await using var batch = first.Connection.CreateBatch();
        batch.Transaction = first.Transaction;
        foreach (var (update, values) in rows)
        {
            var statement = batch.CreateBatchCommand();
            statement.CommandText = update.command.CommandText;
            update.Bind(statement.Parameters, values);
            batch.BatchCommands.Add(statement);
        }
        await batch.ExecuteNonQueryAsync(ct);
        for (var i = 0; i < rows.Count; i++) changed[i] = batch.BatchCommands[i].RecordsAffected;
        return changed;
    }

    private void Bind(DbParameterCollection parameters, object?[] values)
    {
        if (values.Length != columns.Count) throw new ArgumentException($"Expected {columns.Count} values, got {values.Length}.", nameof(values));
        for (var i = 0; i < columns.Count; i++)
            parameters.Add(columns[i].Mapping.CreateParameter(command, $"@p{i}", values[i], columns[i].Property.IsNullable));
    }

    public ValueTask DisposeAsync() => command.DisposeAsync();
}

public static class PreparedUpdates
{
    /// <summary><see cref="Data.PreparedUpdate.Of{T}"/>: an UPDATE prepared once in the context's transaction, run per row.</summary>
    public static PreparedUpdate PreparedUpdate<T>(this AppDbContext db, string[] set, string[] where, string alsoSet = "") =>
        Data.PreparedUpdate.Of<T>(db, set, where, alsoSet);
}
