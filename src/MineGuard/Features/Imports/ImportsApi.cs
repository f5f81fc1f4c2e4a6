using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Imports;

public sealed record ImportColumnView(int Index, string Letter, string Header, string? Field, string? FieldName, string? Sample);

public sealed record ImportFieldView(string Key, string Header, bool Required);

public sealed record ImportSessionView(
    Guid Id, string Kind, string KindName, string FileName, string CountyCode, string Status, int HeaderRow,
    List<ImportColumnView> Columns, List<ImportFieldView> Fields, LedgerSummary Summary, Guid? BatchId, DateTime CreatedUtc,
    string? ErrorReportUrl, List<ImportValueColumnView> Values, string? Crs);

/// <summary>A ledger word not understood, and how many rows hold it.</summary>
public sealed record ImportUnknownValueView(string Value, int Rows);

/// <summary>
/// One mapped enumeration column of a session: its field, the file's column, the product's values (what a word may be
/// mapped to) and the words of the file it does not understand.
/// </summary>
public sealed record ImportValueColumnView(string Field, string FieldName, string? Column, string? Header, List<string> Known,
    List<ImportUnknownValueView> Unknown);

/// <summary>Mappings of the session's words: per word, the column (field key or name), the ledger's word and the known value (blank: forget).</summary>
public sealed record ValueMappingsInput(List<ValueMappingInput>? Values);

/// <summary>A county's remembered mapping of one ledger word.</summary>
public sealed record ImportValueMappingView(Guid Id, string Kind, string KindName, string CountyCode, string Field, string FieldName,
    string Value, string Known, DateTime CreatedUtc, Guid? CreatedById);

public sealed record ImportBatchView(
    Guid Id, string Kind, string FileName, string DivisionCode, int RowsRead, int RowsImported, int RowsRejected,
    DateTime CreatedUtc, Guid? CreatedById, DateTime? UndoneUtc, string Status);

/// <summary>A batch, its refused rows' reasons, and the notes on rows understood differently from how they were written.</summary>
public sealed record ImportBatchReport(ImportBatchView Batch, List<RowError> Rejected, int RejectedNotListed, List<RowError> Notes);

/// <summary>The column mapping as the user corrected it: one field key per column, null (or "") for 不导入.</summary>
public sealed record MappingInput(string?[]? Fields);

/// <summary>
/// 台账导入 over HTTP: upload a ledger (multipart, with the anti-forgery token like any form), read the proposed
/// mapping and the check of every row, correct the mapping, then confirm or cancel; list, read and undo batches.
/// </summary>
public sealed class ImportsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.Configure<ImportOptions>(config.GetSection("Imports"));
        services.AddScoped<LedgerImport>();
        services.AddScoped<ImportCommands>();
        services.AddSingleton<ImportSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportSweep>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/imports").RequireAuthorization(Policies.Writer).WithTags("imports");
        api.MapPost("/sessions", Upload).WithSummary("上传台账文件，生成预览")
            .WithMetadata(new RequestSizeLimitAttribute(ImportCommands.MaxRequestBytes))
            .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = ImportCommands.MaxRequestBytes });
        api.MapGet("/sessions/{id:guid}", GetSession).WithSummary("导入预览");
        api.MapPut("/sessions/{id:guid}/mapping", Remap).WithSummary("调整表头与字段的对应");
        api.MapPost("/sessions/{id:guid}/confirm", Confirm).WithSummary("确认导入");
        api.MapPost("/sessions/{id:guid}/cancel", Cancel).WithSummary("取消导入");
        api.MapGet("/sessions/{id:guid}/values", GetValues).WithSummary("台账中系统无法识别的取值及行数");
        api.MapPut("/sessions/{id:guid}/values", MapValues).WithSummary("将台账中的取值对应为系统取值（按县记住）");
        api.MapGet("/values", ListValueMappings).WithSummary("本县记住的取值对应");
        api.MapDelete("/values/{id:guid}", ForgetValueMapping).WithSummary("删除一条记住的取值对应");
        api.MapGet("/sessions/{id:guid}/errors.xlsx", ErrorReport).WithSummary("下载未导入行及错误原因（format=xlsx 或 csv）");
        api.MapGet("", ListBatches).WithSummary("导入批次列表");
        api.MapGet("/{id:guid}", GetBatch).WithSummary("导入批次详情");
        api.MapPost("/{id:guid}/undo", Undo).WithSummary("撤销一个导入批次");
    }

    public static async Task<Results<Created<ImportSessionView>, ValidationProblem, ForbidHttpResult>> Upload(
        IFormFile? file, [FromForm] string? kind, [FromForm] string? county, [FromForm] string? crs, ImportCommands imports, CancellationToken ct)
    {
        if (!imports.MayUse(kind)) return TypedResults.Forbid();
        var (session, errors) = await imports.UploadAsync(kind, county, file?.FileName, file is null ? null : file.OpenReadStream, file?.Length ?? 0, ct, crs);
        if (session is null) return errors.ToProblem();
        return TypedResults.Created($"/api/imports/sessions/{session.Id}", View(session));
    }

    public static async Task<Results<Ok<ImportSessionView>, NotFound, ForbidHttpResult>> GetSession(Guid id, ImportCommands imports, CancellationToken ct)
    {
        var session = await imports.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        return imports.MayUse(session.Kind) ? TypedResults.Ok(View(session)) : TypedResults.Forbid();
    }

    public static async Task<Results<Ok<ImportSessionView>, NotFound, ValidationProblem, ForbidHttpResult>> Remap(
        Guid id, MappingInput input, ImportCommands imports, CancellationToken ct)
    {
        var session = await imports.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        if (!imports.MayUse(session.Kind)) return TypedResults.Forbid();
        var errors = await imports.RemapAsync(session, input.Fields, ct);
        return errors.Ok ? TypedResults.Ok(View(session)) : errors.ToProblem();
    }

    public static async Task<Results<Created<ImportBatchView>, NotFound, ForbidHttpResult>> Confirm(Guid id, ImportCommands imports, CancellationToken ct)
    {
        var session = await imports.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        if (!imports.MayUse(session.Kind)) return TypedResults.Forbid();
        var batch = await imports.ConfirmAsync(session, ct);
        return TypedResults.Created($"/api/imports/{batch.Id}", View(batch));
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> Cancel(Guid id, ImportCommands imports, CancellationToken ct)
    {
        var session = await imports.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        if (!imports.MayUse(session.Kind)) return TypedResults.Forbid();
        await imports.CancelAsync(session, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<ImportValueColumnView>>, NotFound, ForbidHttpResult>> GetValues(Guid id, ImportCommands imports, CancellationToken ct)
    {
        var session = await imports.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        return imports.MayUse(session.Kind) ? TypedResults.Ok(Values(session)) : TypedResults.Forbid();
    }

    public static async Task<Results<Ok<ImportSessionView>, NotFound, ValidationProblem, ForbidHttpResult>> MapValues(
        Guid id, ValueMappingsInput input, ImportCommands imports, CancellationToken ct)
    {
        var session = await imports.Sessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        if (!imports.MayUse(session.Kind)) return TypedResults.Forbid();
        var errors = await imports.MapValuesAsync(session, input.Values, ct);
        return errors.Ok ? TypedResults.Ok(View(session)) : errors.ToProblem();
    }

    public static async Task<Ok<List<ImportValueMappingView>>> ListValueMappings(ImportCommands imports, CancellationToken ct)
    {
        var mappings = await imports.VisibleValueMappings.AsNoTracking().OrderBy(m => m.Kind).ThenBy(m => m.Field).ThenBy(m => m.Value).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(mappings.ConvertAll(View));
    }

    public static async Task<Results<NoContent, NotFound>> ForgetValueMapping(Guid id, ImportCommands imports, CancellationToken ct) =>
        await imports.ForgetValueAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>错误报告: the refused rows in the file's own layout plus 错误原因 (<see cref="LedgerErrorReport"/>).</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound, ForbidHttpResult, ValidationProblem>> ErrorReport(Guid id, string? format,
        AppDbContext db, ImportCommands imports, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = ExportFormat.Parse(format, errors);
        if (!errors.Ok) return errors.ToProblem();
        var session = await imports.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return TypedResults.NotFound();
        if (!imports.MayUse(session.Kind)) return TypedResults.Forbid();
        return await Export.FileAsync(http.RequestServices, await LedgerErrorReport.PlanAsync(db, session, ct), kind, ct);
    }

    public static async Task<Ok<List<ImportBatchView>>> ListBatches(ImportCommands imports, CancellationToken ct)
    {
        var batches = await imports.VisibleBatches.AsNoTracking().OrderByDescending(b => b.CreatedUtc).Take(200).ToListAsync(ct);
        return TypedResults.Ok(batches.ConvertAll(View));
    }

    public static async Task<Results<Ok<ImportBatchReport>, NotFound, ForbidHttpResult>> GetBatch(Guid id, ImportCommands imports, CancellationToken ct)
    {
        var batch = await imports.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return TypedResults.NotFound();
        return imports.MayUse(batch.Kind) ? TypedResults.Ok(Report(batch)) : TypedResults.Forbid();
    }

    public static async Task<Results<Ok<ImportBatchView>, NotFound, ForbidHttpResult>> Undo(Guid id, ImportCommands imports, CancellationToken ct)
    {
        var batch = await imports.Batches.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return TypedResults.NotFound();
        if (!imports.MayUse(batch.Kind)) return TypedResults.Forbid();
        await imports.UndoAsync(batch, ct);
        return TypedResults.Ok(View(batch));
    }

    public static ImportSessionView View(ImportSession session)
    {
        var kind = ImportCommands.Kind(session);
        var layout = ImportCommands.Layout(session);
        var summary = ImportCommands.Summary(session);
        var sample = summary.Rows.FirstOrDefault();
        var columns = layout.Headers.Select((h, i) => new ImportColumnView(i, XlsxWriter.ColumnName(i), h, layout.Fields[i],
            layout.Fields[i] is { } f ? kind.Field(f)?.Header : null, sample is null || i >= sample.Cells.Length ? null : sample.Cells[i])).ToList();
        return new ImportSessionView(session.Id, kind.Kind, kind.Noun, session.FileName, session.CountyCode,
            session.Status.ToString().ToLowerInvariant(), layout.HeaderRow, columns,
            [.. kind.Fields.Select(f => new ImportFieldView(f.Key, f.Header, f.Required))], summary, session.BatchId, session.CreatedUtc,
            session.FileId is null ? null : ErrorReportUrl(session.Id), Values(session), layout.Crs);
    }

    /// <summary>The session's mapped enumeration columns that hold words the product does not understand.</summary>
    public static List<ImportValueColumnView> Values(ImportSession session)
    {
        var kind = ImportCommands.Kind(session);
        var layout = ImportCommands.Layout(session);
        var unknown = ImportCommands.Summary(session).UnknownValues ?? [];
        return [.. unknown.GroupBy(u => u.Field).Select(g =>
        {
            var column = Array.IndexOf(layout.Fields, g.Key);
            return new ImportValueColumnView(g.Key, kind.Field(g.Key)?.Header ?? g.Key, column < 0 ? null : XlsxWriter.ColumnName(column),
                column < 0 ? null : layout.Headers[column], [.. kind.ValueColumn(g.Key)?.Known ?? []],
                [.. g.Select(u => new ImportUnknownValueView(u.Value, u.Rows))]);
        })];
    }

    public static ImportValueMappingView View(ImportValueMapping m)
    {
        var kind = LedgerKind.Find(m.Kind);
        return new(m.Id, m.Kind, kind?.Noun ?? m.Kind, m.CountyCode, m.Field, kind?.Field(m.Field)?.Header ?? m.Field, m.Value, m.Known,
            m.CreatedUtc, m.CreatedById);
    }

    public static string ErrorReportUrl(Guid sessionId) => $"/api/imports/sessions/{sessionId}/errors.xlsx";

    public static ImportBatchView View(ImportBatch b) =>
        new(b.Id, b.Kind, b.FileName, b.DivisionCode, b.RowsRead, b.RowsImported, b.RowsRejected, b.CreatedUtc, b.CreatedById, b.UndoneUtc, b.Status);

    public static ImportBatchReport Report(ImportBatch batch)
    {
        using var json = JsonDocument.Parse(batch.ReportJson);
        var rejected = json.RootElement.TryGetProperty("rejected", out var r) ? r.Deserialize<List<RowError>>(LedgerImport.Json) ?? [] : [];
        var notListed = json.RootElement.TryGetProperty("errorsNotListed", out var n) ? n.GetInt32() : 0;
        var notes = json.RootElement.TryGetProperty("notes", out var o) && o.ValueKind == JsonValueKind.Array ? o.Deserialize<List<RowError>>(LedgerImport.Json) ?? [] : [];
        return new ImportBatchReport(View(batch), rejected, notListed, notes);
    }
}
