using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Monitoring;

/// <summary>电表读数 over HTTP: a meter's hourly series in the caller's scope, and the power company's export uploaded (office).</summary>
public sealed class MeterReadingsApi : IFeature
{
    public const int MaxDays = 366;

    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<MeterReadingUpload>();

    public static void Map(IEndpointRouteBuilder app)
    {
        var meters = app.MapGroup("/api/meters").RequireAuthorization(Policies.Office).WithTags("monitoring");
        meters.MapGet("/{deviceCode}/readings", Readings).WithSummary("电表逐小时用电量（from、to 为起止时间，缺数的小时为 null）");
        meters.MapPost("/readings/upload", Upload).WithSummary("上传供电公司电表读数（.xlsx 或 .csv）")
            .WithMetadata(new RequestSizeLimitAttribute(MeterReadingUpload.MaxBytes + 1024 * 1024))
            .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MeterReadingUpload.MaxBytes });
    }

    public static async Task<Results<Ok<MeterSeriesView>, NotFound, ValidationProblem>> Readings(string deviceCode, string? from, string? to,
        AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var end = MeterSeries.Hour(now).AddHours(1);
        if (to is not null)
        {
            if (MeterReadingUpload.TryTime(to, out var t) && t.Year is >= 2000 and <= 2100) end = MeterSeries.Hour(t);
            else errors.Add("to", "结束时间（to）无法识别或不在 2000—2100 年间，如 2026-11-30 或 2026-11-30T00:00:00+08:00");
        }
        var start = errors.Ok ? end.AddDays(-7) : end;
        if (from is not null)
        {
            if (MeterReadingUpload.TryTime(from, out var f) && f.Year is >= 2000 and <= 2100) start = MeterSeries.Hour(f);
            else errors.Add("from", "开始时间（from）无法识别或不在 2000—2100 年间，如 2026-11-01 或 2026-11-01T00:00:00+08:00");
        }
        if (errors.Ok && start >= end) errors.Add("from", "开始时间（from）须早于结束时间（to）");
        if (errors.Ok && (end - start).TotalDays > MaxDays) errors.Add("to", $"一次最多查询 {MaxDays} 天");
        if (!errors.Ok) return errors.ToProblem();

        var device = await db.Devices().AsNoTracking().Where(d => d.Kind == DeviceKind.Meter && d.Code == deviceCode)
            .OrderBy(d => d.CreatedUtc).FirstOrDefaultAsync(ct);
        if (device is null) return TypedResults.NotFound();
        // A register needs the counts around the window: the one before its first hour and the one closing its last.
        var lookback = start.AddHours(-MeterSeries.MaxSpreadHours);
        var lookahead = end.AddHours(MeterSeries.MaxSpreadHours);
        var readings = await db.MeterReadings().AsNoTracking().Where(r => r.DeviceId == device.Id && r.Utc >= lookback && r.Utc <= lookahead)
            .OrderBy(r => r.Utc).Select(r => new { r.Utc, r.Kwh, r.Kind }).ToListAsync(ct);
        var (hours, breaks) = MeterSeries.Hourly(readings.Select(r => (r.Utc, r.Kwh, r.Kind)).ToList(), start, end);
        return TypedResults.Ok(new MeterSeriesView(device.Code, device.Name, start, end, hours, breaks));
    }

    public static async Task<Results<Ok<MeterUploadResult>, ValidationProblem>> Upload(IFormFile? file, MeterReadingUpload upload, CancellationToken ct)
    {
        await using var stream = file?.OpenReadStream();
        var (result, errors) = await upload.UploadAsync(file?.FileName, stream, ct);
        return result is null ? errors.ToProblem() : TypedResults.Ok(result);
    }
}
