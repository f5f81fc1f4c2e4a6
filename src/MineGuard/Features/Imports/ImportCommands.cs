using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// The import session, shared by the API and the pages: upload (store the file, propose a mapping, check every row),
/// correct the mapping (check again), then import the valid rows or nothing; and undo a batch. Sessions and batches
/// are scoped like everything else: outside the user's jurisdiction they are not found.
/// </summary>
/// <summary>What undoing a batch removed: its rows, the 责任人 it created, and those kept because they are used since.</summary>
public sealed record UndoOutcome(int Rows, int PersonsDeleted, int PersonsKept);

public sealed class ImportCommands(AppDbContext db, LedgerImport ledger)
{
    public const long MaxBytes = 50L * 1024 * 1024;

    /// <summary>
    /// What the server reads of an upload request: well above <see cref="MaxBytes"/>, so that a ledger somewhat too
    /// large arrives (buffered on disk, not in memory) and is refused with the message beside the file field, instead
    /// of the connection being cut with a bare 413. Beyond this the server stops reading.
    /// </summary>
    public const long MaxRequestBytes = 200L * 1024 * 1024;

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public IQueryable<ImportSession> Sessions => db.Set<ImportSession>();

    /// <summary>The finished batches: one still writing its rows (<see cref="ImportBatch.Importing"/>) cannot be read or undone.</summary>
    public IQueryable<ImportBatch> Batches => db.Set<ImportBatch>().Where(b => b.Status == ImportBatch.Done);

    /// <summary>The kinds the user may import (<see cref="LedgerKind.CanUse"/>).</summary>
    public IReadOnlyList<LedgerKind> Kinds => [.. LedgerKind.All.Where(k => k.CanUse(db.CurrentUser))];

    /// <summary>
    /// Whether the user may upload, see, confirm, cancel or undo this kind; callers answer 403 when not. An unknown
    /// kind is the caller's to report as such.
    /// </summary>
    public bool MayUse(string? kind) => LedgerKind.Find(kind ?? "adits")?.CanUse(db.CurrentUser) ?? true;

    /// <summary>Sessions for lists: only of the kinds the user may use.</summary>
    public IQueryable<ImportSession> VisibleSessions
    {
        get
        {
            var hidden = Hidden();
            return Sessions.Where(s => !hidden.Contains(s.Kind));
        }
    }

    /// <summary>Batches for lists, those still importing too (导入中): only of the kinds the user may use.</summary>
    public IQueryable<ImportBatch> VisibleBatches
    {
        get
        {
            var hidden = Hidden();
            return db.Set<ImportBatch>().Where(b => !hidden.Contains(b.Kind));
        }
    }

    private List<string> Hidden() => [.. LedgerKind.All.Where(k => !k.CanUse(db.CurrentUser)).Select(k => k.Kind)];

    /// <summary>Repeats the endpoints' check for every caller of the commands (the CLI acts as the system, which may).</summary>
    private void Require(string kind)
    {
        if (!MayUse(kind)) throw new UnauthorizedAccessException($"{db.CurrentUser.Name} may not use the {kind} ledger");
    }

    /// <param name="crs">The coordinate system the uploader declares for the whole file (blank: none; rows may name theirs).</param>
    public async Task<(ImportSession? Session, FieldErrors Errors)> UploadAsync(
        string? kindName, string? countyCode, string? fileName, Func<Stream>? open, long length, CancellationToken ct, string? crs = null)
    {
        var errors = new FieldErrors();
        var declared = DeclaredCrs(crs, errors);
        var kind = LedgerKind.Find(kindName ?? "adits");
        if (kind is null) errors.Add("Kind", $"未知的台账类型：{kindName}");
        if (open is null || string.IsNullOrEmpty(fileName) || length == 0) errors.Add("File", "请选择要上传的台账文件（.xlsx 或 .csv）");
        else if (!SheetReader.IsSupported(fileName))
            errors.Add("File", $"只能上传 Excel（.xlsx）或 CSV 文件，“{Path.GetFileName(fileName)}”不是；旧版 .xls 请在 Excel 中另存为 .xlsx");
        else if (length > MaxBytes) errors.Add("File", $"文件大小 {length / 1024.0 / 1024:F1} MB，超过 {MaxBytes / 1024 / 1024} MB 的上限；更大的台账请拆分，或由管理员用命令行导入");
        if (kind is not null) Require(kind.Kind);
        var county = await CountyAsync(countyCode, errors, ct);
        if (!errors.Ok) return (null, errors);

        var content = new byte[length];
        await using (var stream = open!()) await stream.ReadExactlyAsync(content, ct);
        LedgerLayout layout;
        LedgerSummary summary;
        try
        {
            layout = LedgerImport.Propose(kind!, new MemoryStream(content, writable: false), fileName!) with { Crs = declared };
            summary = await CheckAsync(kind!, county!, content, fileName!, layout, await RememberedMapAsync(kind!, county!.Code, ct), ct);
        }
        catch (SheetFormatException e)
        {
            errors.Add("File", e.Message);
            return (null, errors);
        }

        var fileId = await StoreAsync(content, fileName!, ct);
        var scope = db.CurrentUser.Scope;
        var division = scope.Contains(county!.Code) ? county.Code : scope.Code;
        var session = ImportSession.Create(kind!.Kind, county.Code, division, fileId, Path.GetFileName(fileName!),
            JsonSerializer.Serialize(layout, LedgerImport.Json), JsonSerializer.Serialize(summary, LedgerImport.Json), db.CurrentUser.Id, Now);
        db.Add(session);
        await db.SaveChangesAsync(ct);
        return (session, errors);
    }

    /// <summary>The whole file's coordinate system as stored in the layout: "wgs84", "gcj02", or null when not declared.</summary>
    public static string? DeclaredCrs(string? crs, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(crs)) return null;
        if (Gcj02.TryParseCrs(crs, out var gcj02)) return gcj02 ? "gcj02" : "wgs84";
        errors.Add("Crs", $"坐标系“{crs.Trim()}”无法识别：{AditValidator.CrsChoices}");
        return null;
    }

    /// <summary>The user's correction: one field key (or null) per column; then every row is checked again.</summary>
    public async Task<FieldErrors> RemapAsync(ImportSession session, IReadOnlyList<string?>? fields, CancellationToken ct)
    {
        Require(session.Kind);
        Rule.Check(session.Status == ImportSessionStatus.Pending, "ImportSessionClosed", "该导入已完成或已取消，不能再修改");
        var errors = new FieldErrors();
        var kind = Kind(session);
        var layout = Layout(session);
        if (fields is null || fields.Count != layout.Headers.Length)
        {
            errors.Add("Fields", $"请为全部 {layout.Headers.Length} 列各选择一个字段（或“不导入”）");
            return errors;
        }
        var mapping = fields.Select(f => string.IsNullOrWhiteSpace(f) ? null : f.Trim()).ToArray();
        foreach (var unknown in mapping.OfType<string>().Where(f => kind.Field(f) is null).Distinct())
            errors.Add("Fields", $"未知的字段：{unknown}");
        foreach (var twice in mapping.OfType<string>().GroupBy(f => f).Where(g => g.Count() > 1))
        {
            var columns = Enumerable.Range(0, mapping.Length).Where(c => mapping[c] == twice.Key).Select(XlsxWriter.ColumnName);
            errors.Add("Fields", $"“{kind.Field(twice.Key)?.Header ?? twice.Key}”只能对应一列，现对应了 {string.Join("、", columns)} 列");
        }
        if (!errors.Ok) return errors;

        var remapped = layout with { Fields = mapping };
        var county = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == session.CountyCode, ct);
        var summary = await CheckAsync(kind, county, await ContentAsync(session, ct), session.FileName, remapped,
            await RememberedMapAsync(kind, county.Code, ct), ct);
        session.Remap(JsonSerializer.Serialize(remapped, LedgerImport.Json), JsonSerializer.Serialize(summary, LedgerImport.Json), Now);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>导入有效行: the valid rows, checked again inside the transaction (the registry may have changed since).</summary>
    public async Task<ImportBatch> ConfirmAsync(ImportSession session, CancellationToken ct)
    {
        Require(session.Kind);
        Rule.Check(session.Status == ImportSessionStatus.Pending, "ImportSessionClosed", "该导入已完成或已取消");
        var kind = Kind(session);
        var layout = Layout(session);
        var missing = HeaderMatcher.Describe(layout.Fields, layout.Headers, kind.Fields).MissingRequired;
        Rule.Check(missing.Count == 0, "ImportMappingIncomplete", $"请先为以下字段指定列：{string.Join("、", missing.Select(f => f.Header))}");
        var county = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == session.CountyCode, ct);
        var content = await ContentAsync(session, ct);
        var values = await RememberedMapAsync(kind, county.Code, ct);
        var result = await ledger.ImportAsync(kind, county, db.CurrentUser.Scope, new MemoryStream(content, writable: false), session.FileName,
            layout, values, session.DivisionCode, new ImportHooks(
                Start: async batch =>
                {
                    // Claimed in the import's first transaction: a second confirmation finds nothing to claim.
                    var claimed = await Sessions.Where(s => s.Id == session.Id && s.Status == ImportSessionStatus.Pending)
                        .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ImportSessionStatus.Imported)
                            .SetProperty(s => s.BatchId, batch.Id).SetProperty(s => s.UpdatedUtc, Now), ct);
                    Rule.Check(claimed == 1, "ImportSessionClosed", "该导入已完成或已取消");
                },
                // A kind that keeps no file lets it go in the last transaction, so that it is gone exactly when the import commits.
                Finish: async _ =>
                {
                    if (kind.KeepsFile || session.FileId is not { } stored) return;
                    await Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.FileId, (Guid?)null), ct);
                    await DeleteFileIfUnusedAsync(stored, ct);
                }), ct);
        Rule.Check(result.Batch is not null, "NothingToImport", $"没有可导入的有效行（{result.Summary.Invalid} 行均有问题），未导入任何数据");
        return result.Batch!;
    }

    /// <summary>
    /// The session's words mapped to known values: each mapping checked (<see cref="ValueMap.Check"/>), remembered for
    /// the county (a word mapped before gets the new value; a blank known value forgets it, and its rows are refused
    /// again), audited, and every row checked again with the county's mappings.
    /// </summary>
    public async Task<FieldErrors> MapValuesAsync(ImportSession session, IReadOnlyList<ValueMappingInput>? mappings, CancellationToken ct)
    {
        Require(session.Kind);
        Rule.Check(session.Status == ImportSessionStatus.Pending, "ImportSessionClosed", "该导入已完成或已取消，不能再修改");
        var errors = new FieldErrors();
        var kind = Kind(session);
        var layout = Layout(session);
        if (mappings is null || mappings.Count == 0)
        {
            errors.Add("Values", "请至少给出一个取值对应（列、台账原值、系统取值）");
            return errors;
        }
        var checkedOnes = new List<(string Field, string Value, string? Known)>();
        foreach (var input in mappings)
        {
            if (input is null) continue;
            // A blank known value is "leave those rows refused": forget a remembered mapping of the word, if any.
            if (string.IsNullOrWhiteSpace(input.Known) && ValueMap.ColumnOf(kind, layout, input.Field?.Trim() ?? "") is { } column
                && !string.IsNullOrWhiteSpace(input.Value))
            {
                checkedOnes.Add((column.Field, input.Value.Trim(), null));
                continue;
            }
            if (ValueMap.Check(kind, layout, input, errors) is { } ok) checkedOnes.Add(ok);
        }
        if (!errors.Ok) return errors;

        await RememberAsync(kind, session, checkedOnes, ct);

        var county = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == session.CountyCode, ct);
        var summary = await CheckAsync(kind, county, await ContentAsync(session, ct), session.FileName, layout, await RememberedMapAsync(kind, county.Code, ct), ct);
        session.Remap(session.LayoutJson, JsonSerializer.Serialize(summary, LedgerImport.Json), Now);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Stores the checked mappings as an insert-or-update per word. Two first saves of the same word at once (two tabs,
    /// a double click) both read "not remembered" and both insert; the second meets the unique index (county, kind,
    /// column, word). Its save rolled back whole, so it reads the mappings again, now with the other's row, and updates
    /// that instead: both callers end with the one row holding the value asked for, never a 500.
    /// </summary>
    private async Task RememberAsync(LedgerKind kind, ImportSession session, List<(string Field, string Value, string? Known)> mappings,
        CancellationToken ct)
    {
        var fields = mappings.Select(m => m.Field).Distinct().ToList();
        for (var attempt = 1; ; attempt++)
        {
            var existing = await Remembered(kind, session.CountyCode).Where(m => fields.Contains(m.Field)).ToListAsync(ct);
            foreach (var (field, value, known) in mappings)
            {
                var old = existing.FirstOrDefault(m => m.Field == field && m.Value == value);
                if (known is null)
                {
                    if (old is not null) db.Remove(old);
                }
                else if (old is null)
                {
                    var added = ImportValueMapping.Create(kind.Kind, session.CountyCode, session.DivisionCode, field, value, known, db.CurrentUser.Id, Now);
                    existing.Add(added);
                    db.Add(added);
                }
                else if (old.Known != known) old.Change(known, Now);
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A unique violation (the other inserted first) or a row the other removed: forget what this attempt
                // tracked of the mappings (the session stays tracked for its own save) and decide again on what is stored.
                foreach (var entry in db.ChangeTracker.Entries<ImportValueMapping>().ToList()) entry.State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// The county's remembered mappings of a kind, as every import into the county applies them. Filed where the
    /// session that made them was (the county, or an uploader's node inside it): the county's words, inherited by
    /// whoever imports into it.
    /// </summary>
    private IQueryable<ImportValueMapping> Remembered(LedgerKind kind, string countyCode) =>
        db.Beyond<ImportValueMapping>(ScopeExit.InheritedSettings).Where(m => m.CountyCode == countyCode && m.Kind == kind.Kind);

    public async Task<ValueMap> RememberedMapAsync(LedgerKind kind, string countyCode, CancellationToken ct)
    {
        var rows = await Remembered(kind, countyCode).AsNoTracking().Select(m => new { m.Field, m.Value, m.Known }).ToListAsync(ct);
        return new ValueMap(rows.Select(m => (m.Field, m.Value, m.Known)));
    }

    /// <summary>The remembered mappings the user sees (their scope, kinds they may use), for the list with its 删除.</summary>
    public IQueryable<ImportValueMapping> VisibleValueMappings
    {
        get
        {
            var hidden = Hidden();
            return db.Set<ImportValueMapping>().Where(m => !hidden.Contains(m.Kind));
        }
    }

    /// <summary>Forgets a remembered mapping (audited): the next ledger with the word asks again.</summary>
    public async Task<bool> ForgetValueAsync(Guid id, CancellationToken ct)
    {
        var mapping = await VisibleValueMappings.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mapping is null) return false;
        db.Remove(mapping);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>全部不导入: nothing is imported, and the file is deleted unless another session holds the same bytes.</summary>
    public async Task CancelAsync(ImportSession session, CancellationToken ct)
    {
        Require(session.Kind);
        var fileId = session.FileId;
        session.Cancel(Now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (fileId is { } id) await DeleteFileIfUnusedAsync(id, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Deletes a stored file no session (identical uploads share one) and no photo holds any more.</summary>
    private async Task DeleteFileIfUnusedAsync(Guid id, CancellationToken ct)
    {
        if (!await Sessions.Beyond(ScopeExit.Uniqueness).AnyAsync(s => s.FileId == id, ct)
            && !await db.AditPhotos().Beyond(ScopeExit.Uniqueness).AnyAsync(p => p.FileId == id, ct))
            await db.Set<StoredFile>().Where(f => f.Id == id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Undoes a whole batch in one transaction: all its rows go, or none when any changed since.</summary>
    public async Task<UndoOutcome> UndoAsync(ImportBatch batch, CancellationToken ct)
    {
        Require(batch.Kind);
        Rule.Check(batch.UndoneUtc is null, "ImportAlreadyUndone", "该批次已经撤销");
        var kind = LedgerKind.Find(batch.Kind) ?? throw new InvalidOperationException($"unknown ledger kind {batch.Kind}");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deleted = await kind.UndoAsync(db, batch, ct);
        // The 责任人 the batch created go too, after the rows that named them; those used elsewhere since stay.
        var (persons, kept) = await ImportedPersons.UndoAsync(db, batch, ct);
        batch.MarkUndone(db.CurrentUser.Id, Now);
        var people = persons + kept == 0 ? ""
            : $"；删除本次导入新建的责任人 {persons} 人{(kept > 0 ? $"，保留 {kept} 人（导入后已被其他记录引用、修改或开通账号）" : "")}";
        db.AuditEvent("undo-import", nameof(ImportBatch), batch.Id.ToString(),
            $"撤销导入“{batch.FileName}”：删除 {deleted} 个{kind.Noun}{people}", batch.DivisionCode);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new UndoOutcome(deleted, persons, kept);
    }

    public static LedgerKind Kind(ImportSession session) =>
        LedgerKind.Find(session.Kind) ?? throw new InvalidOperationException($"unknown ledger kind {session.Kind}");

    public static LedgerLayout Layout(ImportSession session) => JsonSerializer.Deserialize<LedgerLayout>(session.LayoutJson, LedgerImport.Json)!;

    public static LedgerSummary Summary(ImportSession session) => JsonSerializer.Deserialize<LedgerSummary>(session.PreviewJson, LedgerImport.Json)!;

    /// <summary>The counties the user may import into: their own, or those below their node.</summary>
    public async Task<List<Division>> CountiesAsync(CancellationToken ct)
    {
        var scope = db.CurrentUser.Scope;
        if (scope.Code.Length >= 6)
        {
            var own = scope.Code[..6];
            return await db.Divisions.AsNoTracking().Where(d => d.Code == own && d.Level == DivisionLevel.County).ToListAsync(ct);
        }
        return await db.Divisions.CountiesWithinAsync(scope, ct);
    }

    private async Task<Division?> CountyAsync(string? code, FieldErrors errors, CancellationToken ct)
    {
        var counties = await CountiesAsync(ct);
        var wanted = string.IsNullOrWhiteSpace(code) ? null : Division.NormalizeCode(code);
        var county = wanted is null ? (counties.Count == 1 ? counties[0] : null) : counties.FirstOrDefault(c => c.Code == wanted);
        if (county is null) errors.Add("County", wanted is null ? "请选择台账所属的县（市、区）" : $"“{code}”不是您管辖范围内的县（市、区）");
        return county;
    }

    private Task<LedgerSummary> CheckAsync(LedgerKind kind, Division county, byte[] content, string fileName, LedgerLayout layout,
        ValueMap values, CancellationToken ct) =>
        ledger.CheckAsync(kind, county, db.CurrentUser.Scope, new MemoryStream(content, writable: false), fileName, layout, values, LedgerImport.ListedErrors, ct);

    private Task<byte[]> ContentAsync(ImportSession session, CancellationToken ct) =>
        db.Set<StoredFile>().Where(f => f.Id == session.FileId).Select(f => f.Content).FirstAsync(ct);

    private Task<Guid> StoreAsync(byte[] content, string fileName, CancellationToken ct) =>
        db.StoreAsync(content, ContentType(fileName), fileName, ct);

    public static string ContentType(string fileName) =>
        Path.GetExtension(fileName).Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? "text/csv"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
