using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns;

/// <summary>联合执法 and 联席会议 over HTTP (mapped by <see cref="CampaignsApi"/>).</summary>
public static class JointWorkApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/joint-operations").RequireAuthorization(Policies.Staff).WithTags("joint-operations");
        ops.MapGet("/", ListOperations).WithSummary("联合执法行动列表");
        ops.MapPost("/", RecordOperation).RequireAuthorization(Policies.Writer).WithSummary("登记联合执法行动（查扣可立案或转为线索）");
        ops.MapGet("/rule", Rule).WithSummary("各县“每 N 个月至少一次联合执法”的执行情况");
        ops.MapGet("/{id:guid}", GetOperation).WithSummary("联合执法行动详情");
        ops.MapPost("/{id:guid}/photos", AddPhoto).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Assignments.AssignmentDesk.MaxFileBytes + 64 * 1024))
            .WithSummary("上传联合执法现场照片（照片或 PDF）");
        ops.MapGet("/{id:guid}/photos/{fileId:guid}", Photo).WithSummary("下载联合执法现场照片");

        var meetings = app.MapGroup("/api/meetings").RequireAuthorization(Policies.Staff).WithTags("meetings");
        meetings.MapGet("/", ListMeetings).WithSummary("联席会议列表");
        meetings.MapPost("/", HoldMeeting).RequireAuthorization(Policies.Writer).WithSummary("登记联席会议及议定事项（转为督办事项）");
        meetings.MapGet("/{id:guid}", GetMeeting).WithSummary("联席会议详情及议定事项办理情况");
    }

    public static async Task<Ok<List<JointOperationView>>> ListOperations(JointOperationDesk desk, CancellationToken ct) =>
        TypedResults.Ok(await desk.ListAsync(ct));

    public static async Task<Ok<List<JointOperationRuleView>>> Rule(JointOperationDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.RuleAsync(ct));

    public static async Task<Results<Ok<JointOperationView>, NotFound>> GetOperation(Guid id, JointOperationDesk desk, CancellationToken ct) =>
        await desk.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Created<JointOperationView>, Ok<JointOperationView>, ValidationProblem, ForbidHttpResult>> RecordOperation(
        JointOperationInput input, JointOperationDesk desk, CancellationToken ct)
    {
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (o, existing, errors) = await desk.RecordAsync(input, ct);
        if (o is null) return errors.ToProblem();
        var view = (await desk.DetailAsync(o.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/joint-operations/{o.Id}", view);
    }

    public static async Task<Results<Created<MaterialView>, NotFound, ValidationProblem, ForbidHttpResult>> AddPhoto(Guid id, IFormFile? file,
        JointOperationDesk desk, Data.AppDbContext db, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } o) return TypedResults.NotFound();
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (f, errors) = await Assignments.AssignmentDesk.AddFileAsync(db, JointOperation.FileSubject, o.Id, o.DivisionCode, file, ct);
        if (f is null) return errors.ToProblem();
        var view = JointOperationDesk.Material(f, "joint-operations");
        return TypedResults.Created(view.Url, view);
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> Photo(Guid id, Guid fileId, JointOperationDesk desk, Data.AppDbContext db,
        CancellationToken ct) =>
        await desk.FindAsync(id, ct) is null ? TypedResults.NotFound() : await Assignments.EvidenceFiles.SendAsync(db, JointOperation.FileSubject, id, fileId, ct);

    public static async Task<Ok<List<MeetingView>>> ListMeetings(MeetingDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.ListAsync(ct));

    public static async Task<Results<Ok<MeetingView>, NotFound>> GetMeeting(Guid id, MeetingDesk desk, CancellationToken ct) =>
        await desk.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Created<MeetingView>, Ok<MeetingView>, ValidationProblem, ForbidHttpResult>> HoldMeeting(MeetingInput input,
        MeetingDesk desk, CancellationToken ct)
    {
        if (!desk.MayWrite) return TypedResults.Forbid();
        var (m, existing, errors) = await desk.HoldAsync(input, ct);
        if (m is null) return errors.ToProblem();
        var view = (await desk.DetailAsync(m.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/meetings/{m.Id}", view);
    }
}
