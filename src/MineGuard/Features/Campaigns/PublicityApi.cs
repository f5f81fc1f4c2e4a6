using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

/// <summary>宣传 over HTTP (mapped by <see cref="CampaignsApi"/>): activities, their materials and the coverage of villages.</summary>
public static class PublicityApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/publicity").RequireAuthorization(Policies.Staff).WithTags("publicity");
        api.MapGet("/", List).WithSummary("宣传活动列表");
        api.MapPost("/", Record).RequireAuthorization(Policies.Writer).WithSummary("登记宣传活动（形式、地点、覆盖村与人数）");
        api.MapGet("/coverage", Coverage).WithSummary("矿区乡镇各村宣传覆盖情况（未覆盖的村）");
        api.MapGet("/{id:guid}", Get).WithSummary("宣传活动详情");
        api.MapPost("/{id:guid}/materials", AddMaterial).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(AssignmentDesk.MaxFileBytes + 64 * 1024)).WithSummary("上传宣传材料（照片或 PDF）");
        api.MapGet("/{id:guid}/materials/{fileId:guid}", Material).WithSummary("下载宣传材料");
    }

    public static async Task<Ok<List<PublicityView>>> List(PublicityDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.ListAsync(ct));

    public static async Task<Results<Ok<PublicityView>, NotFound>> Get(Guid id, PublicityDesk desk, CancellationToken ct) =>
        await desk.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Created<PublicityView>, Ok<PublicityView>, ValidationProblem, ForbidHttpResult>> Record(PublicityInput input,
        PublicityDesk desk, CancellationToken ct)
    {
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (a, existing, errors) = await desk.RecordAsync(input, ct);
        if (a is null) return errors.ToProblem();
        var view = (await desk.DetailAsync(a.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/publicity/{a.Id}", view);
    }

    public static async Task<Results<Ok<PublicityCoverageView>, ValidationProblem>> Coverage(string? county, PublicityDesk desk, CancellationToken ct)
    {
        var (view, errors) = await desk.CoverageAsync(county, ct);
        return view is null ? errors.ToProblem() : TypedResults.Ok(view);
    }

    public static async Task<Results<Created<MaterialView>, NotFound, ValidationProblem, ForbidHttpResult>> AddMaterial(Guid id, IFormFile? file,
        PublicityDesk desk, CancellationToken ct)
    {
        var a = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(desk.Visible, x => x.Id == id, ct);
        if (a is null) return TypedResults.NotFound();
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (f, errors) = await desk.AddMaterialAsync(a, file, ct);
        if (f is null) return errors.ToProblem();
        var view = PublicityDesk.Material(f);
        return TypedResults.Created(view.Url, view);
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> Material(Guid id, Guid fileId, PublicityDesk desk, AppDbContext db, CancellationToken ct)
    {
        if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(desk.Visible, x => x.Id == id, ct)) return TypedResults.NotFound();
        return await EvidenceFiles.SendAsync(db, PublicityActivity.FileSubject, id, fileId, ct);
    }
}
