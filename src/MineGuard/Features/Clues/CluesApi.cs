using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Clues;

public sealed record InboxView(IReadOnlyList<ClueView> Clues, IReadOnlyList<AssignmentView> Assignments);

/// <summary>
/// 线索 over HTTP: the inbox in scope (by state), the caller's clues to verify, the overdue verifications, detail with
/// sources and history, probable duplicates, and the office's actions (record, assign a verifier, verify, close, merge,
/// evidence files). <c>/api/inbox</c> is the caller's to-do list: clues to verify and assignments, by deadline.
/// </summary>
/// <summary>The clue list's filters as query-string values (see <see cref="CluesApi.Filter"/>).</summary>
public sealed record ClueFilter(string? State = null, string? Q = null, string? Division = null, string? From = null, string? To = null,
    string? Source = null, string? Outcome = null);

public sealed class CluesApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ClueDesk>();
        services.AddScoped<IEscalation, ClueEscalation>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clues").RequireAuthorization(Policies.Staff).WithTags("clues");
        api.MapGet("/", List).WithSummary("线索列表（q 为关键字，p 为页码，每页 500 条；division、from、to 为区划和收到起止日期；source 为来源类型，outcome 为处理结果）");
        api.MapExport("/export.xlsx", Export, "导出线索列表");
        api.MapGet("/mine", Mine).WithSummary("交我核查的线索");
        api.MapGet("/overdue", Overdue).WithSummary("逾期未核查的线索");
        api.MapGet("/{id:guid}", Get).WithSummary("线索详情");
        api.MapGet("/{id:guid}/duplicates", Duplicates).WithSummary("可能重复的线索");
        api.MapGet("/{id:guid}/files/{fileId:guid}", File).WithSummary("线索的佐证材料");
        api.MapPost("/", Create).RequireAuthorization(Policies.Writer).WithSummary("登记线索");
        api.MapPost("/{id:guid}/assign", (Guid id, AssignVerifierInput input, ClueDesk d, CancellationToken ct) => Act(id, d, false, (c, x) => d.AssignAsync(c, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("指定核查人与期限");
        api.MapPost("/{id:guid}/verify", (Guid id, VerifyClueInput input, ClueDesk d, CancellationToken ct) => Act(id, d, true, (c, x) => d.VerifyAsync(c, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("录入核查结果（属实、部分属实、不属实）");
        api.MapPost("/{id:guid}/close", (Guid id, CloseClueInput input, ClueDesk d, CancellationToken ct) => Act(id, d, false, (c, x) => d.CloseAsync(c, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("办结线索");
        api.MapPost("/{id:guid}/merge", (Guid id, MergeClueInput input, ClueDesk d, CancellationToken ct) => Act(id, d, false, (c, x) => d.MergeAsync(c, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("合并线索（保留全部来源）");
        api.MapPost("/{id:guid}/files", AddFile).RequireAuthorization(Policies.Writer).DisableAntiforgery().WithSummary("上传线索佐证材料")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AssignmentDesk.MaxFileBytes + 64 * 1024));

        app.MapGroup("/api/inbox").RequireAuthorization(Policies.Staff).WithTags("clues").MapGet("/", Inbox).WithSummary("我的待办（待核查线索与督办事项）");
    }

    public static async Task<Results<Ok<List<ClueView>>, ValidationProblem>> List([AsParameters] ClueFilter filter, ClueDesk desk, AppDbContext db, CancellationToken ct,
        int? p = null)
    {
        var (query, errors) = Filter(db, filter);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, (rows, token) => desk.ViewsAsync(rows, false, token), ct, 500)).Items.ToList());
    }

    /// <summary>
    /// The clues of the caller's scope and department share with the list's filters (state, keyword in the summary, the
    /// sources' summaries and the adit's number, division, days received), newest first; the page, the API, the export
    /// and the supervision dashboard's links share it.
    /// </summary>
    public static (IOrderedQueryable<Clue>? Query, FieldErrors Errors) Filter(AppDbContext db, ClueFilter filter)
    {
        var (state, q) = (filter.State, filter.Q);
        var errors = new FieldErrors();
        var query = db.Set<Clue>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Division)) query = query.Within(JurisdictionScope.Of(filter.Division.Trim()), c => c.DivisionCode);
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(filter.From, filter.To, "收到", errors.Add);
        if (fromUtc is { } start) query = query.Where(c => c.ReceivedUtc >= start);
        if (toUtc is { } end) query = query.Where(c => c.ReceivedUtc < end);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        switch (state)
        {
            case null or "" or "open": query = query.Where(c => c.State == ClueState.Received || c.State == ClueState.Verifying || c.State == ClueState.Verified); break;
            case "received": query = query.Where(c => c.State == ClueState.Received); break;
            case "verifying": query = query.Where(c => c.State == ClueState.Verifying); break;
            case "verified": query = query.Where(c => c.State == ClueState.Verified); break;
            case "closed": query = query.Where(c => c.State == ClueState.Closed); break;
            case "overdue": query = query.Where(c => c.State == ClueState.Verifying && c.VerifyDueUtc < now); break;
            case "true": query = query.Where(c => c.Finding == ClueFinding.True || c.Finding == ClueFinding.PartlyTrue); break;
            case "case": query = query.Where(c => c.Outcome == ClueOutcome.Case); break;
            case "all": break;
            default: errors.Add("state", "状态只能是 open、received（待分派）、verifying（核查中）、verified（已核查）、closed（已办结）、overdue（逾期未核查）、true（属实）、case（已立案）或 all"); break;
        }
        if (!string.IsNullOrWhiteSpace(filter.Source))
        {
            var type = filter.Source.Trim();
            if (!ClueSourceTypes.Names.ContainsKey(type)) errors.Add("source", "来源类型不正确：" + string.Join("、", ClueSourceTypes.Names.Keys));
            var typed = db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => s.Type == type).Select(s => s.ClueId);
            query = query.Where(c => typed.Contains(c.Id));
        }
        if (!string.IsNullOrWhiteSpace(filter.Outcome))
        {
            if (filter.Outcome.Trim() == "none") query = query.Where(c => c.Outcome == null);
            else if (ClueDesk.ParseOutcome(filter.Outcome) is { } outcome) query = query.Where(c => c.Outcome == outcome);
            else errors.Add("outcome", "处理结果只能是 none（未办结）、" + string.Join("、", Enum.GetValues<ClueOutcome>().Select(o => $"{ClueDesk.OutcomeCode(o)}（{ClueDesk.OutcomeName(o)}）")));
        }
        if (ListPaging.Keyword(q, errors) is { } text)
        {
            var adits = db.Set<Adits.Adit>().Beyond(ScopeExit.LinkedLabel).Where(a => a.Number.Contains(text)).Select(a => (Guid?)a.Id);
            var sourced = db.Set<ClueSource>().Beyond(ScopeExit.ChildrenOfVisible).Where(s => s.Summary.Contains(text)).Select(s => s.ClueId);
            query = query.Where(c => c.Summary.Contains(text) || adits.Contains(c.AditId) || sourced.Contains(c.Id));
        }
        if (!errors.Ok) return (null, errors);
        return (query.OrderByDescending(c => c.ReceivedUtc).ThenBy(c => c.Id), errors);
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> ExportColumns =
    [
        new("收到时间", 17), new("内容", 40), new("矿硐编号", 16), new("来源", 16), new("状态", 10), new("核查人", 12), new("核查期限", 12), new("是否逾期", 8),
        new("核查结论", 12), new("处理结果", 12),
    ];

    /// <summary>The filtered clue list, all pages, to Excel (what the list shows; never a tipster's identity).</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export([AsParameters] ClueFilter filter, string? format, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (query, errors) = Filter(db, filter);
        if (query is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "线索", ExportColumns, nameof(Clue), filter.Q?.Trim(), services =>
        {
            var (db, desk) = (services.GetRequiredService<AppDbContext>(), services.GetRequiredService<ClueDesk>());
            return new ListRows<Clue>(Filter(db, filter).Query!, async (list, token) => (await desk.ViewsAsync(list, false, token))
                .Select(c => new object?[] { ChinaTime.Format(c.ReceivedUtc), c.Summary, c.AditNumber, string.Join("、", c.Sources.Select(s => s.TypeName).Distinct()),
                    c.StateName, c.VerifierName, AssignmentDesk.DueDay(c.VerifyDueUtc), c.Overdue ? "是" : "否", c.FindingName, c.OutcomeName }));
        }, ct);
    }

    public static async Task<Ok<List<ClueView>>> Mine(ClueDesk desk, AppDbContext db, CancellationToken ct) => TypedResults.Ok(await MineAsync(desk, db, ct));

    /// <summary>The clues the caller must verify (through their person records), by deadline, wherever they are filed.</summary>
    public static async Task<List<ClueView>> MineAsync(ClueDesk desk, AppDbContext db, CancellationToken ct)
    {
        if (db.CurrentUser.Id is not { } me) return [];
        var persons = await db.PersonIdsOfUserAsync(me, ct);
        var rows = await db.Set<Clue>().Beyond(ScopeExit.AssignedToCaller).AsNoTracking()
            .Where(c => c.State == ClueState.Verifying && c.VerifierPersonId != null && persons.Contains(c.VerifierPersonId.Value))
            .OrderBy(c => c.VerifyDueUtc).Take(500).ToListAsync(ct);
        return await desk.ViewsAsync(rows, false, ct);
    }

    public static async Task<Ok<List<ClueView>>> Overdue(ClueDesk desk, AppDbContext db, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var rows = await db.Set<Clue>().AsNoTracking().Where(c => c.State == ClueState.Verifying && c.VerifyDueUtc < now)
            .OrderBy(c => c.VerifyDueUtc).Take(500).ToListAsync(ct);
        return TypedResults.Ok(await desk.ViewsAsync(rows, false, ct));
    }

    public static async Task<Ok<InboxView>> Inbox(ClueDesk clues, AssignmentDesk assignments, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new InboxView(await MineAsync(clues, db, ct), await AssignmentsApi.MineAsync(assignments, db, ct)));

    public static async Task<Results<Ok<ClueView>, NotFound>> Get(Guid id, ClueDesk desk, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        return c is null ? TypedResults.NotFound() : TypedResults.Ok((await desk.ViewsAsync([c], true, ct))[0]);
    }

    public static async Task<Results<Ok<List<DuplicateClueView>>, NotFound>> Duplicates(Guid id, ClueDesk desk, CancellationToken ct)
    {
        var c = await desk.FindVisibleAsync(id, ct);
        return c is null ? TypedResults.NotFound() : TypedResults.Ok(await desk.DuplicatesAsync(c, ct));
    }

    public static async Task<Results<Created<ClueView>, ValidationProblem>> Create(ClueInput input, ClueDesk desk, CancellationToken ct)
    {
        var (c, errors) = await desk.CreateAsync(input, ct);
        if (c is null) return errors.ToProblem();
        return TypedResults.Created($"/api/clues/{c.Id}", (await desk.ViewsAsync([c], true, ct))[0]);
    }

    /// <summary>The verifier may record their own verification; every other action needs the clue in the caller's scope.</summary>
    private static async Task<Results<Ok<ClueView>, NotFound, ValidationProblem>> Act(Guid id, ClueDesk desk, bool verifierMay,
        Func<Clue, CancellationToken, Task<FieldErrors>> action, CancellationToken ct)
    {
        var c = verifierMay ? await desk.FindAsync(id, ct) : await desk.FindVisibleAsync(id, ct);
        if (c is null) return TypedResults.NotFound();
        var errors = await action(c, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await desk.ViewsAsync([c], true, ct))[0]);
    }

    public static async Task<Results<Created<EvidenceView>, NotFound, ValidationProblem>> AddFile(Guid id, IFormFile? file, ClueDesk desk, AppDbContext db,
        CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        if (c is null) return TypedResults.NotFound();
        var (e, errors) = await AssignmentDesk.AddFileAsync(db, "clue", c.Id, c.DivisionCode, file, ct);
        if (e is null) return errors.ToProblem();
        var url = $"/api/clues/{id}/files/{e.Id}";
        return TypedResults.Created(url, new EvidenceView(e.Id, e.FileName, e.ContentType, e.AddedUtc, url));
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> File(Guid id, Guid fileId, ClueDesk desk, AppDbContext db, CancellationToken ct)
    {
        var c = await desk.FindAsync(id, ct);
        if (c is null) return TypedResults.NotFound();
        return await EvidenceFiles.SendAsync(db, "clue", id, fileId, ct);
    }
}
