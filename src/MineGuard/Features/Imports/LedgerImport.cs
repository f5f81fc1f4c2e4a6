using System.Text.Encodings.Web;
using System.Text.Json;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static MineGuard.Platform.Web.StoredValueLimits;

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
/// What the caller of <see cref="LedgerImport.ImportAsync"/> does at two moments, each inside that moment's transaction:
/// <paramref name="Start"/> as the batch is created (an import session claims itself), <paramref name="Finish"/> as the
/// rows become the finished batch (a kind that keeps no file lets it go). A batch taken back sets its session pending
/// again itself (<see cref="LedgerImport.TakeBackAsync"/>).
/// </summary>
public sealed record ImportHooks(Func<ImportBatch, Task>? Start = null, Func<ImportBatch, Task>? Finish = null);

/// <summary>Settings of ledger imports (section "Imports").</summary>
public sealed class ImportOptions
{
    /// <summary>
    /// Accepted ledger rows written per transaction (with their sealing events and new persons). 2,000 adits hold
    /// SQLite's writer for ~0.1–0.3 s; the whole file in one transaction held it for the whole import (15–30 s), and
    /// background jobs waiting behind it failed with "database is locked".
    /// </summary>
    public int CommitRows { get; set; } = 2000;

    /// <summary>
    /// An importing batch whose last chunk committed longer ago than this is taken for dead (its node stopped): it blocks
    /// no other import of the county, and <see cref="ImportSweep"/> takes it back.
    /// </summary>
    public int StaleAfterSeconds { get; set; } = 300;

    /// <summary>How often <see cref="ImportSweep"/> looks for stale importing batches.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>Runs after each chunk commits, with the rows written so far. For tests (a fault injected part-way); null otherwise.</summary>
    public Func<ImportBatch, int, CancellationToken, Task>? AfterChunk { get; set; }
}

/// <summary>
/// Checks and imports a ledger file for any <see cref="LedgerKind"/>. The file is read once per pass, row by row;
/// the county's context is loaded once; rows are checked in chunks and inserted in batches of a few thousand
/// (<see cref="BulkInsert"/>: the EF model's mapping without the change tracker), a short transaction per chunk. No
/// per-row audit records are written (a hundred thousand of them would double the work and drown the trail): the
/// batch is audited as ONE event, written with the batch's counts in the last transaction; an import that does not get
/// there is taken back (<see cref="ImportAsync"/>).
/// </summary>
public sealed class LedgerImport(AppDbContext db, IOptions<ImportOptions> options, ILogger<LedgerImport> log)
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

    private const int ChunkRows = 1000;

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
    /// Imports the valid rows and records the batch; with no valid row, imports nothing and returns no batch. The rows
    /// are written in chunks of <see cref="ImportOptions.CommitRows"/>, a transaction each, so SQLite's one writer is
    /// never held for long and background jobs and ingestion keep writing during a 100,000-row import:
    /// <list type="number">
    /// <item>A short first transaction writes the batch, <see cref="ImportBatch.Importing"/> (listed as 导入中, not readable or undoable),
    /// runs <see cref="ImportHooks.Start"/> (an import session claims itself: a double confirmation imports once), loads
    /// the county's context under the kind's lock; while another import of the kind into the county is still running
    /// (<see cref="AnotherImportAsync"/>) it rolls back and tries again, refused after <see cref="WaitSeconds"/>.</item>
    /// <item>Each chunk inserts its rows (they carry the batch's id) and stamps the batch's progress and
    /// <see cref="ImportBatch.HeartbeatUtc"/>.</item>
    /// <item>The last transaction inserts the rest, fills in the batch's counts and report, runs
    /// <see cref="ImportHooks.Finish"/> and writes the one audit record of the batch.</item>
    /// </list>
    /// A failure or cancellation part-way (or no valid row) takes the batch back (<see cref="TakeBackAsync"/>: its session
    /// pending again, the kind's undo of the rows written so far, the batch row, in one transaction); so nothing is left
    /// imported, and the session can be confirmed again.
    /// </summary>
    public async Task<LedgerResult> ImportAsync(LedgerKind kind, Division county, JurisdictionScope scope, Stream file, string fileName,
        LedgerLayout layout, ValueMap values, string divisionCode, ImportHooks? hooks, CancellationToken ct)
    {
        var tally = new Tally(kind, layout, ReportedErrors);
        if (tally.MissingRequired.Count > 0) return new LedgerResult(null, tally.Summary());

        var batch = ImportBatch.Start(kind.Kind, Path.GetFileName(fileName), divisionCode, db.CurrentUser.Id, Now);
        LedgerRun? run = null;
        AppDbContext.AuditBatch audit;
        var waitUntil = Environment.TickCount64 + (WaitSeconds * 1000L);
        while (true)
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            // The batch is audited as ONE event, written by the last transaction; the scope spans them all.
            audit = db.AuditAsBatch("import", nameof(ImportBatch), batch.Id.ToString(), divisionCode);
            var another = false;
            try
            {
                db.Add(batch);
                await db.SaveChangesAsync(ct);
                if (hooks?.Start is { } start) await start(batch);
                run = await kind.StartAsync(db, county, scope, commit: true, ct);
                another = await AnotherImportAsync(kind, county, batch.Id, ct);
                if (!another) await tx.CommitAsync(ct);
            }
            catch
            {
                audit.Dispose();
                throw;
            }
            finally
            {
                await tx.DisposeAsync();
            }
            if (!another) break;
            // Rolled back: wait for the other import (as the lock of one long transaction made it wait before), then try again.
            audit.Dispose();
            db.ChangeTracker.Clear();
            Rule.Check(Environment.TickCount64 < waitUntil, "ImportInProgress", $"{county.Name}另有一份{kind.Noun}台账正在导入，请等它完成后再导入");
            await Task.Delay(WaitStepMilliseconds, ct);
        }

        LedgerSummary nothing;
        try
        {
            var chunk = Math.Max(1, options.Value.CommitRows);
            var pending = new List<object>();
            var rows = 0;
            var written = 0;
            await EachRowAsync(run!, kind.CrsField, file, fileName, layout, values, tally, async accepted =>
            {
                pending.AddRange(run!.Create(accepted, batch.Id));
                if (++rows % chunk != 0) return;
                await using var chunkTx = await db.Database.BeginTransactionAsync(ct);
                await db.InsertAsync(pending, ct);
                pending.Clear();
                written = rows;
                // Progress, and a sign of life: an import whose node died is swept after StaleAfterSeconds (ImportSweep).
                var beat = Now;
                await db.Set<ImportBatch>().Beyond(ScopeExit.SystemJudgement).Where(b => b.Id == batch.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(b => b.RowsImported, written).SetProperty(b => b.HeartbeatUtc, beat), ct);
                await chunkTx.CommitAsync(ct);
                if (options.Value.AfterChunk is { } after) await after(batch, written, ct);
            }, ct);

            var summary = tally.Summary();
            if (summary.Valid == 0) nothing = summary;
            else return await FinishAsync(kind, batch, layout, summary, pending, hooks, audit, ct);
        }
        catch (Exception failure)
        {
            audit.Dispose();
            try
            {
                await TakeBackAsync(batch.Id, null, CancellationToken.None);
            }
            catch (Exception abandoning)
            {
                log.LogError(abandoning, "Import batch {BatchId} failed ({Failure}) and could not be taken back; it stays importing until the sweep takes it back",
                    batch.Id, failure.Message);
            }
            throw;
        }
        audit.Dispose();
        await TakeBackAsync(batch.Id, null, CancellationToken.None);
        return new LedgerResult(null, nothing);
    }

    /// <summary>The last transaction: the rows left, the batch's counts and report, the caller's finish, the audit record.</summary>
    private async Task<LedgerResult> FinishAsync(LedgerKind kind, ImportBatch batch, LedgerLayout layout, LedgerSummary summary, List<object> pending,
        ImportHooks? hooks, AppDbContext.AuditBatch audit, CancellationToken ct)
    {
        await using var last = await db.Database.BeginTransactionAsync(ct);
        await db.InsertAsync(pending, ct);
        var report = JsonSerializer.Serialize(new { layout, rejected = summary.Errors, errorsNotListed = summary.ErrorsNotListed, notes = summary.Notes }, Json);
        batch.Finish(summary.RowsRead, summary.Valid, summary.Invalid, report, Now);
        if (hooks?.Finish is { } finish) await finish(batch);
        audit.Complete($"导入{kind.Noun}台账“{batch.FileName}”：读取 {summary.RowsRead} 行，导入 {summary.Valid} 行，拒绝 {summary.Invalid} 行");
        await db.SaveChangesAsync(ct);
        await last.CommitAsync(ct);
        audit.Dispose();
        return new LedgerResult(batch, summary);
    }

    /// <summary>How long an import waits for another into the same county to finish before it is refused (409).</summary>
    public const int WaitSeconds = 120;

    private const int WaitStepMilliseconds = 250;

    /// <summary>
    /// Whether another import of the kind is running into the county (into any county for a kind whose rows are unique
    /// nationwide, <see cref="LedgerKind.OneImportAtATime"/>): its rows are not in this import's context, so the two could
    /// accept the same adit twice or hand out the same serial number. Asked under the kind's lock.
    /// </summary>
    private async Task<bool> AnotherImportAsync(LedgerKind kind, Division county, Guid own, CancellationToken ct)
    {
        var alive = Now.AddSeconds(-options.Value.StaleAfterSeconds);
        var running = db.Set<ImportBatch>().Beyond(ScopeExit.Uniqueness)
            .Where(b => b.Id != own && b.Kind == kind.Kind && b.Status == ImportBatch.Importing && b.HeartbeatUtc > alive);
        if (!kind.OneImportAtATime) running = running.Where(b => b.DivisionCode.StartsWith(county.Code));
        return await running.AnyAsync(ct);
    }

    /// <summary>
    /// Takes back an importing batch: what it wrote before it failed, was cancelled, found no valid row, or its node
    /// stopped (<see cref="ImportSweep"/>, with <paramref name="staleBefore"/>: only if its heartbeat is still older). In one
    /// transaction that nothing cancels: the session that claimed it is pending again (it can be confirmed again), the
    /// kind's undo of the rows by the batch's id (it refuses rows changed by someone else since the last chunk:
    /// <see cref="ImportBatch.ChangedAfterUtc"/>), the persons it created, and the batch row. Returns false when there is
    /// nothing to take back (finished, already gone, or alive again).
    /// </summary>
    public async Task<bool> TakeBackAsync(Guid batchId, DateTime? staleBefore, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var batches = db.Set<ImportBatch>().Beyond(ScopeExit.SystemJudgement)
                .Where(b => b.Id == batchId && b.Status == ImportBatch.Importing);
            if (staleBefore is { } stale) batches = batches.Where(b => (b.HeartbeatUtc ?? b.StartedUtc) < stale);
            // Read in the transaction (SQLite: under the write lock), so no chunk commits between the read and the undo.
            if (await batches.AsNoTracking().FirstOrDefaultAsync(ct) is not { } batch) return false;
            var kind = LedgerKind.Find(batch.Kind) ?? throw new InvalidOperationException($"Unknown ledger kind {batch.Kind}.");
            await db.Set<ImportSession>().Beyond(ScopeExit.SystemJudgement).Where(s => s.BatchId == batch.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ImportSessionStatus.Pending)
                    .SetProperty(s => s.BatchId, (Guid?)null).SetProperty(s => s.UpdatedUtc, Now), ct);
            await kind.UndoAsync(db, batch, ct);
            await ImportedPersons.UndoAsync(db, batch, ct);
            await db.Set<ImportBatch>().Beyond(ScopeExit.SystemJudgement).Where(b => b.Id == batch.Id).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
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
