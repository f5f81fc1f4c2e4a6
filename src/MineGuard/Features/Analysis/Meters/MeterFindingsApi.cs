using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis;

/// <summary>
/// One finding as the contract gives it: <see cref="DeviceId"/> is the meter's device code as used in ingestion; the
/// window [<see cref="Start"/>, <see cref="End"/>) in UTC, the kind code, a score 0–1 and the Chinese explanation.
/// </summary>
public sealed record MeterFindingView(Guid Id, string DeviceId, string MeterName, DateTime Start, DateTime End, string Kind, string KindName,
    double Score, string Explanation, string Status, string StatusName, Guid? ClueId, string? ExplanationNote, double? ExplainedKw,
    string? ExplainedBy, DateTime? ExplainedUtc);

/// <summary>已说明: the cause (note), the declared extra load in kW or any load, and the window it covers (China time or with an offset).</summary>
public sealed record MeterExplainInput(string? Note, double? ExtraKw, bool? Any, string? From, string? To);

public sealed record MeterChartHour(DateTime At, double? Kwh, double? Low, double? High);

public sealed record MeterChartView(string DeviceId, string Name, DateTime From, DateTime To, List<MeterChartHour> Hours, List<MeterFindingView> Findings);

/// <summary>
/// 电力看矿 over HTTP: the findings in the caller's scope (the contract other systems read), a meter's re-scan on demand,
/// a finding marked explained (its cause taught to the meter's expectation), and a meter's chart data (series, expected
/// band, findings).
/// </summary>
public sealed class MeterFindingsApi : IFeature
{
    public const int MaxDays = 366;

    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<MeterScanner>();
        services.AddSingleton<MeterBaselines>();
        services.AddHostedService<MeterScanJob>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/analysis").RequireAuthorization(Policies.Staff).WithTags("analysis");
        staff.MapGet("/meter-findings", List).WithSummary("电表异常发现（from、to 为起止时间；deviceId 为电表接入编号，score 为 0–1 分值）");
        var office = app.MapGroup("/api/analysis").RequireAuthorization(Policies.Office).WithTags("analysis");
        office.MapPost("/meters/{code}/scan", Scan).WithSummary("立即重新分析一块电表的读数");
        office.MapGet("/meters/{code}/chart", Chart).WithSummary("电表用电曲线：逐小时用电量、预期范围和异常时段");
        office.MapPost("/meter-findings/{id:guid}/explain", Explain).WithSummary("说明电表异常原因（已说明），此后按申报负荷判断");
    }

    public static async Task<Results<Ok<List<MeterFindingView>>, ValidationProblem>> List(string? from, string? to, AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (start, end) = Window(from, to, db, errors, defaultDays: 30);
        if (!errors.Ok) return errors.ToProblem();
        var rows = await db.MeterFindings().AsNoTracking().Where(f => f.StartUtc < end && f.EndUtc > start)
            .OrderByDescending(f => f.StartUtc).Take(5000).ToListAsync(ct);
        return TypedResults.Ok(await ViewsAsync(db, rows, ct));
    }

    public static async Task<Results<Ok<MeterScanResult>, NotFound>> Scan(string code, AppDbContext db, MeterScanner scanner, CancellationToken ct)
    {
        var meter = await MeterAsync(db, code, ct);
        if (meter is null) return TypedResults.NotFound();
        var result = await scanner.ScanAsync(meter, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<MeterFindingView>, NotFound, ValidationProblem>> Explain(Guid id, MeterExplainInput input, AppDbContext db,
        CancellationToken ct)
    {
        var finding = await db.MeterFindings().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (finding is null) return TypedResults.NotFound();
        var errors = await ExplainAsync(db, finding, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await ViewsAsync(db, [finding], ct))[0]);
    }

    /// <summary>Checks the input and marks the finding explained (the API and the chart page's form); saves.</summary>
    public static async Task<FieldErrors> ExplainAsync(AppDbContext db, MeterFindingRecord finding, MeterExplainInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = input.Note?.Trim();
        if (string.IsNullOrEmpty(note)) errors.Add(nameof(input.Note), "请填写说明（note），如“许可的排水泵”");
        else if (note.Length > 500) errors.Add(nameof(input.Note), "说明（note）不能超过 500 个字符");
        var any = input.Any == true;
        if (!any && input.ExtraKw is null) errors.Add(nameof(input.ExtraKw), "请填写申报负荷（extraKw，千瓦），或选择任意用电（any）");
        else if (!any && input.ExtraKw is { } kw && (double.IsNaN(kw) || kw <= 0 || kw > 100_000))
            errors.Add(nameof(input.ExtraKw), "申报负荷（extraKw）须大于 0 且不超过 100000 千瓦");
        var fromUtc = finding.StartUtc;
        if (!string.IsNullOrWhiteSpace(input.From) && !MeterReadingUpload.TryTime(input.From, out fromUtc))
            errors.Add(nameof(input.From), "起始时间（from）无法识别，如 2026-11-01 或 2026-11-01T00:00:00+08:00");
        // An extra load stays (a permitted pump); "any" covers the finding's window unless told otherwise.
        DateTime? toUtc = any ? finding.EndUtc : null;
        if (!string.IsNullOrWhiteSpace(input.To))
        {
            if (MeterReadingUpload.TryTime(input.To, out var t)) toUtc = t;
            else errors.Add(nameof(input.To), "结束时间（to）无法识别，如 2026-11-30 或 2026-11-30T00:00:00+08:00");
        }
        if (errors.Ok && toUtc is { } end && end <= fromUtc) errors.Add(nameof(input.To), "结束时间（to）须晚于起始时间（from）");
        if (!errors.Ok) return errors;
        Rule.Check(finding.Status != MeterFindingStatus.Explained, "MeterFindingAlreadyExplained", "该电表异常已说明");
        finding.Explain(note!, any ? null : input.ExtraKw, fromUtc, toUtc, db.CurrentUser.Id, db.CurrentUser.DisplayName, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public static async Task<Results<Ok<MeterChartView>, NotFound, ValidationProblem>> Chart(string code, string? from, string? to, AppDbContext db,
        MeterScanner scanner, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (start, end) = Window(from, to, db, errors, defaultDays: 90);
        if (!errors.Ok) return errors.ToProblem();
        var meter = await MeterAsync(db, code, ct);
        if (meter is null) return TypedResults.NotFound();
        return TypedResults.Ok(await ChartAsync(db, scanner, meter, start, end, ct));
    }

    public static async Task<MeterChartView> ChartAsync(AppDbContext db, MeterScanner scanner, Device meter, DateTime start, DateTime end, CancellationToken ct)
    {
        // The band needs the history before the window: the detector learns from the start of the scan period.
        var dayFrom = MeterDetector.DayStartUtc(DateOnly.FromDateTime(Platform.Time.ChinaTime.ToLocal(start.AddDays(-MeterScanner.ScanDays / 4))));
        var dayTo = MeterDetector.DayStartUtc(DateOnly.FromDateTime(Platform.Time.ChinaTime.ToLocal(end)).AddDays(1));
        var hourly = await scanner.HourlyAsync(meter.Id, dayFrom, dayTo, ct);
        var place = await scanner.PlaceAsync(meter, ct);
        var stored = await db.MeterFindings().AsNoTracking().Where(f => f.DeviceId == meter.Id).OrderBy(f => f.StartUtc).ToListAsync(ct);
        var context = await scanner.ContextAsync(meter, place, stored, ct);
        var (low, high) = MeterBand.Compute(context, dayFrom, hourly);
        var hours = new List<MeterChartHour>();
        var first = (int)(start - dayFrom).TotalHours;
        var last = Math.Min(hourly.Length, (int)(end - dayFrom).TotalHours);
        static double? V(float v) => float.IsNaN(v) ? null : Math.Round(v, 3);
        for (var i = Math.Max(0, first); i < last; i++) hours.Add(new(dayFrom.AddHours(i), V(hourly[i]), V(low[i]), V(high[i])));
        var findings = stored.Where(f => f.StartUtc < end && f.EndUtc > start).ToList();
        return new MeterChartView(meter.Code, meter.Name, start, end, hours, await ViewsAsync(db, findings, ct));
    }

    public static Task<Device?> MeterAsync(AppDbContext db, string code, CancellationToken ct) =>
        db.Devices().Where(d => d.Kind == DeviceKind.Meter && d.Code == code).OrderBy(d => d.CreatedUtc).FirstOrDefaultAsync(ct);

    public static async Task<List<MeterFindingView>> ViewsAsync(AppDbContext db, IReadOnlyList<MeterFindingRecord> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.DeviceId).Distinct().ToList();
        var meters = await db.Devices().Beyond(ScopeExit.LinkedLabel).AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new { d.Id, d.Code, d.Name }).ToDictionaryAsync(d => d.Id, ct);
        return rows.Select(f => new MeterFindingView(f.Id, meters.GetValueOrDefault(f.DeviceId)?.Code ?? "", meters.GetValueOrDefault(f.DeviceId)?.Name ?? "",
            f.StartUtc, f.EndUtc, f.Kind, MeterFindingKinds.Name(f.Kind), f.Score, f.Explanation, f.Status, MeterFindingStatus.Name(f.Status), f.ClueId,
            f.ExplanationNote, f.ExplainedKw, f.ExplainedByName, f.ExplainedUtc)).ToList();
    }

    private static (DateTime Start, DateTime End) Window(string? from, string? to, AppDbContext db, FieldErrors errors, int defaultDays)
    {
        var end = MeterSeries.Hour(db.Clock.GetUtcNow().UtcDateTime).AddHours(1);
        if (to is not null)
        {
            if (MeterReadingUpload.TryTime(to, out var t)) end = t;
            else errors.Add("to", "结束时间（to）无法识别，如 2026-11-30 或 2026-11-30T00:00:00+08:00");
        }
        var start = end.AddDays(-defaultDays);
        if (from is not null)
        {
            if (MeterReadingUpload.TryTime(from, out var f)) start = f;
            else errors.Add("from", "开始时间（from）无法识别，如 2026-11-01 或 2026-11-01T00:00:00+08:00");
        }
        if (errors.Ok && start >= end) errors.Add("from", "开始时间（from）须早于结束时间（to）");
        if (errors.Ok && (end - start).TotalDays > MaxDays) errors.Add("to", $"一次最多查询 {MaxDays} 天");
        return (MeterSeries.Hour(start), MeterSeries.Hour(end));
    }
}
