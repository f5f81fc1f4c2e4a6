using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Satellite;

/// <summary>
/// 卫片图斑 over HTTP: the province imports a batch (GeoJSON; per-feature refusals, the rest kept; a re-import stores
/// nothing twice) and sees its progress per county; counties list their patches with what they matched; the checker records
/// the finding; the province reviews. Outside the caller's scope or department is a 404.
/// </summary>
public sealed class SatelliteApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<SatelliteDesk>();
        services.AddScoped<PatchDesk>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/satellite").RequireAuthorization(Policies.Staff).WithTags("satellite");
        api.MapPost("/batches", Import).RequireAuthorization(Policies.Writer).WithSummary("导入卫片图斑批次（GeoJSON，重复导入不重复保存）");
        api.MapGet("/batches", Batches).WithSummary("卫片图斑批次及各县核查进度");
        api.MapGet("/batches/{id:guid}", Batch).WithSummary("卫片图斑批次详情及各县核查进度");
        api.MapGet("/patches", Patches).WithSummary("卫片图斑列表（含匹配的矿硐、矿区、历史图斑和线索）");
        api.MapGet("/patch-map", PatchMap).WithSummary("地图卫片图斑图层：视野内图斑按核查状态着色（bbox 为视野范围）");
        api.MapGet("/patches/{id:guid}", Patch).WithSummary("卫片图斑详情");
        api.MapPost("/patches/{id:guid}/finding", Finding).RequireAuthorization(Policies.Writer).WithSummary("填报图斑实地核查结论");
        api.MapPost("/patches/{id:guid}/review", Review).RequireAuthorization(Policies.Writer).WithSummary("省级复核图斑核查结论");
    }

    public static async Task<Results<Created<ImportView>, Ok<ImportView>, ValidationProblem, ForbidHttpResult>> Import(BatchInput input, SatelliteDesk desk,
        CancellationToken ct)
    {
        if (!desk.SeesPatches) return TypedResults.Forbid();
        var (view, existing, errors) = await desk.ImportAsync(input, ct);
        if (view is null) return errors.ToProblem();
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/satellite/batches/{view.Batch.Id}", view);
    }

    public static async Task<Ok<List<BatchView>>> Batches(SatelliteDesk desk, CancellationToken ct) =>
        TypedResults.Ok(desk.SeesPatches ? await desk.BatchesAsync(ct) : []);

    public static async Task<Results<Ok<BatchView>, NotFound>> Batch(Guid id, SatelliteDesk desk, CancellationToken ct) =>
        desk.SeesPatches && await desk.BatchAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<List<PatchView>>, ValidationProblem>> Patches(Guid? batch, string? state, string? relation, string? county,
        PatchDesk desk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var list = await desk.ListAsync(new PatchQuery(batch, state, relation, county), errors, ct);
        return errors.Ok ? TypedResults.Ok(list) : errors.ToProblem();
    }

    public static async Task<Results<Ok<PatchMapView>, ValidationProblem>> PatchMap(string? bbox, string? crs, PatchDesk desk, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var gcj = Adits.AditMapApi.ParseCrs(crs, errors);
        var box = Adits.AditMapApi.ParseBox(bbox, gcj, errors);
        if (!errors.Ok || box is null) return errors.ToProblem();
        return TypedResults.Ok(await desk.MapAsync(box, gcj, ct));
    }

    public static async Task<Results<Ok<PatchView>, NotFound>> Patch(Guid id, PatchDesk desk, CancellationToken ct) =>
        await desk.FindAsync(id, ct) is { } p ? TypedResults.Ok(await desk.ViewAsync(p, ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<PatchView>, ValidationProblem, NotFound>> Finding(Guid id, FindingInput input, PatchDesk desk, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } p) return TypedResults.NotFound();
        var (_, errors) = await desk.RecordAsync(p, input, ct);
        return errors.Ok ? TypedResults.Ok(await desk.ViewAsync(p, ct)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<PatchView>, ValidationProblem, NotFound, ForbidHttpResult>> Review(Guid id, ReviewInput input, PatchDesk desk,
        CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } p) return TypedResults.NotFound();
        if (!desk.IsProvince) return TypedResults.Forbid();
        var (_, errors) = await desk.ReviewAsync(p, input, ct);
        return errors.Ok ? TypedResults.Ok(await desk.ViewAsync(p, ct)) : errors.ToProblem();
    }
}
