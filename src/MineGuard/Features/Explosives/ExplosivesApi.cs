using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Explosives;

public sealed record MovementView(Guid Id, Guid HolderId, string Kind, string KindName, string Material, string MaterialName, double Quantity, string Unit,
    DateTime Utc, DateTime? ArrivalUtc, double? RouteHours, string? Vehicle, string? Route, string? SiteDivisionCode, string? Site, string? ShotFirer,
    string? Crew, string? PermitNumber, int Codes);

/// <summary>
/// 民爆物品、氰化钠闭环 over HTTP: holders with their permits and balance, movements taken in as a batch (per-record
/// refusal, idempotent by event id), the gaps and the check that raises them, and a holder's history as Excel.
/// Read by the office, leaders, administrators, heads and the police and emergency departments (others: their share is
/// empty); written by the office, administrators and those two departments. Outside the scope: 404.
/// </summary>
public sealed class ExplosivesApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ExplosivesDesk>();
        services.AddScoped<MovementIntake>();
        services.AddScoped<MovementUpload>();
        services.AddScoped<GapDesk>();
        services.AddScoped<MineGuard.Features.Monitoring.IIngestedEvents, MovementEvents>();
        services.AddSingleton<GapCheckJob>();
        services.AddHostedService(sp => sp.GetRequiredService<GapCheckJob>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/explosives").RequireAuthorization(Policies.Staff).WithTags("explosives");
        api.MapGet("/holders", Holders).WithSummary("涉爆、涉氰单位列表（许可证、账面结存、未结缺口）");
        api.MapPost("/holders", Register).RequireAuthorization(Policies.Writer).WithSummary("登记涉爆、涉氰单位及其许可证（clientId 重复提交只存一次）");
        api.MapGet("/holders/{id:guid}", Holder).WithSummary("涉爆、涉氰单位详情");
        api.MapGet("/holders/{id:guid}/history.xlsx", History).WithSummary("导出单位的流向记录及逐笔结存（Excel，format=csv 为 CSV）");
        api.MapGet("/movements", Movements).WithSummary("流向记录（购买、运输、入库、领用、使用、退回、销毁、盘点）");
        api.MapPost("/movements", Take).RequireAuthorization(Policies.Writer)
            .WithSummary("批量提交流向记录：逐条校验，不合格的记录注明序号和原因，其余照收；同一编号重复提交只存一次");
        api.MapPost("/movements/upload", Upload).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithSummary("导入民爆、剧毒化学品流向系统导出的月度流向记录（.xlsx 或 .csv，逐行校验，重复导入不重复保存）")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MovementUpload.MaxBytes + 1024 * 1024))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestFormLimitsAttribute { MultipartBodyLengthLimit = MovementUpload.MaxBytes });
        api.MapGet("/gaps", Gaps).WithSummary("闭环缺口（账实不符、雷管重复使用或未领先用、超区域发放、证照失效、超量购买、运输超时、许可证过期、停止报送）");
        api.MapPost("/gaps/check", Check).RequireAuthorization(Policies.Writer).WithSummary("检查闭环缺口：新缺口各发一条预警（写明涉及记录和差额）并抄送公安，已发现的不再重复");
        api.MapPost("/gaps/{id:guid}/close", Close).RequireAuthorization(Policies.Writer).WithSummary("关闭闭环缺口（须写明原因；关闭后同一缺口不再重复发现）");
    }

    public static async Task<Results<Ok<List<HolderView>>, ForbidHttpResult>> Holders(AppDbContext db, ExplosivesDesk desk, CancellationToken ct) =>
        ExplosivesDesk.MayRead(db.CurrentUser) ? TypedResults.Ok(await desk.ListAsync(null, ct)) : TypedResults.Forbid();

    public static async Task<Results<Ok<HolderView>, NotFound, ForbidHttpResult>> Holder(Guid id, AppDbContext db, ExplosivesDesk desk, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayRead(db.CurrentUser)) return TypedResults.Forbid();
        return (await desk.ListAsync(id, ct)).FirstOrDefault() is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
    }

    public static async Task<Results<Created<HolderView>, Ok<HolderView>, ValidationProblem, ForbidHttpResult>> Register(HolderInput input, AppDbContext db,
        ExplosivesDesk desk, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayWrite(db.CurrentUser)) return TypedResults.Forbid();
        var (holder, existing, errors) = await desk.RegisterAsync(input, ct);
        if (holder is null) return errors.ToProblem();
        var view = (await desk.ListAsync(holder.Id, ct)).First();
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/explosives/holders/{holder.Id}", view);
    }

    public static async Task<Results<Ok<MovementBatchResult>, ValidationProblem, ForbidHttpResult>> Take(MovementBatch batch, AppDbContext db,
        MovementIntake intake, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayWrite(db.CurrentUser)) return TypedResults.Forbid();
        var (result, errors) = await intake.TakeAsync(batch, ct);
        return result is null ? errors.ToProblem() : TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<MovementUploadResult>, ValidationProblem, ForbidHttpResult>> Upload(IFormFile? file,
        [Microsoft.AspNetCore.Mvc.FromForm] string? holderId, AppDbContext db, MovementUpload upload, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayWrite(db.CurrentUser)) return TypedResults.Forbid();
        Guid? holder = null;
        if (!string.IsNullOrWhiteSpace(holderId))
        {
            if (!Guid.TryParse(holderId, out var h)) return new FieldErrors { ["holderId"] = ["单位编号格式不正确"] }.ToProblem();
            holder = h;
        }
        await using var stream = file?.OpenReadStream();
        var (result, errors) = await upload.UploadAsync(file?.FileName, stream, holder, ct);
        return result is null ? errors.ToProblem() : TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<List<MovementView>>, ForbidHttpResult>> Movements(Guid? holder, AppDbContext db, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayRead(db.CurrentUser)) return TypedResults.Forbid();
        return TypedResults.Ok(await MovementsAsync(db, holder, 1000, ct));
    }

    private static async Task<List<MovementView>> MovementsAsync(AppDbContext db, Guid? holder, int take, CancellationToken ct)
    {
        var query = db.Set<ExplosiveMovement>().AsNoTracking();
        if (holder is { } id) query = query.Where(m => m.HolderId == id);
        var rows = await query.OrderBy(m => m.Utc).ThenBy(m => m.Id).Take(take).ToListAsync(ct);
        var ids = rows.Where(r => r.Material == "detonator").Select(r => r.Id).ToList();
        var codes = await db.Set<ExplosiveDetonator>().AsNoTracking().Where(d => ids.Contains(d.MovementId)).GroupBy(d => d.MovementId)
            .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        return rows.ConvertAll(m => new MovementView(m.Id, m.HolderId, m.Kind, ExplosiveKinds.Movements[m.Kind], m.Material, ExplosiveKinds.Materials[m.Material],
            m.Quantity, ExplosiveKinds.Unit(m.Material), DateTime.SpecifyKind(m.Utc, DateTimeKind.Utc),
            m.ArrivalUtc is { } a ? DateTime.SpecifyKind(a, DateTimeKind.Utc) : null, m.RouteHours, m.Vehicle, m.Route, m.SiteDivisionCode, m.Site, m.ShotFirer,
            m.Crew, m.PermitNumber, codes.GetValueOrDefault(m.Id)));
    }

    public static async Task<Results<Ok<List<GapView>>, ForbidHttpResult>> Gaps(Guid? holder, AppDbContext db, GapDesk desk, CancellationToken ct) =>
        ExplosivesDesk.MayRead(db.CurrentUser) ? TypedResults.Ok(await desk.ListAsync(holder, ct)) : TypedResults.Forbid();

    public static async Task<Results<Ok<GapCheckView>, ForbidHttpResult>> Check(AppDbContext db, GapDesk desk, CancellationToken ct) =>
        ExplosivesDesk.MayWrite(db.CurrentUser) ? TypedResults.Ok(await desk.CheckAsync(ct)) : TypedResults.Forbid();

    public static async Task<Results<Ok<GapView>, ValidationProblem, NotFound, ForbidHttpResult>> Close(Guid id, GapCloseInput input, AppDbContext db, GapDesk desk,
        CancellationToken ct)
    {
        if (!ExplosivesDesk.MayWrite(db.CurrentUser)) return TypedResults.Forbid();
        var (gap, errors) = await desk.CloseAsync(id, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return gap is null ? TypedResults.NotFound() : TypedResults.Ok(gap);
    }

    public static readonly XlsxWriter.Column[] HistoryColumns =
    [
        new("时间", 20), new("类型", 10), new("物品", 10), new("数量", 10), new("单位", 6), new("结存（购买−使用−退回−销毁）", 16), new("作业地点", 24),
        new("爆破员", 10), new("车辆", 12), new("到达时间", 20), new("许可证号", 20), new("雷管发数", 10), new("记录编号", 38),
    ];

    /// <summary>A holder's movements in time order with the running stock per material (the balance over time), as Excel or CSV.</summary>
    public static async Task<Results<FileStreamHttpResult, ValidationProblem, NotFound, ForbidHttpResult>> History(Guid id, string? format, AppDbContext db,
        HttpContext http, CancellationToken ct)
    {
        if (!ExplosivesDesk.MayRead(db.CurrentUser)) return TypedResults.Forbid();
        var errors = new FieldErrors();
        var kind = ExportFormat.Parse(format, errors);
        if (!errors.Ok) return errors.ToProblem();
        if (await db.Set<ExplosiveHolder>().AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct) is not { } holder) return TypedResults.NotFound();
        var movements = await MovementsAsync(db, id, ListPaging.ExportLimit, ct);
        var stock = new Dictionary<string, double>();
        var rows = movements.ConvertAll(m =>
        {
            stock[m.Material] = stock.GetValueOrDefault(m.Material) + (ExplosiveMovement.Sign(m.Kind) * m.Quantity);
            return new object?[]
            {
                ChinaTime.Format(m.Utc), m.KindName, m.MaterialName, m.Quantity, m.Unit, Math.Round(stock[m.Material], 3), m.Site ?? m.SiteDivisionCode,
                m.ShotFirer, m.Vehicle, ChinaTime.Format(m.ArrivalUtc), m.PermitNumber, m.Codes == 0 ? null : m.Codes, m.Id.ToString(),
            };
        });
        var plan = ExportPlan.Of($"{holder.Name}流向记录", HistoryColumns, nameof(ExplosiveHolder), count => $"导出{holder.Name}流向记录 {count} 行", rows)
            with { EntityId = holder.Id.ToString(), DivisionCode = holder.DivisionCode };
        return await Export.FileAsync(http.RequestServices, plan, kind, ct);
    }
}
