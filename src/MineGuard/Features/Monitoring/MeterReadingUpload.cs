using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring;

/// <summary>One bad row of an upload: the row number the office sees in Excel, the column's header, what is wrong.</summary>
public sealed record MeterUploadError(int Row, string Column, string Message);

public sealed record MeterUploadResult(int Rows, int Stored, int Unchanged, int Replaced, List<MeterUploadError> Errors, List<string> UnknownMeters, string Summary);

/// <summary>
/// The power company's monthly export (CSV or .xlsx, read by <see cref="SheetReader"/>): 户号/表号, 抄表时间 (China
/// time unless it carries an offset), and 有功电量 (kWh in the period) or 示数 (the register). Good rows are stored,
/// bad ones listed by row and column (the readings are keyed by meter and time, so uploading the corrected file again
/// stores only what was missing: the same file twice stores nothing twice). Meter codes are the devices' codes in the
/// caller's scope; unknown ones are listed.
/// </summary>
public sealed class MeterReadingUpload(AppDbContext db)
{
    public const long MaxBytes = 50L * 1024 * 1024;

    public static readonly SheetField[] Fields =
    [
        new("meter", "表号", true, ["户号", "电表编号", "电表号", "计量点编号", "设备编号", "meter"]),
        new("time", "抄表时间", true, ["日期时间", "时间", "采集时间", "读数时间", "日期", "time"]),
        new("kwh", "有功电量", false, ["用电量", "电量", "有功电量kwh", "kwh"]),
        new("register", "示数", false, ["表示数", "有功示数", "止码", "正向有功总", "register"]),
    ];

    public async Task<(MeterUploadResult? Result, FieldErrors Errors)> UploadAsync(string? fileName, Stream? content, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (await UploadedSheet.ReadAsync(fileName, content, Fields, errors, ct) is not { } sheet) return (null, errors);
        if (!sheet.Has("kwh") && !sheet.Has("register"))
        {
            errors.Add("file", "表头须有“表号/户号”“抄表时间/日期时间”以及“有功电量”或“示数”列");
            return (null, errors);
        }
        var data = sheet.Rows;
        var codes = data.Select(r => sheet.Cell(r, "meter")).OfType<string>().Distinct().ToList();
        // Meters in the caller's scope, by their code (a code registered under two integrations is ambiguous).
        var meters = new Dictionary<string, List<Device>>();
        foreach (var chunk in codes.Chunk(1000))
        {
            foreach (var d in await db.Devices().AsNoTracking().Where(d => d.Kind == DeviceKind.Meter && chunk.Contains(d.Code)).ToListAsync(ct))
                (meters.TryGetValue(d.Code, out var list) ? list : meters[d.Code] = []).Add(d);
        }
        var problems = new List<MeterUploadError>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var good = new List<MeterReadingInput>();
        foreach (var row in data)
        {
            var code = sheet.Cell(row, "meter") ?? "";
            if (code.Length == 0)
            {
                problems.Add(new(row.Number, sheet.Head("meter"), "缺少表号"));
                continue;
            }
            if (!meters.TryGetValue(code, out var found))
            {
                unknown.Add(code);
                problems.Add(new(row.Number, sheet.Head("meter"), $"未登记的电表：{code}（请先在设备台账中登记）"));
                continue;
            }
            if (found.Count > 1)
            {
                problems.Add(new(row.Number, sheet.Head("meter"), $"表号 {code} 在设备台账中登记了多台，无法确定是哪一台"));
                continue;
            }
            var device = found[0];
            if (!TryTime(sheet.Cell(row, "time"), out var utc))
            {
                problems.Add(new(row.Number, sheet.Head("time"), $"时间无法识别：“{sheet.Cell(row, "time")}”（如 2026-11-02 08:00）"));
                continue;
            }
            if (utc > db.Clock.GetUtcNow().UtcDateTime.AddMinutes(10) || utc.Year < 2000)
            {
                problems.Add(new(row.Number, sheet.Head("time"), "时间晚于当前时间或早于 2000 年"));
                continue;
            }
            var kwhText = sheet.Cell(row, "kwh") ?? "";
            var registerText = sheet.Cell(row, "register") ?? "";
            var (text, key, kind) = kwhText.Length > 0 ? (kwhText, "kwh", MeterReadingKind.Interval) : (registerText, "register", MeterReadingKind.Register);
            if (text.Length == 0)
            {
                problems.Add(new(row.Number, sheet.Head(sheet.Has("kwh") ? "kwh" : "register"), "缺少用电量或示数"));
                continue;
            }
            if (!double.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var kwh)
                || kwh < 0 || double.IsNaN(kwh) || double.IsInfinity(kwh))
            {
                problems.Add(new(row.Number, sheet.Head(key), $"不是非负数字：“{text}”"));
                continue;
            }
            good.Add(new(device.Id, device.DivisionCode, MeterReadings.TruncateToSecond(utc), kwh, kind));
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        var scope = db.CurrentUser.Scope;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = MeterStoreResult.None;
        using (var batch = db.AuditAsBatch("upload", nameof(MeterReading), fileName!.Length > 100 ? fileName[..100] : fileName, scope.Code))
        {
            result = await MeterReadings.StoreAsync(db, good, MeterReadings.Upload, now, ct);
            batch.Complete($"上传电表读数 {data.Count} 行：{(result.Summary.Length > 0 ? result.Summary : "无有效读数")}，有误 {problems.Count} 行");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        var summary = $"共 {data.Count} 行：新增 {result.Stored} 条，已有 {result.Unchanged} 条，更正 {result.Replaced} 条（以最新为准），有误 {problems.Count} 行"
            + (unknown.Count > 0 ? $"；未登记的电表 {unknown.Count} 块" : "");
        return (new MeterUploadResult(data.Count, result.Stored, result.Unchanged, result.Replaced, problems, [.. unknown], summary), errors);
    }

    /// <summary>China wall-clock time or ISO 8601 with an offset (<see cref="ChinaTime.TryParseLocalOrOffset"/>).</summary>
    public static bool TryTime(string? text, out DateTime utc) => ChinaTime.TryParseLocalOrOffset(text, out utc);
}
