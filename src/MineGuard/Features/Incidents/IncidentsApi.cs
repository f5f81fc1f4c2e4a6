using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Incidents;

/// <summary>
/// 事件/事故 and 安全警示 over HTTP (issue 19): record an incident at an adit with its timeline, people, losses, causes and
/// accountability; read it with the signals that came before it; replace its timeline; print its summary; issue a safety
/// notice to villages and persons by SMS and print its poster. Everything is read through the jurisdiction filters.
/// </summary>
public sealed class IncidentsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<IncidentDesk>();
        services.AddScoped<IncidentQueries>();
        services.AddScoped<SafetyNoticeDesk>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents").RequireAuthorization(Policies.Staff).WithTags("incidents");
        api.MapGet("/", List).WithSummary("事件事故列表");
        api.MapPost("/", Record).RequireAuthorization(Policies.Office).WithSummary("登记事件事故（经过、伤亡、损失、原因、责任追究）");
        api.MapGet("/{id:guid}", Get).WithSummary("事件事故详情及事发前的线索、预警、巡查和举报");
        api.MapPut("/{id:guid}/timeline", Timeline).RequireAuthorization(Policies.Office).WithSummary("更新事件经过（含上报记录）");
        api.MapGet("/{id:guid}/summary.pdf", IncidentDocuments.Summary).WithSummary("打印事件概况（PDF）");

        var notices = app.MapGroup("/api/safety-notices").RequireAuthorization(Policies.Staff).WithTags("safety-notices");
        notices.MapGet("/", Notices).WithSummary("安全警示列表");
        notices.MapPost("/", Issue).RequireAuthorization(Policies.Office).WithSummary("向村和人员发布安全警示（短信）");
        notices.MapGet("/{id:guid}", Notice).WithSummary("安全警示详情及短信送达情况");
        notices.MapGet("/{id:guid}/poster.pdf", IncidentDocuments.Poster).WithSummary("打印安全警示海报（PDF，含举报电话）");
    }

    public static async Task<Ok<List<IncidentListItem>>> List(IncidentQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(ct));

    public static async Task<Results<Created<IncidentView>, Ok<IncidentView>, ValidationProblem>> Record(IncidentInput input, IncidentDesk desk,
        IncidentQueries queries, CancellationToken ct)
    {
        var (incident, existing, errors) = await desk.RecordAsync(input, isDemo: false, ct);
        if (incident is null) return errors.ToProblem();
        var view = (await queries.DetailAsync(incident.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/incidents/{incident.Id}", view);
    }

    public static async Task<Results<Ok<IncidentView>, NotFound>> Get(Guid id, IncidentQueries queries, CancellationToken ct) =>
        await queries.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<IncidentView>, ValidationProblem, NotFound>> Timeline(Guid id, TimelineInput input, IncidentDesk desk,
        IncidentQueries queries, CancellationToken ct)
    {
        var incident = await desk.FindAsync(id, ct);
        if (incident is null) return TypedResults.NotFound();
        var errors = await desk.ReplaceTimelineAsync(incident, input, ct);
        return errors.Ok ? TypedResults.Ok((await queries.DetailAsync(id, ct))!) : errors.ToProblem();
    }

    public static async Task<Ok<List<SafetyNoticeView>>> Notices(SafetyNoticeDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.ListAsync(ct));

    public static async Task<Results<Created<SafetyNoticeView>, Ok<SafetyNoticeView>, ValidationProblem>> Issue(SafetyNoticeInput input,
        SafetyNoticeDesk desk, CancellationToken ct)
    {
        var (notice, existing, errors) = await desk.IssueAsync(input, isDemo: false, ct);
        if (notice is null) return errors.ToProblem();
        var view = (await desk.DetailAsync(notice.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/safety-notices/{notice.Id}", view);
    }

    public static async Task<Results<Ok<SafetyNoticeView>, NotFound>> Notice(Guid id, SafetyNoticeDesk desk, CancellationToken ct) =>
        await desk.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
}
