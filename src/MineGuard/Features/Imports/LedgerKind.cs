using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

/// <summary>
/// One kind of ledger (台账) that offices import and export: 矿硐, 矿山 and 重点人员. A kind says which fields
/// a row has and what offices call their columns, how to check one row against what the county already holds, what
/// to insert for an accepted row, and how to undo a batch. Reading the file, matching the headers, previewing,
/// batching the inserts, the transaction, the audit event and the report are the same for every kind
/// (<see cref="LedgerImport"/>), so a new kind is one subclass added to <see cref="All"/>.
/// </summary>
public abstract class LedgerKind
{
    public static readonly IReadOnlyList<LedgerKind> All = [new AditLedger(), new MineLedger(), new KeyPersonLedger(), new ProblemsLedger()];

    public static LedgerKind? Find(string? kind) => All.FirstOrDefault(k => k.Kind == kind?.Trim().ToLowerInvariant());

    public static string NounOf(string kind) => Find(kind)?.Noun ?? kind;

    /// <summary>"adits": the URL segment, the CLI verb and <see cref="ImportBatch.Kind"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>"矿硐": what a row is, for messages.</summary>
    public abstract string Noun { get; }

    /// <summary>
    /// The field naming the coordinate system of a row's coordinates, if the kind has coordinates: an upload that
    /// declares one for the whole file (<see cref="LedgerLayout.Crs"/>) fills it in where a row leaves it blank.
    /// </summary>
    public virtual string? CrsField => null;

    /// <summary>The fields in template order; keys are the names the kind's input uses for its field errors.</summary>
    public abstract IReadOnlyList<SheetField> Fields { get; }

    public SheetField? Field(string key) => Fields.FirstOrDefault(f => f.Key == key);

    /// <summary>
    /// The enumeration columns (矿种, 封堵状态…): a word in them the product does not understand is listed after the
    /// header mapping, for the office to map once to a known value (<see cref="ImportValueMapping"/>).
    /// </summary>
    public virtual IReadOnlyList<ValueColumn> ValueColumns => [];

    public ValueColumn? ValueColumn(string key) => ValueColumns.FirstOrDefault(c => c.Field == key);

    /// <summary>The template's example row, one value per field in <see cref="Fields"/> order (the first becomes 示例).</summary>
    public abstract IReadOnlyList<object?> Example { get; }

    /// <summary>
    /// Whether the user may import this kind, see its sessions and batches, and undo them, beyond the writer policy
    /// every import needs (key persons: the office and the police only). System work (the CLI) always may.
    /// </summary>
    public virtual bool CanUse(CurrentUser user) => true;

    /// <summary>
    /// A cell as the preview may keep and show it: a kind with sensitive fields masks them here, since the preview is
    /// stored with the session and shown to whoever opens it.
    /// </summary>
    public virtual string Shown(string? key, string cell) => cell;

    /// <summary>
    /// Whether the uploaded file is kept once the session is imported. A ledger of sensitive data keeps none: the
    /// rows are in the registry (encrypted where need be) and the batch report, and the file goes.
    /// </summary>
    public virtual bool KeepsFile => true;

    /// <summary>
    /// Whether an import of this kind waits for every other import of it, in any county (licence numbers are unique
    /// nationwide), rather than only for those into the same county.
    /// </summary>
    public virtual bool OneImportAtATime => false;

    /// <summary>The template's column width for a field, in characters.</summary>
    public virtual double ColumnWidth(string key) => 12;

    /// <summary>
    /// Loads what checking the county's rows needs, once for the whole file. With <paramref name="commit"/> the run is
    /// inside the import's transaction and must take whatever lock keeps two imports into one county apart.
    /// </summary>
    public abstract Task<LedgerRun> StartAsync(AppDbContext db, Division county, JurisdictionScope scope, bool commit, CancellationToken ct);

    /// <summary>Deletes what the batch created, in the caller's transaction; refuses (409) when any of it changed since.</summary>
    public abstract Task<int> UndoAsync(AppDbContext db, ImportBatch batch, CancellationToken ct);
}

/// <summary>One pass over a file's rows for one county: checks rows in order, remembering the accepted ones.</summary>
public abstract class LedgerRun
{
    /// <summary>Called before each chunk of rows, so a kind can look up what the chunk needs in one query.</summary>
    public virtual Task PrepareAsync(IReadOnlyList<LedgerRow> rows, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Checks a row; an accepted row counts for the rows after it (duplicates within the file).</summary>
    public abstract (object? Accepted, FieldErrors Errors) Check(LedgerRow row);

    /// <summary>The new entities for an accepted row, parents before children (only in a committing run).</summary>
    public abstract IEnumerable<object> Create(object accepted, Guid batchId);

    /// <summary>Called when a checking (not committing) pass is over, to let go of what it held.</summary>
    public virtual void Finish()
    {
    }

    private List<(string Field, string Message)>? notes;

    /// <summary>
    /// A note on the row being checked that does not refuse it (which village a short name was taken for): shown with
    /// the preview and the import's result beside the refused rows' reasons.
    /// </summary>
    protected void Note(string field, string message) => (notes ??= []).Add((field, message));

    /// <summary>The notes of the row just checked (null: none), taken once.</summary>
    public List<(string Field, string Message)>? TakeNotes()
    {
        var taken = notes;
        notes = null;
        return taken;
    }
}

/// <summary>A run whose accepted rows are of one type.</summary>
public abstract class LedgerRun<T> : LedgerRun where T : class
{
    public sealed override (object? Accepted, FieldErrors Errors) Check(LedgerRow row) => Validate(row);

    public sealed override IEnumerable<object> Create(object accepted, Guid batchId) => Create((T)accepted, batchId);

    protected abstract (T? Valid, FieldErrors Errors) Validate(LedgerRow row);

    protected abstract IEnumerable<object> Create(T valid, Guid batchId);
}

/// <summary>One data row: its Excel row number and the trimmed text of each mapped field (null when empty).</summary>
public sealed class LedgerRow(int number, Dictionary<string, string> values)
{
    public int Number => number;

    public string? this[string key] => values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
}
