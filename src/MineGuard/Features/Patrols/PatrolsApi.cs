using MineGuard.Platform.Jurisdiction;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Patrols;

/// <summary>The office's patrol API: teams, plans, patrols and check-ins, review of flags, track import, compliance, rules.</summary>
public sealed class PatrolsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<PatrolCommands>();
        services.AddScoped<PatrolQueries>();
        services.AddScoped<PatrolReview>();
        services.AddScoped<PatrolCompliance>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(Policies.Staff).WithTags("patrols");
        read.MapGet("/patrol-teams", Teams).WithSummary("巡查队列表");
        read.MapGet("/patrol-plans", Plans).WithSummary("巡查计划列表");
        read.MapGet("/patrol-plans/{id:guid}", Plan).WithSummary("巡查计划详情");
        read.MapGet("/patrols", Patrols).WithSummary("巡查记录列表（q 为关键字，p 为页码，每页 1000 次）");
        read.MapExport("/patrols/export.xlsx", ExportPatrols, "导出巡查记录");
        read.MapGet("/patrols/{id:guid}", Patrol).WithSummary("巡查记录详情");
        read.MapGet("/check-ins/flagged", Flagged).WithSummary("有疑点的打卡（q 为关键字，p 为页码，每页 200 条；division、from、to 为区划和签到起止日期；state 为 pending 待核查（默认）、flagged 全部有疑点、all 全部签到）");
        read.MapExport("/check-ins/flagged/export.xlsx", ExportFlagged, "导出待核查的可疑签到");
        read.MapGet("/check-ins/{id:guid}/photos/{photoId:guid}", Photo).WithSummary("打卡照片");
        read.MapGet("/patrols/compliance", Compliance).WithSummary("巡查完成情况统计（month 为月份；或 from、to 为起止日期，按月的要求按天数折算）");
        read.MapGet("/patrols/compliance.xlsx", ComplianceExport).WithSummary("导出巡查完成情况（format=xlsx 或 csv）");
        read.MapGet("/patrol-rules", Rules).WithSummary("巡查规则（频次、距离等）");

        var office = app.MapGroup("/api").RequireAuthorization(Policies.Office).WithTags("patrols");
        office.MapPost("/patrol-teams", CreateTeam).WithSummary("新建巡查队");
        office.MapPut("/patrol-teams/{id:guid}", UpdateTeam).WithSummary("修改巡查队");
        office.MapPost("/patrol-plans", GeneratePlan).WithSummary("生成巡查计划");
        office.MapPost("/patrol-plans/{id:guid}/items", AddPlanItem).WithSummary("计划中加入矿硐");
        office.MapDelete("/patrol-plans/{id:guid}/items/{aditId:guid}", RemovePlanItem).WithSummary("计划中移出矿硐");
        office.MapPost("/check-ins/{id:guid}/clear-flags", ClearFlags).WithSummary("消除打卡疑点");
        office.MapPost("/check-ins/{id:guid}/faked", MarkFaked).WithSummary("认定打卡为伪造（计入队员和巡查队考核）");
        read.MapGet("/check-ins/{id:guid}/review", Review).WithSummary("核查打卡：轨迹、触发的规则窗口、照片对照");
        office.MapPut("/patrol-rules/{division}", SaveRules).WithSummary("保存本辖区巡查规则");
        // A form post: cookie callers send the anti-forgery token (header RequestVerificationToken).
        office.MapPost("/patrol-teams/{id:guid}/tracks", ImportTrack).WithSummary("导入巡查轨迹文件");
    }

    public static async Task<Ok<List<TeamView>>> Teams(PatrolQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.TeamsAsync(ct));

    public static async Task<Results<Created<TeamView>, ValidationProblem>> CreateTeam(TeamInput input, PatrolCommands commands, PatrolQueries queries, CancellationToken ct)
    {
        var (team, errors) = await commands.SaveTeamAsync(null, input, ct);
        if (team is null) return errors.ToProblem();
        return TypedResults.Created($"/api/patrol-teams/{team.Id}", (await queries.TeamsAsync(ct, team.Id))[0]);
    }

    public static async Task<Results<Ok<TeamView>, NotFound, ValidationProblem>> UpdateTeam(Guid id, TeamInput input, AppDbContext db,
        PatrolCommands commands, PatrolQueries queries, CancellationToken ct)
    {
        var team = await db.PatrolTeams().Include(t => t.Areas).Include(t => t.Members).AsSplitQuery().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return TypedResults.NotFound();
        var (saved, errors) = await commands.SaveTeamAsync(team, input, ct);
        if (saved is null) return errors.ToProblem();
        return TypedResults.Ok((await queries.TeamsAsync(ct, id))[0]);
    }

    public static async Task<Ok<List<PlanView>>> Plans(PatrolQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.PlansAsync(null, ct));

    public static async Task<Results<Ok<PlanView>, NotFound>> Plan(Guid id, PatrolQueries queries, CancellationToken ct) =>
        (await queries.PlansAsync(id, ct)) is [var plan] ? TypedResults.Ok(plan) : TypedResults.NotFound();

    public static async Task<Results<Created<PlanView>, ValidationProblem>> GeneratePlan(PlanInput input, PatrolCommands commands, PatrolQueries queries, CancellationToken ct)
    {
        var (plan, errors) = await commands.GeneratePlanAsync(input, ct);
        if (plan is null) return errors.ToProblem();
        return TypedResults.Created($"/api/patrol-plans/{plan.Id}", (await queries.PlansAsync(plan.Id, ct))[0]);
    }

    public static async Task<Results<Ok<PlanView>, NotFound, ValidationProblem>> AddPlanItem(Guid id, PlanItemInput input, AppDbContext db,
        PatrolCommands commands, PatrolQueries queries, CancellationToken ct)
    {
        var plan = await db.PatrolPlans().Include(p => p.Items).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return TypedResults.NotFound();
        var errors = await commands.AddPlanItemAsync(plan, input.AditId, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await queries.PlansAsync(id, ct))[0]);
    }

    public static async Task<Results<Ok<PlanView>, NotFound>> RemovePlanItem(Guid id, Guid aditId, AppDbContext db,
        PatrolCommands commands, PatrolQueries queries, CancellationToken ct)
    {
        var plan = await db.PatrolPlans().Include(p => p.Items).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null || plan.Items.All(i => i.AditId != aditId)) return TypedResults.NotFound();
        await commands.RemovePlanItemAsync(plan, aditId, ct);
        return TypedResults.Ok((await queries.PlansAsync(id, ct))[0]);
    }

    public static async Task<Results<Ok<List<PatrolRow>>, ValidationProblem>> Patrols(string? month, Guid? teamId, AppDbContext db,
        PatrolQueries queries, CancellationToken ct, string? q = null, int? p = null)
    {
        var (query, errors) = FilterPatrols(month, teamId, q, db, queries);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok((await query.PageAsync(p, queries.RowsAsync, ct, 1000)).Items.ToList());
    }

    /// <summary>The month's patrols with the list's filters (team, keyword in team or member name), newest first.</summary>
    public static (IOrderedQueryable<Patrol>? Query, FieldErrors Errors) FilterPatrols(string? month, Guid? teamId, string? q, AppDbContext db, PatrolQueries queries)
    {
        MonthRange(month, db, out var from, out var to, out var errors);
        var keyword = ListPaging.Keyword(q, errors);
        return errors.Ok ? (queries.Patrols(from, to, teamId, keyword), errors) : (null, errors);
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> PatrolColumns =
    [
        new("开始", 17), new("结束", 17), new("巡查队", 20), new("交叉巡查", 8), new("巡查员", 12), new("签到", 8), new("核验到位", 8), new("可疑", 8), new("来源", 10),
    ];

    /// <summary>The month's filtered patrols, all pages, to Excel (the columns of the list).</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> ExportPatrols(string? month, Guid? teamId, string? q, string? format, AppDbContext db,
        PatrolQueries queries, HttpContext http, CancellationToken ct)
    {
        var (query, errors) = FilterPatrols(month, teamId, q, db, queries);
        if (query is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "巡查记录", PatrolColumns, nameof(Patrol), q?.Trim(), services =>
        {
            var (db, queries) = (services.GetRequiredService<AppDbContext>(), services.GetRequiredService<PatrolQueries>());
            return new ListRows<Patrol>(FilterPatrols(month, teamId, q, db, queries).Query!, async (list, token) => (await queries.RowsAsync(list, token))
                .Select(r => new object?[] { ChinaTime.Format(r.StartedUtc), ChinaTime.Format(r.EndedUtc), r.Team, r.IsCross ? "是" : "否", r.Member, r.CheckIns,
                    r.Verified, r.Flagged, r.Source }));
        }, ct);
    }

    public static async Task<Results<Ok<PatrolDetail>, NotFound>> Patrol(Guid id, PatrolQueries queries, CancellationToken ct) =>
        await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    public static async Task<Results<Ok<List<CheckInView>>, ValidationProblem>> Flagged(PatrolQueries queries, CancellationToken ct, string? q = null, int? p = null,
        string? division = null, string? from = null, string? to = null, string? state = null)
    {
        var errors = new FieldErrors();
        var keyword = ListPaging.Keyword(q, errors);
        var filter = CheckInFilter.Read(division, from, to, state, errors);
        if (!errors.Ok) return errors.ToProblem();
        var page = await queries.Flagged(keyword, filter).PageAsync(p, queries.FlaggedViewsAsync, ct, 200);
        return TypedResults.Ok(page.Items.Select(x => x.View).ToList());
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> FlaggedColumns =
    [
        new("时间", 17), new("矿硐编号", 16), new("矿硐名称", 16), new("巡查员", 12), new("距离（米）", 10), new("精度（米）", 10), new("可疑情况", 40),
    ];

    /// <summary>The filtered review list, all pages, to Excel (the columns of the list).</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> ExportFlagged(string? q, string? format, HttpContext http, CancellationToken ct,
        string? division = null, string? from = null, string? to = null, string? state = null)
    {
        var errors = new FieldErrors();
        var keyword = ListPaging.Keyword(q, errors);
        var filter = CheckInFilter.Read(division, from, to, state, errors);
        if (!errors.Ok) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "待核查的可疑签到", FlaggedColumns, nameof(CheckIn), keyword, services =>
        {
            var queries = services.GetRequiredService<PatrolQueries>();
            return new ListRows<CheckIn>(queries.Flagged(keyword, filter), async (list, token) => (await queries.FlaggedViewsAsync(list, token))
                .Select(x => new object?[] { ChinaTime.Format(x.View.AtUtc), x.View.AditNumber, x.View.AditName, x.Member, Math.Round(x.View.DistanceMetres),
                    Math.Round(x.View.Accuracy), string.Join("；", x.View.Flags) }));
        }, ct);
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> Photo(Guid id, Guid photoId, AppDbContext db, CancellationToken ct)
    {
        // Visible with the check-in: in scope by the check-in's (the adit's) division.
        if (!await db.CheckIns().AnyAsync(c => c.Id == id, ct)) return TypedResults.NotFound();
        var photo = await db.CheckInPhotos().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().FirstOrDefaultAsync(p => p.Id == photoId && p.CheckInId == id, ct);
        if (photo is null) return TypedResults.NotFound();
        var file = await db.Set<StoredFile>().AsNoTracking().FirstAsync(f => f.Id == photo.FileId, ct);
        return TypedResults.File(file.Content, file.ContentType);
    }

    public static Task<Results<Ok, NotFound, ValidationProblem>> ClearFlags(Guid id, ReviewInput input, AppDbContext db,
        PatrolCommands commands, CancellationToken ct) => Decide(id, db, c => commands.ClearFlagsAsync(c, input, ct), ct);

    public static Task<Results<Ok, NotFound, ValidationProblem>> MarkFaked(Guid id, ReviewInput input, AppDbContext db,
        PatrolCommands commands, CancellationToken ct) => Decide(id, db, c => commands.MarkFakedAsync(c, input, ct), ct);

    private static async Task<Results<Ok, NotFound, ValidationProblem>> Decide(Guid id, AppDbContext db,
        Func<CheckIn, Task<FieldErrors>> decide, CancellationToken ct)
    {
        var checkIn = await db.CheckIns().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (checkIn is null) return TypedResults.NotFound();
        var errors = await decide(checkIn);
        return errors.Ok ? TypedResults.Ok() : errors.ToProblem();
    }

    public static async Task<Results<Ok<CheckInReview>, NotFound>> Review(Guid id, PatrolReview review, CancellationToken ct) =>
        await review.ForAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    public static async Task<Results<Created<PatrolDetail>, NotFound, ValidationProblem>> ImportTrack(Guid id, IFormFile? file,
        [Microsoft.AspNetCore.Mvc.FromForm] string? member, AppDbContext db, PatrolCommands commands, PatrolQueries queries, CancellationToken ct)
    {
        var team = await db.PatrolTeams().Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return TypedResults.NotFound();
        var errors = new FieldErrors();
        if (file is null || file.Length == 0) errors.Add("File", "请选择 GPX 或 GeoJSON 轨迹文件");
        else if (file.Length > 20 * 1024 * 1024) errors.Add("File", "轨迹文件不能超过 20 MB");
        if (!errors.Ok) return errors.ToProblem();
        var (patrol, problems) = await commands.ImportTrackAsync(team, member, await UploadBytes.ReadAsync(file!, ct), file!.FileName, ct);
        if (patrol is null) return problems.ToProblem();
        return TypedResults.Created($"/api/patrols/{patrol.Id}", (await queries.DetailAsync(patrol.Id, ct))!);
    }

    public static async Task<Results<Ok<ComplianceReport>, NotFound, ValidationProblem>> Compliance(string? month, string? division,
        AppDbContext db, PatrolCompliance compliance, CancellationToken ct, string? from = null, string? to = null)
    {
        var (first, code, errors) = ComplianceArgs(month, division, db);
        var days = string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to) ? (ReportPeriod?)null
            : ReportPeriod.Read(from, to, DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime)), errors.Add);
        if (!errors.Ok) return errors.ToProblem();
        if (!db.CurrentUser.Scope.Contains(code) || !await db.Divisions.AnyAsync(d => d.Code == code, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(days is { } d ? await compliance.ComputeAsync(d.From, d.To, code, 2000, ct) : await compliance.ComputeAsync(first, code, 2000, ct));
    }

    /// <summary>The month's compliance as .xlsx or .csv: teams (default), blind spots (part=blind) or members (part=members).</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound, ValidationProblem>> ComplianceExport(string? month, string? division, string? part,
        string? q, string? format, AppDbContext db, PatrolCompliance compliance, ExportJobs jobs, HttpContext http, CancellationToken ct)
    {
        var (first, code, errors) = ComplianceArgs(month, division, db);
        var keyword = ListPaging.Keyword(q, errors);
        if (part is not (null or "teams" or "blind" or "members")) errors.Add("Part", "part 只能是 teams、blind 或 members");
        var kind = ExportFormat.Parse(format, errors);
        if (!errors.Ok) return errors.ToProblem();
        if (!db.CurrentUser.Scope.Contains(code) || !await db.Divisions.AnyAsync(d => d.Code == code, ct)) return TypedResults.NotFound();
        var report = await compliance.ComputeAsync(first, code, int.MaxValue, ct);
        // The keyword narrows the blind spots, as on the page (number, name, township).
        if (keyword is not null) report = report with { BlindSpots = PatrolCompliance.Matching(report.BlindSpots, keyword) };
        if (report.BlindSpots.Count > jobs.MaxRows && part == "blind") return ListPaging.ExportTooLarge(report.BlindSpots.Count, jobs.MaxRows).ToProblem();
        var (sheet, columns, rows) = ComplianceSheets.For(report, part ?? "teams");
        return await MineGuard.Platform.Excel.Export.FileAsync(http.RequestServices, ExportPlan.Of(sheet, columns, "PatrolCompliance",
            count => $"{sheet} {report.Month} {report.DivisionName}：{count} 行{(keyword is null ? "" : $"（含“{keyword}”）")}", rows.ToList()) with
        {
            DivisionCode = code, DownloadName = $"巡查考核-{report.DivisionName}-{report.Month}-{sheet}",
        }, kind, ct);
    }

    private static (DateOnly Month, string Division, FieldErrors Errors) ComplianceArgs(string? month, string? division, AppDbContext db)
    {
        var errors = new FieldErrors();
        if (PatrolCompliance.Month(month, db.Clock, out var first) is { } problem) errors.Add("Month", problem);
        var code = string.IsNullOrWhiteSpace(division) ? db.CurrentUser.Scope.Code : division.Trim();
        return (first, code, errors);
    }

    private static bool MonthRange(string? month, AppDbContext db, out DateTime from, out DateTime to, out FieldErrors errors)
    {
        errors = new FieldErrors();
        if (PatrolCompliance.Month(month, db.Clock, out var first) is { } problem) errors.Add("Month", problem);
        (from, to) = PatrolCompliance.UtcRange(first);
        return errors.Ok;
    }

    public static async Task<Results<Ok<PatrolRuleSet>, ValidationProblem>> Rules(string? division, AppDbContext db, CancellationToken ct)
    {
        var code = string.IsNullOrWhiteSpace(division) ? db.CurrentUser.Scope.Code : division.Trim();
        if (!db.CurrentUser.Scope.Contains(code))
        {
            var errors = new FieldErrors();
            errors.Add("Division", "该区域不在本辖区内");
            return errors.ToProblem();
        }

        return TypedResults.Ok(await db.PatrolRulesAsync(code, ct));
    }

    public static async Task<Results<Ok<PatrolRuleSet>, NotFound, ValidationProblem>> SaveRules(string division, PatrolRuleSet input,
        AppDbContext db, PatrolCommands commands, CancellationToken ct)
    {
        if (!db.CurrentUser.Scope.Contains(division) || !await db.Divisions.AnyAsync(d => d.Code == division, ct)) return TypedResults.NotFound();
        var errors = PatrolCommands.Check(input);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await commands.SaveRulesAsync(division, input, ct));
    }
}

/// <summary>The compliance report as spreadsheet rows.</summary>
public static class ComplianceSheets
{
    public static (string Sheet, IReadOnlyList<XlsxWriter.Column> Columns, IEnumerable<object?[]> Rows) For(ComplianceReport r, string part) => part switch
    {
        "blind" => ("巡查盲区", [new("矿硐编号", 16), new("名称", 14), new("乡镇", 12), new("经度", 12), new("纬度", 12), new("封堵状态", 10), new("最近到位核验", 20)],
            r.BlindSpots.Select(b => new object?[] { b.Number, b.Name, b.Township, b.Lon, b.Lat, b.State, b.LastVerifiedUtc is { } l ? ChinaTime.Format(l) : "从未" })),
        "members" => ("队员", [new("队员", 12), new("巡查队", 20), new("有效巡查", 10), new("签到", 8), new("核验到位", 10), new("未核验", 8), new("可疑", 8), new("认定伪造", 10)],
            r.Members.Select(m => new object?[] { m.Name, m.Team, m.Patrols, m.CheckIns, m.Verified, m.Unverified, m.Flagged, m.Faked })),
        _ => ("巡查队", [new("巡查队", 20), new("类型", 14), new("有效巡查", 10), new("最少一周", 10), new("每周要求", 10), new("矿硐数", 8), new("已核验", 8),
                new("覆盖", 8), new("交叉巡查", 10), new("交叉要求", 10), new("巡查天数", 10), new("天数要求", 10), new("认定伪造", 10), new("是否达标", 10)],
            r.Teams.Select(t => new object?[]
            {
                t.Name, t.Kind, t.Patrols, t.Weeks.Count == 0 ? null : t.Weeks.Min(w => w.Patrols), t.PatrolsPerWeekRequired, t.AditsInArea,
                t.AditsCovered, t.AditsInArea == 0 ? "—" : $"{100.0 * t.AditsCovered / t.AditsInArea:0}%", t.CrossPatrols, t.CrossPatrolsRequired,
                t.PatrolDays, t.PatrolDaysRequired, t.Faked, t.Ok ? "达标" : r.MonthOver || !t.IntegrityOk ? "未达标" : "进行中",
            })),
    };
}
