using MineGuard.Platform.Files;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

/// <summary>
/// 排查行动 over HTTP: create (office), list, the sweep with its coverage by area, and the checklist templates (the
/// built-in eight checks and the offices' own).
/// </summary>
public sealed class SweepsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<SweepDesk>();
        services.AddScoped<InspectionDesk>();
        services.AddScoped<ProblemLedger>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").RequireAuthorization(Policies.Staff).WithTags("sweeps");
        api.MapGet("/", List).WithSummary("排查行动列表（q 为关键字，kind 为类型，p 为页码）");
        api.MapGet("/templates", Templates).WithSummary("检查表模板（默认八查及本级和上级自定义的模板）");
        api.MapPost("/templates", CreateTemplate).RequireAuthorization(Policies.Office).WithSummary("新增检查表模板");
        api.MapGet("/{id:guid}", Get).WithSummary("排查行动详情及各区域排查进度（未上报的区域逐一列出）");
        api.MapPost("/", Create).RequireAuthorization(Policies.Office).WithSummary("新建排查行动或回头看（同一 clientId 的请求只保存一次）");

        InspectionsApi.Map(app);
        RectificationsApi.Map(app);
    }

    public static async Task<Results<Ok<List<SweepSummary>>, ValidationProblem>> List(string? q, string? kind, SweepDesk desk, CancellationToken ct, int? p = null)
    {
        var (query, errors) = desk.Filter(q, kind);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, desk.SummariesAsync, ct, 500)).Items.ToList());
    }

    public static async Task<Results<Ok<SweepView>, NotFound>> Get(Guid id, SweepDesk desk, CancellationToken ct) =>
        await desk.FindAsync(id, ct) is { } s ? TypedResults.Ok(await desk.ViewAsync(s, ct)) : TypedResults.NotFound();

    public static async Task<Results<Created<SweepView>, Ok<SweepView>, ValidationProblem>> Create(SweepInput input, SweepDesk desk, CancellationToken ct)
    {
        var (s, existing, errors) = await desk.CreateAsync(input, ct);
        if (s is null) return errors.ToProblem();
        var view = await desk.ViewAsync(s, ct);
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/sweeps/{s.Id}", view);
    }

    public static async Task<Ok<List<ChecklistView>>> Templates(SweepDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.TemplatesAsync(ct));

    public static async Task<Results<Created<ChecklistView>, ValidationProblem>> CreateTemplate(TemplateInput input, SweepDesk desk, CancellationToken ct)
    {
        var (t, errors) = await desk.CreateTemplateAsync(input, ct);
        if (t is null) return errors.ToProblem();
        return TypedResults.Created($"/api/sweeps/templates/{t.Id}", Checklists.View(t));
    }
}

/// <summary>检查记录 over HTTP: record (idempotent by the client's id), list, detail, photos.</summary>
public static class InspectionsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/inspections").RequireAuthorization(Policies.Staff).WithTags("inspections");
        api.MapGet("/", List).WithSummary("检查记录列表（sweepId 为排查行动，q 为关键字，p 为页码）");
        api.MapGet("/{id:guid}", Get).WithSummary("检查记录详情（检查项、照片、发现的问题）");
        api.MapGet("/{id:guid}/photos/{fileId:guid}", Photo).WithSummary("检查记录的照片");
        api.MapPost("/", Create).RequireAuthorization(Policies.Writer)
            .WithSummary("提交检查记录及发现的问题（同一 id 重复提交只存一次，内容不同则拒收；盗采线索转为线索）");
        api.MapPut("/{id:guid}", Put).RequireAuthorization(Policies.Writer)
            .WithSummary("巡查APP离线提交检查记录（id 为手机生成的编号，与签到同样：重复发送只存一次，内容不同则拒收）");
        api.MapPost("/{id:guid}/photos", AddPhoto).RequireAuthorization(Policies.Writer).DisableAntiforgery().WithSummary("上传检查照片")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AssignmentDesk.MaxFileBytes + 64 * 1024));
        api.MapPut("/{id:guid}/photos/{photoId:guid}", PutPhoto).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithSummary("巡查APP离线拍摄的检查照片（照片原始内容；photoId 为手机生成的编号，重复发送只存一次；检查记录未到时返回 404）")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AssignmentDesk.MaxFileBytes + 64 * 1024));
    }

    public static async Task<Results<Ok<List<InspectionView>>, ValidationProblem>> List(Guid? sweepId, string? q, InspectionDesk desk, CancellationToken ct, int? p = null)
    {
        var (query, errors) = desk.Filter(sweepId, q);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, desk.ViewsAsync, ct, 200)).Items.ToList());
    }

    public static async Task<Results<Ok<InspectionView>, NotFound>> Get(Guid id, InspectionDesk desk, CancellationToken ct) =>
        await desk.Visible.FirstOrDefaultAsync(i => i.Id == id, ct) is { } i
            ? TypedResults.Ok((await desk.ViewsAsync([i], ct))[0])
            : TypedResults.NotFound();

    public static async Task<Results<Created<InspectionView>, Ok<InspectionView>, ValidationProblem>> Create(InspectionInput input, InspectionDesk desk, CancellationToken ct)
    {
        var (i, outcome, errors) = await desk.CreateAsync(input, ct);
        if (i is null) return errors.ToProblem();
        var view = (await desk.ViewsAsync([i], ct))[0];
        return outcome == InspectionDesk.Outcome.Duplicate ? TypedResults.Ok(view) : TypedResults.Created($"/api/inspections/{i.Id}", view);
    }

    /// <summary>
    /// The field app's outbox sends every record with PUT to its own address (as check-ins): the id in the address is the
    /// record's; one in the body must be the same.
    /// </summary>
    public static async Task<Results<Created<InspectionView>, Ok<InspectionView>, ValidationProblem>> Put(Guid id, InspectionInput input, InspectionDesk desk,
        CancellationToken ct)
    {
        if (id == Guid.Empty) return new FieldErrors { ["id"] = ["检查记录编号不能为空"] }.ToProblem();
        if (input.Id is { } given && given != id) return new FieldErrors { ["id"] = ["请求体中的编号与地址中的编号不一致"] }.ToProblem();
        return await Create(input with { Id = id }, desk, ct);
    }

    public static async Task<Results<Created<PhotoView>, NotFound, ValidationProblem>> AddPhoto(Guid id, IFormFile? file, InspectionDesk desk,
        MineGuard.Data.AppDbContext db, CancellationToken ct)
    {
        var i = await desk.Visible.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return TypedResults.NotFound();
        var (e, errors) = await AssignmentDesk.AddFileAsync(db, Inspection.FileSubject, i.Id, i.DivisionCode, file, ct);
        if (e is null) return errors.ToProblem();
        var url = $"/api/inspections/{id}/photos/{e.Id}";
        return TypedResults.Created(url, new PhotoView(e.Id, e.FileName, url));
    }

    /// <summary>
    /// A photo taken with an offline inspection, queued in the field app's one outbox after the inspection and sent as its
    /// raw bytes under the phone's id: kept as the inspection's evidence, once however often (or however concurrently) it
    /// is sent. 404 while the inspection has not arrived (the outbox keeps the photo and tries again).
    /// </summary>
    public static async Task<Results<Created<PhotoView>, Ok<PhotoView>, NotFound, ValidationProblem>> PutPhoto(Guid id, Guid photoId, HttpRequest request,
        InspectionDesk desk, MineGuard.Data.AppDbContext db, CancellationToken ct)
    {
        var i = await desk.Visible.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return TypedResults.NotFound();
        if (photoId == Guid.Empty) return new FieldErrors { ["photoId"] = ["照片编号不能为空"] }.ToProblem();
        var bytes = await UploadBytes.ReadAsync(request, ct);
        var (e, created, errors) = await AssignmentDesk.AddOnceAsync(db, Inspection.FileSubject, i.Id, i.DivisionCode, photoId, bytes, "检查照片", ct);
        if (e is null) return errors.ToProblem();
        var url = $"/api/inspections/{id}/photos/{e.Id}";
        return created ? TypedResults.Created(url, new PhotoView(e.Id, e.FileName, url)) : TypedResults.Ok(new PhotoView(e.Id, e.FileName, url));
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> Photo(Guid id, Guid fileId, InspectionDesk desk, MineGuard.Data.AppDbContext db,
        CancellationToken ct)
    {
        if (!await desk.Visible.AnyAsync(x => x.Id == id, ct)) return TypedResults.NotFound();
        return await EvidenceFiles.SendAsync(db, Inspection.FileSubject, id, fileId, ct);
    }
}
