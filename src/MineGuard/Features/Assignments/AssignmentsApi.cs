using MineGuard.Platform.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Assignments;

/// <summary>
/// 督办事项 over HTTP: the list in scope (by status, kind), the caller's own (by deadline, wherever filed), the office's
/// overdue list, detail, creation, completion, verification by a second person, reopening and evidence files.
/// The old follow-up URLs (/follow-ups, /api/follow-ups) point here (<see cref="FollowUpsMoved"/>).
/// </summary>
public sealed class AssignmentsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<AssignmentDesk>();
        services.AddScoped<IEscalation, AssignmentEscalation>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/assignments").RequireAuthorization(Policies.Staff).WithTags("assignments");
        api.MapGet("/", List).WithSummary("督办事项列表（q 为关键字，p 为页码，每页 500 项）");
        api.MapExport("/export.xlsx", Export, "导出督办事项列表");
        api.MapGet("/mine", Mine).WithSummary("交给我的督办事项");
        api.MapGet("/overdue", Overdue).WithSummary("逾期的督办事项");
        api.MapGet("/{id:guid}", Get).WithSummary("督办事项详情");
        api.MapGet("/{id:guid}/files/{fileId:guid}", File).WithSummary("督办事项的佐证材料");
        api.MapPost("/", Create).RequireAuthorization(Policies.Writer).WithSummary("新建督办事项");
        api.MapPost("/{id:guid}/complete", (Guid id, CompleteInput input, AssignmentDesk d, CancellationToken ct) => Act(id, d, (a, x) => d.CompleteAsync(a, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("报告督办事项已完成");
        api.MapPost("/{id:guid}/verify", (Guid id, VerifyAssignmentInput input, AssignmentDesk d, CancellationToken ct) => Act(id, d, (a, x) => d.VerifyAsync(a, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("核验督办事项（须另一人）");
        api.MapPost("/{id:guid}/reopen", (Guid id, ReopenInput input, AssignmentDesk d, CancellationToken ct) => Act(id, d, (a, x) => d.ReopenAsync(a, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("重新打开督办事项");
        api.MapPost("/{id:guid}/files", AddFile).RequireAuthorization(Policies.Writer).DisableAntiforgery().WithSummary("上传督办事项佐证材料")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AssignmentDesk.MaxFileBytes + 64 * 1024));
    }

    public static async Task<Results<Ok<List<AssignmentView>>, ValidationProblem>> List(string? status, string? kind, AssignmentDesk desk, CancellationToken ct,
        string? q = null, int? p = null, bool? overdue = null, string? division = null, string? from = null, string? to = null)
    {
        var (query, errors) = Filter(desk, status, kind, overdue == true, q, division, from, to);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, desk.ViewsAsync, ct, 500)).Items.ToList());
    }

    /// <summary>
    /// The caller's assignments with the list's filters (status, kind, only overdue, keyword in title, detail and
    /// responsible unit, division, days created), in the list's order; the page, the API, the export and the supervision
    /// dashboard's links share it.
    /// </summary>
    public static (IOrderedQueryable<Assignment>? Query, FieldErrors Errors) Filter(AssignmentDesk desk, string? status, string? kind, bool overdue, string? q,
        string? division = null, string? from = null, string? to = null)
    {
        var errors = new FieldErrors();
        var query = desk.Visible.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(division)) query = query.Within(JurisdictionScope.Of(division.Trim()), a => a.DivisionCode);
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(from, to, "交办", errors.Add);
        if (fromUtc is { } start) query = query.Where(a => a.CreatedUtc >= start);
        if (toUtc is { } end) query = query.Where(a => a.CreatedUtc < end);
        var today = desk.Today;
        switch (overdue ? "open" : status)
        {
            case null or "" or "open": query = query.Where(a => a.Status == AssignmentStatus.Open); break;
            case "completed": query = query.Where(a => a.Status == AssignmentStatus.Completed); break;
            case "closed": query = query.Where(a => a.Status == AssignmentStatus.Closed); break;
            case "all": break;
            default: errors.Add("status", "状态只能是 open（办理中）、completed（待验收）、closed（已销号）或 all"); break;
        }
        if (kind is { Length: > 0 } && !AssignmentKinds.Names.ContainsKey(kind)) errors.Add("kind", "事项类型不存在");
        if (ListPaging.Keyword(q, errors) is { } text)
            query = query.Where(a => a.Title.Contains(text) || (a.Detail != null && a.Detail.Contains(text)) || (a.ResponsibleUnit != null && a.ResponsibleUnit.Contains(text)));
        if (!errors.Ok) return (null, errors);
        if (kind is { Length: > 0 }) query = query.Where(a => a.Kind == kind);
        if (overdue) return (query.Where(a => a.DueOn < today).OrderBy(a => a.DueOn).ThenBy(a => a.Id), errors);
        return (query.OrderBy(a => a.Status).ThenBy(a => a.DueOn).ThenByDescending(a => a.CreatedUtc).ThenBy(a => a.Id), errors);
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> ExportColumns =
    [
        new("事项", 30), new("类型", 12), new("区划", 14), new("矿硐编号", 16), new("责任单位", 18), new("责任人", 12), new("期限", 12),
        new("是否逾期", 8), new("状态", 10), new("整改措施", 30), new("销号意见", 30),
    ];

    /// <summary>The filtered list, all pages, to Excel.</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(string? status, string? kind, bool? overdue, string? q, string? format,
        AssignmentDesk desk, HttpContext http, CancellationToken ct, string? division = null, string? from = null, string? to = null)
    {
        var (query, errors) = Filter(desk, status, kind, overdue == true, q, division, from, to);
        if (query is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "督办事项", ExportColumns, nameof(Assignment), q?.Trim(), services =>
        {
            var desk = services.GetRequiredService<AssignmentDesk>();
            return new ListRows<Assignment>(Filter(desk, status, kind, overdue == true, q, division, from, to).Query!, async (list, token) => (await desk.ViewsAsync(list, token))
                .Select(a => new object?[] { a.Title, a.KindName, a.DivisionName, a.AditNumber, a.ResponsibleUnit, a.ResponsibleName, a.DueOn?.ToString("yyyy-MM-dd"),
                    a.Overdue ? "是" : "否", a.StatusName, a.Measures, a.Resolution }));
        }, ct);
    }

    /// <summary>The caller's open and completed assignments, by deadline: given to their account or their person records.</summary>
    public static async Task<Ok<List<AssignmentView>>> Mine(AssignmentDesk desk, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await MineAsync(desk, db, ct));

    public static async Task<List<AssignmentView>> MineAsync(AssignmentDesk desk, AppDbContext db, CancellationToken ct)
    {
        if (db.CurrentUser.Id is not { } me) return [];
        var rows = await (await desk.GivenToAsync(me, ct)).AsNoTracking().Where(a => a.Status != AssignmentStatus.Closed)
            .OrderBy(a => a.DueOn).Take(500).ToListAsync(ct);
        return await desk.ViewsAsync(rows, ct);
    }

    /// <summary>Everything open and past its deadline in the caller's scope (the office's overdue list).</summary>
    public static async Task<Ok<List<AssignmentView>>> Overdue(AssignmentDesk desk, CancellationToken ct)
    {
        var today = desk.Today;
        var rows = await desk.Visible.AsNoTracking().Where(a => a.Status == AssignmentStatus.Open && a.DueOn < today)
            .OrderBy(a => a.DueOn).Take(500).ToListAsync(ct);
        return TypedResults.Ok(await desk.ViewsAsync(rows, ct));
    }

    public static async Task<Results<Ok<AssignmentView>, NotFound>> Get(Guid id, AssignmentDesk desk, CancellationToken ct)
    {
        var a = await desk.FindAsync(id, ct);
        return a is null ? TypedResults.NotFound() : TypedResults.Ok((await desk.ViewsAsync([a], ct))[0]);
    }

    public static async Task<Results<Created<AssignmentView>, ValidationProblem>> Create(AssignmentInput input, AssignmentDesk desk, CancellationToken ct)
    {
        var (a, errors) = await desk.CreateAsync(input, ct);
        if (a is null) return errors.ToProblem();
        return TypedResults.Created($"/api/assignments/{a.Id}", (await desk.ViewsAsync([a], ct))[0]);
    }

    private static async Task<Results<Ok<AssignmentView>, NotFound, ValidationProblem>> Act(Guid id, AssignmentDesk desk,
        Func<Assignment, CancellationToken, Task<FieldErrors>> action, CancellationToken ct)
    {
        var a = await desk.FindAsync(id, ct);
        if (a is null) return TypedResults.NotFound();
        var errors = await action(a, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await desk.ViewsAsync([a], ct))[0]);
    }

    public static async Task<Results<Created<EvidenceView>, NotFound, ValidationProblem>> AddFile(Guid id, IFormFile? file, AssignmentDesk desk,
        AppDbContext db, CancellationToken ct)
    {
        var a = await desk.FindAsync(id, ct);
        if (a is null) return TypedResults.NotFound();
        var (e, errors) = await AssignmentDesk.AddFileAsync(db, Assignment.ClockSubject, a.Id, a.DivisionCode, file, ct);
        if (e is null) return errors.ToProblem();
        var url = $"/api/assignments/{id}/files/{e.Id}";
        return TypedResults.Created(url, new EvidenceView(e.Id, e.FileName, e.ContentType, e.AddedUtc, url));
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> File(Guid id, Guid fileId, AssignmentDesk desk, AppDbContext db, CancellationToken ct)
    {
        var a = await desk.FindAsync(id, ct);
        if (a is null) return TypedResults.NotFound();
        return await EvidenceFiles.SendAsync(db, Assignment.ClockSubject, id, fileId, ct);
    }
}

public static class EvidenceFiles
{
    /// <summary>Sends an evidence file of a subject the caller was already found to see.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> SendAsync(AppDbContext db, string subjectType, Guid subjectId, Guid fileId,
        CancellationToken ct)
    {
        var f = await db.Set<EvidenceFile>().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking()
            .FirstOrDefaultAsync(x => x.Id == fileId && x.SubjectType == subjectType && x.SubjectId == subjectId, ct);
        if (f is null) return TypedResults.NotFound();
        var bytes = await db.Set<StoredFile>().Where(s => s.Id == f.StoredFileId).Select(s => s.Content).FirstAsync(ct);
        return TypedResults.File(bytes, f.ContentType, f.FileName);
    }
}
