using MineGuard.Platform.Files;
using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Data;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Satellite;

/// <summary>A photo kept with a finding: where to fetch it (the check's evidence).</summary>
public sealed record PhotoStored(Guid Id, string FileName, string Url);

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
        services.AddScoped<Monitoring.IIngestedEvents, SatelliteChangeEvents>();
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
        api.MapGet("/my-patches", MyPatches).WithSummary("我负责实地核查的卫片图斑（外勤应用下载后离线使用）");
        api.MapPut("/findings/{id:guid}", PutFinding).RequireAuthorization(Policies.Writer)
            .WithSummary("外勤应用上传图斑实地核查结论（手机生成编号，重复上传只保存一次，附到位核验）");
        api.MapPut("/findings/{id:guid}/photos/{photoId:guid}", PutPhoto).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithSummary("外勤应用上传图斑核查现场照片（随核查结论离线拍摄，重复上传只保存一次）")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Assignments.AssignmentDesk.MaxFileBytes + 64 * 1024));
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

    public static async Task<Ok<List<PatchView>>> MyPatches(PatchDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.MineToCheckAsync(ct));

    public static async Task<Results<Created<PatchView>, Ok<PatchView>, ValidationProblem, NotFound>> PutFinding(Guid id, FieldFindingInput input, PatchDesk desk,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (patch, created, errors) = await desk.SyncAsync(id, input, FieldDevice.Skew(http, db.Clock.GetUtcNow()), ct);
        if (!errors.Ok) return errors.ToProblem();
        if (patch is null) return TypedResults.NotFound();
        var view = await desk.ViewAsync(patch, ct);
        return created ? TypedResults.Created($"/api/satellite/patches/{patch.Id}", view) : TypedResults.Ok(view);
    }

    public static async Task<Results<Created<PhotoStored>, Ok<PhotoStored>, ValidationProblem, NotFound>> PutPhoto(Guid id, Guid photoId, HttpRequest request,
        PatchDesk desk, CancellationToken ct)
    {
        var (file, created, errors) = await desk.AddPhotoAsync(id, photoId, await UploadBytes.ReadAsync(request, ct), ct);
        if (!errors.Ok) return errors.ToProblem();
        if (file is null) return TypedResults.NotFound();
        var view = new PhotoStored(file.Id, file.FileName, $"/api/assignments/{file.SubjectId}/files/{file.Id}");
        return created ? TypedResults.Created(view.Url, view) : TypedResults.Ok(view);
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
