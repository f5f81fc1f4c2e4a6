using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

/// <summary>
/// 专项行动 over HTTP: the campaigns of the caller's scope and the plans above it, creating or adopting one, its plan
/// document, tasks per phase, phase reports and the progress rolled up over the levels that adopted it.
/// </summary>
public sealed class CampaignsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<CampaignDesk>();
        services.AddScoped<JointOperationDesk>();
        services.AddScoped<MeetingDesk>();
        services.AddScoped<PublicityDesk>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns").RequireAuthorization(Policies.Staff).WithTags("campaigns");
        api.MapGet("/", List).WithSummary("专项行动列表（本级及可承接的上级方案）");
        api.MapPost("/", Create).RequireAuthorization(Policies.Writer).WithSummary("制定或承接专项行动");
        api.MapGet("/{id:guid}", Get).WithSummary("专项行动详情（阶段与任务）");
        api.MapGet("/{id:guid}/progress", Progress).WithSummary("专项行动进度：各地各阶段报送情况与逾期任务");
        api.MapPost("/{id:guid}/plan", Plan).RequireAuthorization(Policies.Writer).DisableAntiforgery().WithMetadata(UploadLimit)
            .WithSummary("上传本级实施方案");
        api.MapPost("/{id:guid}/tasks", AddTask).RequireAuthorization(Policies.Writer).WithSummary("为阶段分派任务");
        api.MapPost("/{id:guid}/phases/{phaseId:guid}/report", Report).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithMetadata(UploadLimit).WithSummary("报送阶段报告（文件与数据）");
        JointWorkApi.Map(app);
        PublicityApi.Map(app);
    }

    public static async Task<Ok<List<CampaignView>>> List(CampaignDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.ListAsync(ct));

    public static async Task<Results<Created<CampaignView>, Ok<CampaignView>, ValidationProblem, ForbidHttpResult>> Create(CampaignInput input,
        CampaignDesk desk, CancellationToken ct)
    {
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (c, existing, errors) = await desk.CreateAsync(input, ct);
        if (c is null) return errors.ToProblem();
        var view = (await desk.DetailAsync(c.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/campaigns/{c.Id}", view);
    }

    public static async Task<Results<Ok<CampaignView>, NotFound>> Get(Guid id, CampaignDesk desk, CancellationToken ct) =>
        await desk.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<CampaignProgressView>, NotFound>> Progress(Guid id, CampaignDesk desk, CancellationToken ct) =>
        await desk.ProgressAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<CampaignView>, NotFound, ValidationProblem, ForbidHttpResult>> Plan(Guid id, IFormFile? file, CampaignDesk desk,
        CancellationToken ct)
    {
        if (await desk.OwnAsync(id, ct) is not { } c) return TypedResults.NotFound();
        if (!desk.MayWrite) return TypedResults.Forbid();
        var errors = await desk.AttachPlanAsync(c, file, ct);
        return errors.Ok ? TypedResults.Ok((await desk.DetailAsync(id, ct))!) : errors.ToProblem();
    }

    public static async Task<Results<Created<CampaignTaskView>, Ok<CampaignTaskView>, NotFound, ValidationProblem, ForbidHttpResult>> AddTask(Guid id,
        CampaignTaskInput input, CampaignDesk desk, CancellationToken ct)
    {
        if (await desk.OwnAsync(id, ct) is not { } c) return TypedResults.NotFound();
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (task, existing, errors) = await desk.AddTaskAsync(c, input, ct);
        if (task is null) return errors.ToProblem();
        var view = new CampaignTaskView(task.Id, task.PhaseId, task.DivisionCode, task.DepartmentCode, task.Title, task.DueOn, task.AssignmentId);
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/campaigns/{id}", view);
    }

    public static async Task<Results<Created<CampaignReportView>, Ok<CampaignReportView>, NotFound, ValidationProblem, ForbidHttpResult>> Report(Guid id,
        Guid phaseId, [FromForm] PhaseReportForm form, IFormFile? file, CampaignDesk desk, [FromServices] Supervision.StageReportDesk stageReports, [FromServices] IConfiguration config,
        CancellationToken ct)
    {
        if (await desk.OwnAsync(id, ct) is not { } c) return TypedResults.NotFound();
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (report, existing, errors) = await desk.ReportAsync(c, phaseId, form, file, stageReports, Platform.Pdf.PdfFonts.Find(config), ct);
        if (report is null) return errors.Ok ? TypedResults.NotFound() : errors.ToProblem();
        var view = CampaignDesk.View(report);
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/campaigns/{id}", view);
    }

    private static readonly RequestSizeLimitAttribute UploadLimit = new(Assignments.AssignmentDesk.MaxFileBytes + 64 * 1024);
}
