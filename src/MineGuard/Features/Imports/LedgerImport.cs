using System.Text.Encodings.Web;
using System.Text.Json;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

/// <summary>
/// Where a ledger's header row is (the last one, when the header spans two rows), its headers, the field key each column
/// holds (null: not imported), and the coordinate system the uploader declared for the whole file ("wgs84", "gcj02";
/// null: none, rows say it in their own column or are WGS84).
/// </summary>
public sealed record LedgerLayout(int HeaderRow, string[] Headers, string?[] Fields, string? Crs = null);

/// <summary>A rejected row's reason: Excel row number, column letter and header, field, and a Chinese message.</summary>
public sealed record RowError(int Row, string? Column, string? Header, string Field, string Message);

public sealed record PreviewRow(int Row, string[] Cells, bool Valid);

/// <summary>
/// The outcome of checking (or importing) every row of a file with one mapping. <see cref="UnknownValues"/>: the words
/// of the mapped enumeration columns the product does not understand (after the county's value mappings), with their
/// row counts, at most <see cref="ValueMap.ListedPerColumn"/> per column (null in sessions stored before it existed).
/// <see cref="Notes"/>: what was understood differently from how it was written, on rows that were not refused for it
/// (a village's short name and the village taken for it); null in a summary stored before notes existed.
/// </summary>
public sealed record LedgerSummary(
    int RowsRead, int Valid, int Invalid, List<RowError> Errors, int ErrorsNotListed, List<PreviewRow> Rows, List<string> MissingRequired,
    List<UnknownValue>? UnknownValues = null, List<RowError>? Notes = null);

public sealed record LedgerResult(ImportBatch? Batch, LedgerSummary Summary);

/// <summary>
/// Checks and imports a ledger file for any <see cref="LedgerKind"/>. The file is read once per pass, row by row;
/// the county's context is loaded once; rows are checked in chunks and inserted in batches of a few thousand
/// (<see cref="BulkInsert"/>: the EF model's mapping without the change tracker), all inside one transaction. No
/// per-row audit records are written (a hundred thousand of them would double the work and drown the trail): the
/// batch is audited as ONE event, and the <see cref="AppDbContext.AuditAsBatch"/> scope rolls back an import whose
/// event was not written.
/// </summary>
public sealed class LedgerImport(AppDbContext db)
{
    public const int PreviewRows = 20;
    public const int ListedErrors = 1000;
    public const int ReportedErrors = 10_000;

    /// <summary>
    /// What the stored preview, layout and report keep of a cell, a header and a row's message: a cell may hold 32,767
    /// characters, and twenty preview rows of them (or ten thousand messages quoting them) made a 100 MB session row.
    /// </summary>
    public const int ShownCellChars = 200;
    public const int ShownHeaderChars = 100;
    public const int ShownMessageChars = 300;

    /// <summary>Text cut to a length, marked with an ellipsis so nobody takes it for the whole value.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    private const int ChunkRows = 1000;
    // Rows held before they are written: enough to amortise a statement, few enough to keep memory flat.
    private const int SaveRows = 2000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Finds the header row among the first rows and proposes a mapping of its columns.</summary>
    public static LedgerLayout Propose(LedgerKind kind, Stream file, string fileName)
    {
        var first = SheetReader.Read(file, fileName).Take(HeaderMatcher.HeaderSearchRows).ToList();
        if (first.Count == 0) throw new SheetFormatException("文件中没有数据");
        var header = HeaderMatcher.FindHeaderRows(first, kind.Fields);
        return new LedgerLayout(header.Row, [.. header.Headers.Select(c => Cut(kind.Shown(null, c.Trim()), ShownHeaderChars))], header.Match.Fields);
    }

    /// <summary>Checks every row with the layout and imports nothing: the preview, and the CLI's --dry-run.</summary>
    public async Task<LedgerSummary> CheckAsync(LedgerKind kind, Division county, JurisdictionScope scope, Stream file, string fileName,
        LedgerLayout layout, ValueMap values, int listErrors, CancellationToken ct)
    {
        var tally = new Tally(kind, layout, listErrors);
        // Until every required field has a column, every row would fail for the same reason: say it once instead.
        if (tally.MissingRequired.Count > 0) return tally.Summary();
        var run = await kind.StartAsync(db, county, scope, commit: false, ct);
        try
        {
            await EachRowAsync(run, kind.CrsField, file, fileName, layout, values, tally, null, ct);
        }
        finally
        {
            run.Finish();
        }
        return tally.Summary();
    }

    /// <summary>
    /// Imports the valid rows in one transaction and records the batch; with no valid row, imports nothing and
    /// returns no batch. <paramref name="onStart"/> runs first inside the transaction (an import session claims itself
    /// there, so a double confirmation imports once).
    /// </summary>
    public async Task<LedgerResult> ImportAsync(LedgerKind kind, Division county, JurisdictionScope scope, Stream file, string fileName,
        LedgerLayout layout, ValueMap values, string divisionCode, Func<ImportBatch, Task>? onStart, CancellationToken ct)
    {
        var tally = new Tally(kind, layout, ReportedErrors);
        if (tally.MissingRequired.Count > 0) return new LedgerResult(null, tally.Summary());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = ImportBatch.Create(kind.Kind, Path.GetFileName(fileName), divisionCode, 0, 0, 0, "{}", db.CurrentUser.Id, Now);
        using var audit = db.AuditAsBatch("import", nameof(ImportBatch), batch.Id.ToString(), divisionCode);
        db.Add(batch);
        await db.SaveChangesAsync(ct);
        if (onStart is not null) await onStart(batch);
        var run = await kind.StartAsync(db, county, scope, commit: true, ct);

        var pending = new List<object>();
        await EachRowAsync(run, kind.CrsField, file, fileName, layout, values, tally, async accepted =>
        {
            pending.AddRange(run.Create(accepted, batch.Id));
            if (pending.Count < SaveRows) return;
            await db.InsertAsync(pending, ct);
            pending.Clear();
        }, ct);
        await db.InsertAsync(pending, ct);

        var summary = tally.Summary();
        if (summary.Valid == 0) return new LedgerResult(null, summary); // the transaction rolls back: nothing at all
        var report = JsonSerializer.Serialize(new { layout, rejected = summary.Errors, errorsNotListed = summary.ErrorsNotListed, notes = summary.Notes }, Json);
        batch.Finish(summary.RowsRead, summary.Valid, summary.Invalid, report, Now);
        audit.Complete($"导入{kind.Noun}台账“{batch.FileName}”：读取 {summary.RowsRead} 行，导入 {summary.Valid} 行，拒绝 {summary.Invalid} 行");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new LedgerResult(batch, summary);
    }

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    /// <summary>Reads the data rows below the header, in chunks, and checks each; accepted rows go to <paramref name="accept"/>.</summary>
    private static async Task EachRowAsync(LedgerRun run, string? crsField, Stream file, string fileName, LedgerLayout layout, ValueMap values, Tally tally,
        Func<object, Task>? accept, CancellationToken ct)
    {
        var chunk = new List<(SheetRow Sheet, LedgerRow Row)>(ChunkRows);
        foreach (var sheetRow in SheetReader.Read(file, fileName, fillMergedBelow: layout.HeaderRow))
        {
            if (sheetRow.Number <= layout.HeaderRow) continue;
            var row = Map(sheetRow, layout, values, crsField);
            if (row is null) continue;
            chunk.Add((sheetRow, row));
            if (chunk.Count < ChunkRows) continue;
            await CheckChunkAsync(run, chunk, tally, accept, ct);
            chunk.Clear();
        }
        await CheckChunkAsync(run, chunk, tally, accept, ct);
    }

    private static async Task CheckChunkAsync(LedgerRun run, List<(SheetRow Sheet, LedgerRow Row)> chunk, Tally tally,
        Func<object, Task>? accept, CancellationToken ct)
    {
        if (chunk.Count == 0) return;
        await run.PrepareAsync(chunk.ConvertAll(c => c.Row), ct);
        foreach (var (sheetRow, row) in chunk)
        {
            ct.ThrowIfCancellationRequested();
            var (accepted, errors) = run.Check(row);
            tally.Add(sheetRow, row, errors, run.TakeNotes());
            if (accepted is not null && accept is not null) await accept(accepted);
        }
    }

    /// <summary>
    /// The mapped cells of a row; null for a row with nothing in its mapped columns, and for the template's example
    /// row (its first cell is 示例), which is there to show how to fill the sheet in, not to be imported. An
    /// enumeration cell holding a word the county has mapped holds the known value instead.
    /// </summary>
    private static LedgerRow? Map(SheetRow sheetRow, LedgerLayout layout, ValueMap valueMap, string? crsField)
    {
        if (sheetRow.Cells.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))?.Trim() == "示例") return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var any = false;
        for (var c = 0; c < layout.Fields.Length; c++)
        {
            if (layout.Fields[c] is not { } key) continue;
            var text = sheetRow.Cell(c).Trim();
            values[key] = valueMap.Apply(key, text);
            any |= text.Length > 0;
        }
        if (!any) return null;
        // The file's declared coordinate system, where the row does not name one of its own.
        if (layout.Crs is not null && crsField is not null && string.IsNullOrEmpty(values.GetValueOrDefault(crsField))) values[crsField] = layout.Crs;
        return new LedgerRow(sheetRow.Number, values);
    }

    /// <summary>Counts, the first rows for the preview, and the listed errors (up to a cap; the counts are always whole).</summary>
    private sealed class Tally(LedgerKind kind, LedgerLayout layout, int listErrors)
    {
        private readonly List<RowError> errors = [];
        private readonly List<RowError> notes = [];
        private readonly List<PreviewRow> rows = [];
        private int read;
        private int valid;
        private int notListed;

        // The mapped enumeration columns, and per column the words not understood with their row counts.
        private readonly List<ValueColumn> valueColumns = [.. kind.ValueColumns.Where(c => layout.Fields.Contains(c.Field))];
        private readonly Dictionary<string, Dictionary<string, int>> unknown = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> understood = new(StringComparer.Ordinal);

        public List<string> MissingRequired { get; } =
            [.. HeaderMatcher.Describe(layout.Fields, layout.Headers, kind.Fields).MissingRequired.Select(f => f.Header)];

        public void Add(SheetRow row, LedgerRow mapped, FieldErrors fieldErrors, List<(string Field, string Message)>? rowNotes)
        {
            foreach (var (key, message) in rowNotes ?? [])
            {
                if (notes.Count < listErrors) notes.Add(Described(row, key, message));
            }
            read++;
            foreach (var column in valueColumns) CountUnknown(column, mapped[column.Field]);
            if (fieldErrors.Ok) valid++;
            if (rows.Count < PreviewRows)
                rows.Add(new PreviewRow(row.Number,
                    [.. Enumerable.Range(0, layout.Headers.Length).Select(c => Cut(kind.Shown(c < layout.Fields.Length ? layout.Fields[c] : null, row.Cell(c)), ShownCellChars))],
                    fieldErrors.Ok));
            foreach (var (key, messages) in fieldErrors)
            {
                foreach (var message in messages)
                {
                    if (errors.Count >= listErrors)
                    {
                        notListed++;
                        continue;
                    }
                    errors.Add(Described(row, key, message));
                }
            }
        }

        private void CountUnknown(ValueColumn column, string? text)
        {
            // Past the longest word a mapping holds, or masked for display (an ID number in the wrong column): not a word to map.
            if (text is null || text.Length > ValueMap.MaxValueChars || kind.Shown(column.Field, text) != text) return;
            if (!understood.TryGetValue(column.Field, out var ok)) understood[column.Field] = ok = new(StringComparer.Ordinal);
            if (!unknown.TryGetValue(column.Field, out var words)) unknown[column.Field] = words = new(StringComparer.Ordinal);
            if (ok.Contains(text)) return;
            if (words.TryGetValue(text, out var count)) words[text] = count + 1;
            else if (column.Understood(text)) ok.Add(text);
            else if (words.Count < ValueMap.ListedPerColumn) words[text] = 1;
        }

        public LedgerSummary Summary() => new(read, valid, read - valid, errors, notListed, rows, MissingRequired,
            [.. valueColumns.SelectMany(c => unknown.TryGetValue(c.Field, out var words)
                ? words.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => new UnknownValue(c.Field, w.Key, w.Value))
                : [])],
            notes);

        private RowError Described(SheetRow row, string key, string message)
        {
            var column = Array.IndexOf(layout.Fields, key);
            return new RowError(row.Number, column < 0 ? null : XlsxWriter.ColumnName(column), column < 0 ? null : layout.Headers[column],
                kind.Field(key)?.Header ?? key, Cut(message, ShownMessageChars));
        }
    }
}
