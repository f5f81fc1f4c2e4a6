using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using MineGuard.Platform.Web;
using Npgsql;

namespace MineGuard.Data;

/// <summary>
/// Inserts many new entities in the caller's transaction without the change tracker. Table, columns, value
/// conversions and parameter types all come from the EF model (each column's own type mapping builds its
/// parameter), so a row is stored exactly as SaveChanges would store it; only the per-row machinery is skipped:
/// SQLite reuses one prepared INSERT, PostgreSQL streams a binary COPY.
/// </summary>
/// <remarks>
/// Why: a 100,000-adit ledger (160,000 rows with its sealing events) took 13 s in SaveChanges on SQLite and 21 s on
/// PostgreSQL, batches of 2,000 with the tracker cleared between them, against an import budget of 20 s in all.
/// Nothing here writes audit records: the caller audits the batch as one event (<see cref="AppDbContext.AuditAsBatch"/>).
/// </remarks>
public static class BulkInsert
{
    /// <summary>
    /// Inserts the entities grouped by type, a type before those whose foreign keys point at it (a ledger row's new
    /// 责任人 before the adits that name them, wherever in the list the first such row came), else in order of first
    /// appearance.
    /// </summary>
    public static async Task InsertAsync(this AppDbContext db, IReadOnlyList<object> entities, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("BulkInsert writes inside the caller's transaction.");
        var groups = entities.GroupBy(e => e.GetType())
            .Select(g => (Type: db.Model.FindEntityType(g.Key) ?? throw new InvalidOperationException($"{g.Key.Name} is not an entity."), Rows: g.ToList()))
            .ToList();
        while (groups.Count > 0)
        {
            // The first group that refers to no other group still waiting (a type's references to itself aside).
            var next = groups.FirstOrDefault(g => !g.Type.GetForeignKeys().Any(fk => fk.PrincipalEntityType != g.Type
                && groups.Any(o => o.Type == fk.PrincipalEntityType)));
            if (next.Type is null) next = groups[0];
            groups.Remove(next);
            var table = Table(next.Type);
            Check(table, next.Rows);
            if (db.IsPostgres) await CopyAsync((NpgsqlConnection)transaction.Connection!, table, next.Rows, ct);
            else InsertPrepared(transaction, table, next.Rows);
        }
    }

    private sealed record Column(string Name, IProperty Property, RelationalTypeMapping Mapping)
    {
        public object? Value(object entity) => Property.GetGetter().GetClrValue(entity);
    }

    private sealed record TableShape(string Name, List<Column> Columns)
    {
        public string ColumnList => string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));

        /// <summary>The columns <see cref="StoredValueLimits"/> has a limit for: text with a length, floating-point numbers.</summary>
        public List<Column> Limited { get; } = Columns.Where(c => (Nullable.GetUnderlyingType(c.Property.ClrType) ?? c.Property.ClrType) is var t
            && (t == typeof(string) ? c.Property.GetMaxLength() is not null : t == typeof(double) || t == typeof(float))).ToList();
    }

    private static TableShape Table(IEntityType type)
    {
        var name = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        var store = StoreObjectIdentifier.Table(name, type.GetSchema());
        var columns = type.GetProperties().Select(p => p.IsShadowProperty()
                ? throw new NotSupportedException($"{type.DisplayName()}.{p.Name} is a shadow property; BulkInsert reads CLR values only.")
                : new Column(p.GetColumnName(store)!, p, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        return new TableShape(name, columns);
    }

    /// <summary>
    /// The limits <see cref="StoredValueLimits"/> holds a tracked save to (text within its column's length, finite
    /// numbers), checked before any row is written: PostgreSQL refused an over-long text in the middle of a COPY (a 500)
    /// where SQLite stored it; now both refuse it alike, naming the property.
    /// </summary>
    private static void Check(TableShape table, List<object> rows)
    {
        if (table.Limited.Count == 0) return;
        foreach (var row in rows)
        {
            FieldErrors? errors = null;
            foreach (var c in table.Limited)
                if (StoredValueLimits.Problem(c.Property, c.Value(row)) is { } problem) (errors ??= []).Add(c.Property.Name, problem);
            if (errors is not null) throw new InputRejectedException(errors);
        }
    }

    /// <summary>SQLite: one statement prepared once, executed per row with parameters built by each column's type mapping.</summary>
    private static void InsertPrepared(DbTransaction transaction, TableShape table, IEnumerable<object> entities)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table.Name}\" ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})";
        foreach (var entity in entities)
        {
            command.Parameters.Clear();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var c = table.Columns[i];
                command.Parameters.Add(c.Mapping.CreateParameter(command, $"@p{i}", c.Value(entity), c.Property.IsNullable));
            }
            // In-process: the synchronous call is the fast one, and the statement stays prepared between rows.
            command.ExecuteNonQuery();
        }
    }

    /// <summary>PostgreSQL: a binary COPY; values go through the model's converters (enums, UTC times) first.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, TableShape table, List<object> entities, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var entity in entities)
        {
            await copy.StartRowAsync(ct);
            foreach (var c in table.Columns)
            {
                var value = c.Value(entity);
                if (value is not null && c.Mapping.Converter is { } converter) value = converter.ConvertToProvider(value);
                if (value is null) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(value, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }
}
