using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Data;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Pdf;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Supervision;

/// <summary>
/// 督导看板 over HTTP: <c>GET /api/dashboard?division=…&amp;from=…&amp;to=…</c>, every figure with its link; and the stage
/// reports upward (<c>/api/reports</c>): request, generate, sign off, send, receive or return, print as PDF and Excel.
/// </summary>
public sealed class SupervisionApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<SupervisionDashboard>();
        services.AddScoped<StageReportDesk>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").RequireAuthorization(Policies.Staff).WithTags("supervision")
            .MapGet("/dashboard", Dashboard)
            .WithSummary("督导看板：某区划及其下级在期间内的各项指标（division 为区划代码，默认本级；from、to 为起止日期，默认本月），每个数字附其明细列表的链接");
        app.MapGroup("/api").RequireAuthorization(Policies.Staff).WithTags("supervision")
            .MapGet("/dashboard/trend", Trend)
            .WithSummary("督导看板趋势：某区划某项指标逐月的数字（measure 为 分区.指标，如 ledger.breached；months 为月数，默认 12，至多 24），每月附明细列表的链接");

        var reports = app.MapGroup("/api/reports").RequireAuthorization(Policies.Staff).WithTags("reports");
        reports.MapGet("", List).WithSummary("阶段报告列表：本级的全部报告、下级已报送的报告和本级要求下级报送的报告（state 可为 requested、draft、signed、sent、received、returned）");
        reports.MapPost("", Create).RequireAuthorization(Policies.Office).WithSummary("编制本级阶段报告：按期间从数据生成（数字、逾期事项、问责线索），附办公室填写的正文");
        reports.MapPost("/requests", Request).RequireAuthorization(Policies.Office).WithSummary("要求下级报送阶段报告：报送期限作为督办事项计时，逾期升级");
        reports.MapGet("/{id:guid}", Get).WithSummary("一份阶段报告及其生成时的内容");
        reports.MapPut("/{id:guid}", Regenerate).RequireAuthorization(Policies.Office).WithSummary("修改正文并按当前数据重新生成（草稿、待报送或被退回的报告），须重新签发");
        reports.MapPost("/{id:guid}/sign-off", SignOff).WithSummary("本级领导签发阶段报告（编制人以外的领导）");
        reports.MapPost("/{id:guid}/send", Send).RequireAuthorization(Policies.Office).WithSummary("报送已签发的阶段报告给上级，报送期限的督办事项报告完成");
        reports.MapPost("/{id:guid}/receive", Receive).RequireAuthorization(Policies.Office).WithSummary("上级接收下级报送的阶段报告，报送期限的督办事项销号");
        reports.MapPost("/{id:guid}/return", Return).RequireAuthorization(Policies.Office).WithSummary("上级退回下级报送的阶段报告并附意见，报送期限的督办事项重新办理");
        reports.MapGet("/{id:guid}.pdf", Pdf).WithSummary("阶段报告 PDF：封面、正文、各项数字的表和图、逾期事项、问责线索、签发");
        reports.MapGet("/{id:guid}.xlsx", Xlsx).WithSummary("阶段报告 Excel：每张表一个工作表");
    }

    public static async Task<Results<Ok<DashboardView>, ValidationProblem>> Dashboard(
        string? division, string? from, string? to, SupervisionDashboard dashboard, CancellationToken ct)
    {
        var (view, errors) = await dashboard.ReadAsync(division, from, to, ct);
        return view is null ? errors.ToProblem() : TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<TrendView>, ValidationProblem>> Trend(
        string? division, string? measure, string? months, SupervisionDashboard dashboard, CancellationToken ct)
    {
        var (view, errors) = await dashboard.TrendAsync(division, measure, months, ct);
        return view is null ? errors.ToProblem() : TypedResults.Ok(view);
    }

    public static async Task<Ok<List<StageReportView>>> List(string? state, StageReportDesk desk, CancellationToken ct) =>
        TypedResults.Ok(await desk.ListAsync(state, ct));

    public static async Task<Results<Created<StageReportView>, ValidationProblem>> Create(StageReportInput input, StageReportDesk desk, CancellationToken ct)
    {
        var (report, errors) = await desk.CreateAsync(input, ct);
        return report is null ? errors.ToProblem() : TypedResults.Created($"/api/reports/{report.Id}", await desk.ViewAsync(report, ct));
    }

    public static async Task<Results<Created<StageReportView>, ValidationProblem>> Request(StageReportRequestInput input, StageReportDesk desk, CancellationToken ct)
    {
        var (report, errors) = await desk.RequestAsync(input, ct);
        return report is null ? errors.ToProblem() : TypedResults.Created($"/api/reports/{report.Id}", await desk.ViewAsync(report, ct));
    }

    public static async Task<Results<Ok<StageReportView>, NotFound>> Get(Guid id, StageReportDesk desk, CancellationToken ct) =>
        await desk.FindAsync(id, ct) is { } r ? TypedResults.Ok(await desk.ViewAsync(r, ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<StageReportView>, NotFound, ValidationProblem>> Regenerate(Guid id, StageReportTextInput input, StageReportDesk desk, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        var errors = await desk.GenerateAsync(r, input, ct);
        return errors.Ok ? TypedResults.Ok(await desk.ViewAsync(r, ct)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<StageReportView>, NotFound>> SignOff(Guid id, StageReportDesk desk, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        await desk.SignOffAsync(r, ct);
        return TypedResults.Ok(await desk.ViewAsync(r, ct));
    }

    public static async Task<Results<Ok<StageReportView>, NotFound>> Send(Guid id, StageReportDesk desk, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        await desk.SendAsync(r, ct);
        return TypedResults.Ok(await desk.ViewAsync(r, ct));
    }

    public static async Task<Results<Ok<StageReportView>, NotFound>> Receive(Guid id, StageReportDesk desk, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        await desk.ReceiveAsync(r, ct);
        return TypedResults.Ok(await desk.ViewAsync(r, ct));
    }

    public static async Task<Results<Ok<StageReportView>, NotFound, ValidationProblem>> Return(Guid id, ReturnReportInput input, StageReportDesk desk, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        var errors = await desk.ReturnAsync(r, input, ct);
        return errors.Ok ? TypedResults.Ok(await desk.ViewAsync(r, ct)) : errors.ToProblem();
    }

    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> Pdf(Guid id, StageReportDesk desk, IConfiguration config,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        if (!desk.ContentVisible(r)) return TypedResults.NotFound();
        Rule.Check(r.ContentJson.Length > 0, "ReportNotGenerated", "报告尚未生成，不能打印");
        if (PdfFonts.Find(config) is not { } fonts)
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "无法生成 PDF", detail: PdfFonts.MissingMessage,
                extensions: new Dictionary<string, object?> { ["code"] = "PdfFontMissing" });
        var view = await desk.ViewAsync(r, ct);
        var bytes = StageReportDocuments.Pdf(r, view.Content!, view.DivisionName, fonts);
        db.AuditEvent("print", nameof(StageReport), r.Id.ToString(), $"打印阶段报告：{r.Title}", r.DivisionCode);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(bytes, "application/pdf", $"{r.Title}.pdf");
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> Xlsx(Guid id, StageReportDesk desk, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await desk.FindAsync(id, ct) is not { } r) return TypedResults.NotFound();
        if (!desk.ContentVisible(r)) return TypedResults.NotFound();
        Rule.Check(r.ContentJson.Length > 0, "ReportNotGenerated", "报告尚未生成，不能导出");
        var view = await desk.ViewAsync(r, ct);
        using var stream = new MemoryStream();
        StageReportDocuments.Xlsx(stream, r, view.Content!, view.DivisionName);
        db.AuditEvent("export", nameof(StageReport), r.Id.ToString(), $"导出阶段报告：{r.Title}", r.DivisionCode);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{r.Title}.xlsx");
    }
}
