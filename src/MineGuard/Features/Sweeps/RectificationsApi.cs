using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps;

/// <summary>
/// 问题台账 and 整改台账 over HTTP: the two ledgers (filters, pages, the upward Excel layout), a problem made a
/// rectification item, and the item's evidence, completion, 销号 by a second person and reopening (thin wrappers of the
/// assignments' own steps: the item is an assignment and shows under /assignments too).
/// </summary>
public static class RectificationsApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/rectifications").RequireAuthorization(Policies.Staff).WithTags("rectifications");
        api.MapGet("/", (string? status, Guid? sweepId, string? q, int? p, ProblemLedger l, CancellationToken ct) => List(true, status, sweepId, q, p, l, ct))
            .WithSummary("整改台账（status 为状态，sweepId 为排查行动，q 为关键字，p 为页码）");
        api.MapGet("/problems", (string? status, Guid? sweepId, string? q, int? p, ProblemLedger l, CancellationToken ct) => List(false, status, sweepId, q, p, l, ct))
            .WithSummary("问题台账（status 为状态，sweepId 为排查行动，q 为关键字，p 为页码）");
        api.MapExport("/export.xlsx", Export, "导出问题台账或整改台账（ledger=problems 或 rectifications，上报格式）");
        api.MapGet("/problems/{id:guid}", Get).WithSummary("问题详情及其整改情况");
        api.MapPost("/", Rectify).RequireAuthorization(Policies.Office).WithSummary("将问题列入整改台账（整改要求、责任单位、责任人、整改时限、整改措施）");
        api.MapPost("/{problemId:guid}/files", AddFile).RequireAuthorization(Policies.Writer).DisableAntiforgery().WithSummary("上传整改佐证材料")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AssignmentDesk.MaxFileBytes + 64 * 1024));
        api.MapPost("/{problemId:guid}/complete", (Guid problemId, CompleteInput input, ProblemLedger l, CancellationToken ct) =>
            Act(problemId, l, (p, a, x) => l.CompleteAsync(a, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("报告整改完成（须先上传佐证材料）");
        api.MapPost("/{problemId:guid}/verify", (Guid problemId, VerifyAssignmentInput input, ProblemLedger l, CancellationToken ct) =>
            Act(problemId, l, (p, a, x) => l.VerifyAsync(a, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("验收销号（须由完成人以外的另一人）");
        api.MapPost("/{problemId:guid}/reopen", (Guid problemId, ReopenInput input, ProblemLedger l, CancellationToken ct) =>
            Act(problemId, l, (p, a, x) => l.ReopenAsync(p, a, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("重新整改（销号后重新打开计为反弹）");
    }

    private static async Task<Results<Ok<List<ProblemView>>, ValidationProblem>> List(bool rectifications, string? status, Guid? sweepId, string? q, int? p,
        ProblemLedger ledger, CancellationToken ct)
    {
        var (query, errors) = ledger.Filter(rectifications, status, sweepId, q);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, ledger.ViewsAsync, ct, 500)).Items.ToList());
    }

    public static async Task<Results<Ok<ProblemView>, NotFound>> Get(Guid id, ProblemLedger ledger, CancellationToken ct) =>
        await ledger.FindAsync(id, ct) is { } p ? TypedResults.Ok((await ledger.ViewsAsync([p], ct))[0]) : TypedResults.NotFound();

    public static async Task<Results<Created<ProblemView>, NotFound, ValidationProblem>> Rectify(RectifyInput input, ProblemLedger ledger, CancellationToken ct)
    {
        if (input.ProblemId is not { } id) return new FieldErrors { ["problemId"] = ["请选择要整改的问题"] }.ToProblem();
        var p = await ledger.FindAsync(id, ct);
        if (p is null) return TypedResults.NotFound();
        var errors = await ledger.RectifyAsync(p, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Created($"/api/rectifications/problems/{p.Id}", (await ledger.ViewsAsync([p], ct))[0]);
    }

    private static async Task<Results<Ok<ProblemView>, NotFound, ValidationProblem>> Act(Guid problemId, ProblemLedger ledger,
        Func<Problem, Assignment, CancellationToken, Task<FieldErrors>> step, CancellationToken ct)
    {
        var p = await ledger.FindAsync(problemId, ct);
        if (p is null || await ledger.ItemAsync(p, ct) is not { } item) return TypedResults.NotFound();
        var errors = await step(p, item, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await ledger.ViewsAsync([p], ct))[0]);
    }

    public static async Task<Results<Created<EvidenceView>, NotFound, ValidationProblem>> AddFile(Guid problemId, IFormFile? file, ProblemLedger ledger,
        MineGuard.Data.AppDbContext db, CancellationToken ct)
    {
        var p = await ledger.FindAsync(problemId, ct);
        if (p is null || await ledger.ItemAsync(p, ct) is not { } item) return TypedResults.NotFound();
        var (e, errors) = await AssignmentDesk.AddFileAsync(db, Assignment.ClockSubject, item.Id, item.DivisionCode, file, ct);
        if (e is null) return errors.ToProblem();
        var url = $"/api/assignments/{item.Id}/files/{e.Id}";
        return TypedResults.Created(url, new EvidenceView(e.Id, e.FileName, e.ContentType, e.AddedUtc, url));
    }

    /// <summary>The layout offices send upward: one row per problem.</summary>
    public static readonly IReadOnlyList<XlsxWriter.Column> LedgerColumns =
    [
        new("序号", 6), new("问题描述", 40), new("所在位置", 24), new("发现时间", 18), new("发现人", 16), new("整改措施", 30), new("责任单位", 18),
        new("责任人", 10), new("整改时限", 12), new("完成情况", 30), new("验收人", 10), new("销号时间", 18),
    ];

    /// <summary>One ledger row's cells (序号 is the row's place in the export).</summary>
    public static object?[] Cells(int n, ProblemView p) =>
    [
        n, p.Description, p.Place, ChinaTime.Format(p.FoundUtc)[..16], p.SignerName == p.FoundByName ? p.FoundByName : $"{p.FoundByName}（签字人 {p.SignerName}）",
        p.Measures ?? p.Requirement, p.ResponsibleUnit, p.ResponsibleName, p.DueOn, p.Completion is null ? p.StatusName : $"{p.StatusName}：{p.Completion}",
        p.VerifierName, p.ClosedUtc is { } c ? ChinaTime.Format(c)[..16] : null,
    ];

    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(string? ledger, string? status, Guid? sweepId,
        string? q, string? format, ProblemLedger problems, HttpContext http, CancellationToken ct)
    {
        var rectifications = ledger is "rectifications";
        var (query, errors) = problems.Filter(rectifications, status, sweepId, q);
        if (ledger is { Length: > 0 } and not "problems" and not "rectifications")
        {
            errors.Add("ledger", "台账只能是 problems（问题台账）或 rectifications（整改台账）");
            query = null;
        }
        if (query is null) return errors.ToProblem();
        return await MineGuard.Platform.Excel.Export.SendAsync(http, format, LedgerPlan(rectifications, status, sweepId, q), ct);
    }

    /// <summary>A ledger's export in the upward layout, with the list's filters (checked by the caller).</summary>
    public static ExportPlan LedgerPlan(bool rectifications, string? status, Guid? sweepId, string? q) =>
        ListExport.Plan(rectifications ? "整改台账" : "问题台账", LedgerColumns, nameof(Problem), q?.Trim(), services =>
        {
            var l = services.GetRequiredService<ProblemLedger>();
            var n = 0;
            return new ListRows<Problem>(l.Filter(rectifications, status, sweepId, q).Query!, async (list, token) =>
                (await l.ViewsAsync(list, token)).Select(v => Cells(++n, v)).ToList());
        });
}
