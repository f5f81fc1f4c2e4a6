using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Cases;

public sealed record IdNumberShown(Guid PartyId, string IdNumber);

/// <summary>
/// 案件 over HTTP: the list (search, filters, pages, export), the 人不漏案 gaps, detail; filing; parties, evidence, seized
/// property; the stages of both tracks and the referral to the discipline commission. Reads follow the case's filters
/// (scope and department share: a case outside them is a 404); writes need the Writer policy and the office, an
/// administrator or the handling department (403 for another reader).
/// </summary>
public sealed class CasesApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<CaseDesk>();
        services.AddScoped<CaseViews>();
        services.AddScoped<CaseStages>();
        services.AddScoped<CaseRecords>();
        services.AddScoped<CaseStatistics>();
        services.AddScoped<CaseSettingsDesk>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").RequireAuthorization(Policies.Staff).WithTags("cases");
        api.MapGet("/", List).WithSummary(
            "案件列表（q 查案号、案由、当事人姓名、身份证号后四位、矿硐编号、车牌；stage、type、department、overdue、division、from、to（立案日期）、has（统计项）筛选；p 为页码）");
        api.MapExport("/export.xlsx", Export, "导出案件列表");
        api.MapGet("/gaps", Gaps).WithSummary("人不漏案：线索、证据、涉案财物中提到但未列为当事人也未排除的人员，已结盗采案件未列入重点人员的当事人");
        api.MapGet("/settings/{county}", CaseSettingsDesk.Get).RequireAuthorization(Policies.Office).WithSummary("本县案号格式和文书抬头（打非办设置）");
        api.MapPut("/settings/{county}", CaseSettingsDesk.Put).RequireAuthorization(Policies.Office)
            .WithSummary("设置本县案号格式（须含 {year} 和 {seq}，可含 {county}）和文书抬头；留空则用默认");
        api.MapGet("/stats", Stats).WithSummary("案件统计（division 为县，或市、省时各下级并列；from、to 为立案日期）：按类型、阶段，移送公安及结果，罚款，扣押矿产品，人不漏案缺口");
        api.MapGet("/stats.xlsx", StatsExport).WithSummary("导出案件统计（与统计页相同；format=xlsx 或 csv）");
        api.MapGet("/{id:guid}", Get).WithSummary("案件详情（当事人、证据、涉案财物、办案环节与记录）");
        api.MapGet("/{id:guid}/evidence/{evidenceId:guid}/file", EvidenceFile).WithSummary("证据文件（办案人员与打非办可看，留痕）");
        api.MapPost("/", File).RequireAuthorization(Policies.Writer).WithSummary("立案（由已核查属实的线索或上级交办）");
        api.MapPost("/{id:guid}/parties", (Guid id, PartyInput input, CaseDesk d, CaseRecords r, CancellationToken ct) =>
            Create(id, d, async (c, x) => await r.AddPartyAsync(c, input, x) is var (p, e) ? (p?.Id, e) : default, ct)).RequireAuthorization(Policies.Writer).WithSummary("添加当事人（自然人或单位）");
        api.MapPost("/{id:guid}/parties/{partyId:guid}/id-number", RevealIdNumber).RequireAuthorization(Policies.Writer).WithSummary("查看当事人完整身份证号（留痕）");
        api.MapPost("/{id:guid}/parties/{partyId:guid}/key-person", (Guid id, Guid partyId, KeyPersonEnrolInput input, CaseDesk d, CaseRecords r, CancellationToken ct) =>
            Act(id, d, async (c, x) => (await r.EnrolAsync(c, partyId, input, x)).Errors, ct)).RequireAuthorization(Policies.OfficeOnly)
            .WithSummary("当事人列入重点人员台账（打非办确认）");
        api.MapPost("/{id:guid}/dismissals", (Guid id, DismissInput input, CaseDesk d, CaseRecords r, CancellationToken ct) =>
            Act(id, d, (c, x) => r.DismissAsync(c, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("排除人员（写明理由）");
        api.MapPost("/{id:guid}/evidence", (Guid id, EvidenceInput input, CaseDesk d, CaseRecords r, CancellationToken ct) =>
            Create(id, d, async (c, x) => await r.AddEvidenceAsync(c, input, x) is var (e, errors) ? (e?.Id, errors) : default, ct)).RequireAuthorization(Policies.Writer).WithSummary("登记证据");
        api.MapPost("/{id:guid}/evidence/{evidenceId:guid}/file", AttachFile).RequireAuthorization(Policies.Writer).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(CaseRecords.MaxFileBytes + 64 * 1024)).WithSummary("上传证据文件（照片、PDF、MP4）");
        api.MapPost("/{id:guid}/evidence/{evidenceId:guid}/custody", (Guid id, Guid evidenceId, CustodyInput input, CaseDesk d, CaseRecords r, AppDbContext db, CancellationToken ct) =>
            Act(id, d, async (c, x) => await EvidenceOf(db, c, evidenceId, x) is { } e ? await r.HandOverAsync(c, e, input, x) : NoSuch("evidenceId", "本案没有这项证据"), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("证据交接（保管链）");
        api.MapPost("/{id:guid}/evidence/{evidenceId:guid}/withdraw", (Guid id, Guid evidenceId, ReasonInput input, CaseDesk d, CaseRecords r, AppDbContext db, CancellationToken ct) =>
            Act(id, d, async (c, x) => await EvidenceOf(db, c, evidenceId, x) is { } e ? await r.WithdrawAsync(c, e, input, x) : NoSuch("evidenceId", "本案没有这项证据"), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("撤回证据（写明理由，不删除）");
        api.MapDelete("/{id:guid}/evidence/{evidenceId:guid}", DeleteEvidence).RequireAuthorization(Policies.Writer).WithSummary("删除证据（不允许：证据只能撤回）");
        api.MapPost("/{id:guid}/seizures", (Guid id, SeizureInput input, CaseDesk d, CaseRecords r, CancellationToken ct) =>
            Create(id, d, async (c, x) => await r.AddSeizureAsync(c, input, x) is var (s, e) ? (s?.Id, e) : default, ct)).RequireAuthorization(Policies.Writer).WithSummary("登记涉案财物（矿产品、工具、车辆、爆炸物品）");
        api.MapPost("/{id:guid}/seizures/{seizureId:guid}/disposal", (Guid id, Guid seizureId, DisposalInput input, CaseDesk d, CaseRecords r, AppDbContext db, CancellationToken ct) =>
            Act(id, d, async (c, x) => await db.Set<CaseSeizure>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(s => s.Id == seizureId && s.CaseId == c.Id, x) is { } s
                ? await r.DisposeAsync(c, s, input, x) : NoSuch("seizureId", "本案没有这项财物"), ct)).RequireAuthorization(Policies.Writer).WithSummary("处置涉案财物（发还、没收、拍卖、销毁）");

        api.MapPost("/{id:guid}/notice", (Guid id, NoticeInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.NoticeAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("送达行政处罚事先告知书（当事人陈述申辩、听证期限）");
        api.MapPost("/{id:guid}/extension", (Guid id, ExtensionInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.ExtendAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("登记经批准的延期（期限与理由）");
        api.MapPost("/{id:guid}/decision", (Guid id, DecisionInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.DecideAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("作出行政处罚决定（立案之日起 90 日内）");
        api.MapPost("/{id:guid}/execution", (Guid id, ExecutionInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.ExecuteAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("登记处罚决定的执行");
        api.MapPost("/{id:guid}/close", (Guid id, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.CloseAsync(c, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("结案");
        api.MapPost("/{id:guid}/transfer/report", (Guid id, ReasonInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.ReportTransferAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("报请移送公安机关（负责人 3 日内审批）");
        api.MapPost("/{id:guid}/transfer/decision", (Guid id, TransferDecisionInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.DecideTransferAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Head).WithSummary("机关负责人批准或不批准移送（办案部门的负责人）");
        api.MapPost("/{id:guid}/transfer/hand-over", (Guid id, HandOverInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.HandOverAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("向公安机关移交（24 小时内，附移送书、调查报告、涉案物品清单、检验或估价报告）");
        api.MapPost("/{id:guid}/transfer/receipt", (Guid id, ReceiptInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.ReceiptAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("登记公安机关接收回执");
        api.MapPost("/{id:guid}/transfer/police-decision", (Guid id, PoliceDecisionInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.PoliceDecideAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("登记公安机关是否立案的决定（案件编号）");
        api.MapPost("/{id:guid}/transfer/appeal", (Guid id, ReasonInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.AppealAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("对公安机关不予立案提请复议");
        api.MapPost("/{id:guid}/referral", (Guid id, ReasonInput input, CaseDesk d, CaseStages s, CancellationToken ct) => Act(id, d, (c, x) => s.ReferAsync(c, input, x), ct))
            .RequireAuthorization(Policies.Writer).WithSummary("移送纪委监委（涉及公职人员）");
        api.MapCaseDocuments();
    }

    public static async Task<Results<Ok<Platform.Web.PageOf<CaseListItem>>, ValidationProblem>> List(CaseViews views, CancellationToken ct,
        string? q = null, string? stage = null, string? type = null, string? department = null, string? overdue = null, string? division = null,
        string? from = null, string? to = null, string? has = null, int? p = null)
    {
        var (query, errors) = views.Filter(new CaseQuery(q, stage, type, department, overdue, division, from, to, has));
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok(await query.PageAsync(p, views.ListItemsAsync, ct));
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> ExportColumns =
    [
        new("立案编号", 26), new("案由", 40), new("案件类型", 16), new("承办部门", 12), new("阶段", 12), new("立案日期", 12), new("环节期限", 12), new("是否逾期", 8),
        new("提示", 40),
    ];

    /// <summary>The filtered case list, all pages (what the list shows).</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(string? q, string? stage, string? type,
        string? department, string? overdue, string? division, string? from, string? to, string? has, string? format, CaseViews views, HttpContext http,
        CancellationToken ct)
    {
        var filter = new CaseQuery(q, stage, type, department, overdue, division, from, to, has);
        var (query, errors) = views.Filter(filter);
        if (query is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "案件", ExportColumns, nameof(Case), q?.Trim(), services =>
        {
            var v = services.GetRequiredService<CaseViews>();
            return new ListRows<Case>(v.Filter(filter).Query!, async (list, token) => (await v.ListItemsAsync(list, token))
                .Select(c => new object?[] { c.Number, c.Title, c.TypeName, c.DepartmentName, c.StageName, c.FiledOn, c.StageDueOn, c.Overdue ? "是" : "否",
                    string.Join("；", c.Flags) }));
        }, ct);
    }

    public static async Task<Results<Ok<List<CaseGap>>, ValidationProblem>> Gaps(string? county, CaseRecords records, AppDbContext db, CancellationToken ct)
    {
        var code = CaseDesk.Blank(county);
        if (code is not null && (code.Length != 6 || !code.All(char.IsAsciiDigit)))
        {
            var errors = new FieldErrors();
            errors.Add("county", "county 须为 6 位县级区划代码");
            return errors.ToProblem();
        }
        return TypedResults.Ok(await records.GapsAsync(code, ct));
    }

    public static async Task<Results<Ok<CaseStatsView>, NotFound, ValidationProblem>> Stats(string? division, string? from, string? to,
        CaseStatistics statistics, CancellationToken ct)
    {
        var (stats, errors) = await statistics.StatsAsync(division, from, to, ct);
        if (!errors.Ok) return errors.ToProblem();
        return stats is null ? TypedResults.NotFound() : TypedResults.Ok(stats);
    }

    /// <summary>The statistics as the page shows them, one row a figure and one column a division (and 合计), through the one export.</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound, ValidationProblem>> StatsExport(string? division, string? from, string? to,
        string? format, CaseStatistics statistics, HttpContext http, CancellationToken ct)
    {
        var (stats, errors) = await statistics.StatsAsync(division, from, to, ct);
        var kind = ExportFormat.Parse(format, errors);
        if (!errors.Ok) return errors.ToProblem();
        if (stats is null) return TypedResults.NotFound();
        var plan = CaseStatistics.ExportPlan(stats);
        return await Platform.Excel.Export.FileAsync(http.RequestServices, plan, kind, ct);
    }

    public static async Task<Results<Ok<CaseView>, NotFound>> Get(Guid id, CaseDesk desk, CaseViews views, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        return c is null ? TypedResults.NotFound() : TypedResults.Ok(await views.ViewAsync(c, ct));
    }

    public static async Task<Results<Created<CaseView>, Ok<CaseView>, ForbidHttpResult, ValidationProblem>> File(CaseInput input, CaseDesk desk, CaseViews views,
        CancellationToken ct)
    {
        if (!desk.MayFile) return TypedResults.Forbid();
        var (c, existing, errors) = await desk.FileAsync(input, ct);
        if (c is null) return errors.ToProblem();
        var view = await views.ViewAsync(c, ct);
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/cases/{c.Id}", view);
    }

    /// <summary>Writes: a case the caller sees (else 404), and the office, an administrator or the handling department (else 403).</summary>
    internal static async Task<(Case? Case, bool Forbidden)> ForWriteAsync(Guid id, CaseDesk desk, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        return c is null ? (null, false) : (c, !desk.MayWrite(c));
    }

    private static async Task<Results<Ok<CaseView>, NotFound, ForbidHttpResult, ValidationProblem>> Act(Guid id, CaseDesk desk,
        Func<Case, CancellationToken, Task<FieldErrors>> action, CancellationToken ct)
    {
        var (c, forbidden) = await ForWriteAsync(id, desk, ct);
        if (c is null) return TypedResults.NotFound();
        if (forbidden) return TypedResults.Forbid();
        var errors = await action(c, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await desk.Services.GetRequiredService<CaseViews>().ViewAsync(c, ct));
    }

    private static async Task<Results<Created<CaseView>, NotFound, ForbidHttpResult, ValidationProblem>> Create(Guid id, CaseDesk desk,
        Func<Case, CancellationToken, Task<(Guid? Id, FieldErrors Errors)>> action, CancellationToken ct)
    {
        var (c, forbidden) = await ForWriteAsync(id, desk, ct);
        if (c is null) return TypedResults.NotFound();
        if (forbidden) return TypedResults.Forbid();
        var (created, errors) = await action(c, ct);
        if (created is null) return errors.ToProblem();
        return TypedResults.Created($"/api/cases/{c.Id}#{created}", await desk.Services.GetRequiredService<CaseViews>().ViewAsync(c, ct));
    }

    private static FieldErrors NoSuch(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors;
    }

    private static Task<CaseEvidence?> EvidenceOf(AppDbContext db, Case c, Guid evidenceId, CancellationToken ct) =>
        db.Set<CaseEvidence>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(e => e.Id == evidenceId && e.CaseId == c.Id, ct);

    public static async Task<Results<Ok<CaseView>, NotFound, ForbidHttpResult, ValidationProblem>> AttachFile(Guid id, Guid evidenceId, IFormFile? file,
        CaseDesk desk, CaseRecords records, AppDbContext db, CancellationToken ct) =>
        await Act(id, desk, async (c, x) => await EvidenceOf(db, c, evidenceId, x) is { } e ? await records.AttachAsync(c, e, file, x) : NoSuch("evidenceId", "本案没有这项证据"), ct);

    /// <summary>Evidence is never deleted (only withdrawn with a reason): a 405 with the reason, nothing changed.</summary>
    public static async Task<Results<ProblemHttpResult, NotFound>> DeleteEvidence(Guid id, Guid evidenceId, CaseDesk desk, AppDbContext db, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        if (c is null || await EvidenceOf(db, c, evidenceId, ct) is null) return TypedResults.NotFound();
        return TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "证据不能删除",
            detail: "证据一经登记不能删除，只能撤回并写明理由（POST …/withdraw）", extensions: new Dictionary<string, object?> { ["code"] = "EvidenceNotDeletable" });
    }

    public static async Task<Results<FileContentHttpResult, NotFound, ForbidHttpResult>> EvidenceFile(Guid id, Guid evidenceId, CaseDesk desk, AppDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        var e = c is null ? null : await EvidenceOf(db, c, evidenceId, ct);
        if (c is null || e?.StoredFileId is not { } fileId) return TypedResults.NotFound();
        if (!await desk.MaySeeProtectedAsync(c, ct)) return TypedResults.Forbid();
        var file = await db.Set<StoredFile>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId, ct);
        if (file is null) return TypedResults.NotFound();
        db.AuditRead(nameof(CaseEvidence), e.Id.ToString(), c.DivisionCode, $"查看案件 {c.Number} 的证据文件 {e.Title}");
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(file.Content, e.ContentType ?? file.ContentType, e.FileName);
    }

    public static async Task<Results<Ok<IdNumberShown>, NotFound, ForbidHttpResult>> RevealIdNumber(Guid id, Guid partyId, CaseDesk desk, CaseRecords records,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        var p = c is null ? null : await db.Set<CaseParty>().Beyond(ScopeExit.ChildrenOfVisible).FirstOrDefaultAsync(x => x.Id == partyId && x.CaseId == c.Id, ct);
        if (c is null || p?.IdNumberProtected is null) return TypedResults.NotFound();
        if (!await desk.MaySeeProtectedAsync(c, ct)) return TypedResults.Forbid();
        var plain = records.RevealIdNumber(c, p)!;
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new IdNumberShown(p.Id, plain));
    }
}
