using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Tips;

/// <summary>A tip taken by phone or letter; <paramref name="Crs"/> names the system of the position (blank or WGS84, or GCJ-02 from 高德/腾讯).</summary>
public sealed record StaffTipInput(string? Channel, string? DivisionCode, List<string>? Kinds, string? Description, string? Place,
    double? Lon, double? Lat, string? SeenWhen, string? Name, string? Phone, [property: System.ComponentModel.DataAnnotations.MaxLength(30)] string? Crs = null,
    Guid? ClientId = null);

/// <summary>
/// The receipt code is shown to the staff member once, to read to the caller; it is not kept. A resend of the same
/// <see cref="StaffTipInput.ClientId"/> answers 200 with the tip stored the first time and no code.
/// </summary>
public sealed record RecordedTip(string? ReceiptCode, TipDetail Tip);

/// <summary>
/// The office's tip inbox over HTTP. Reads for any staff member in scope, writes for writers, rewards for the reward
/// officer, the tipster's identity for the reward officer and the discipline commission. The public side is the
/// Razor pages under /report (see Pages/Report.cshtml.cs).
/// </summary>
public sealed class TipsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<PublicGuard>();
        services.AddSingleton<ReceiptCodes>();
        services.AddSingleton<TipsterIdentity>();
        services.AddScoped<TipSubmission>();
        services.AddScoped<TipCommands>();
        services.AddScoped<Platform.Deadlines.IEscalation, RewardPayoutEscalation>();
        services.AddScoped<TipQueries>();
        services.AddScoped<Platform.Cases.ICaseFiledOn, TipCaseFiled>();
        // The forwarded-headers middleware logs an untrusted caller's raw address ("Unknown proxy: …") at Debug, before
        // any page can remove it. Tips promise that no log line carries a tipster's address, whatever level an
        // operator turns on, so that one category is held at Warning (its warnings carry no address).
        services.AddLogging(b => b.AddFilter("Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersMiddleware", LogLevel.Warning));
        services.AddAuthorizationBuilder()
            .AddPolicy(TipRoles.RewardPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Reward))
            .AddPolicy(TipRoles.IdentityPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireAssertion(ctx => ctx.User.IsInRole(Roles.Reward)
                    || (ctx.User.IsInRole(Roles.Department) && ctx.User.HasClaim(MineGuardClaims.Department, TipRoles.DisciplineDepartment))));
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tips").RequireAuthorization(Policies.Staff).WithTags("tips");
        api.MapGet("/", Inbox).WithSummary("举报受理列表（每页 50 条，p 为页码，q 为关键字）");
        api.MapExport("/export.xlsx", InboxExport, "导出举报线索列表，不含举报人信息");
        api.MapGet("/{id:guid}", Get).WithSummary("举报详情");
        api.MapGet("/{id:guid}/duplicates", Duplicates).WithSummary("可能重复的举报");
        api.MapGet("/{id:guid}/attachments/{attachmentId:guid}", Attachment).WithSummary("举报附件");
        api.MapGet("/stats", Stats).WithSummary("举报统计");
        api.MapGet("/stats.xlsx", StatsExport).WithSummary("导出举报统计（format=xlsx 或 csv）");
        api.MapPost("/", Record).RequireAuthorization(Policies.Writer).WithSummary("登记来电来访举报");
        api.MapPost("/{id:guid}/triage", (Guid id, TriageInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.TriageAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("初审举报（受理或不予受理）");
        api.MapPost("/{id:guid}/assign", (Guid id, AssignInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.AssignAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("交办举报给部门或承办人");
        api.MapPost("/{id:guid}/verify", (Guid id, VerifyInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.VerifyAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("录入举报核查结果");
        api.MapPost("/{id:guid}/case", (Guid id, CaseInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.FileCaseAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("举报转立案");
        api.MapPost("/{id:guid}/merge", (Guid id, MergeInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.MergeAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("合并重复举报");
        api.MapPost("/{id:guid}/adit", (Guid id, AditLinkInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.LinkAditAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("关联矿硐");
        api.MapPost("/{id:guid}/messages", (Guid id, MessageInput input, TipCommands c, CancellationToken ct) => Act(id, c, (t, x) => c.MessageAsync(t, input, x), ct)).RequireAuthorization(Policies.Writer).WithSummary("给举报人留言");
        // A POST: seeing who a tipster is is an audited act, not a read a link or prefetch may trigger.
        api.MapPost("/{id:guid}/tipster", RevealTipster).RequireAuthorization(TipRoles.IdentityPolicy).WithSummary("查看举报人身份（留痕）");
        api.MapPost("/rewards/{id:guid}/approve", Approve).RequireAuthorization(TipRoles.RewardPolicy).WithSummary("审批举报奖励");
        api.MapPost("/rewards/{id:guid}/refuse", Refuse).RequireAuthorization(TipRoles.RewardPolicy).WithSummary("不予发放举报奖励");
        api.MapPost("/rewards/{id:guid}/pay", Pay).RequireAuthorization(TipRoles.RewardPolicy).WithSummary("登记奖励已发放");
        api.MapPost("/rewards/{id:guid}/claim", RevealClaim).RequireAuthorization(TipRoles.IdentityPolicy).WithSummary("查看领奖信息（留痕）");
        api.MapGet("/reward-rules/{county}", GetRule).WithSummary("本县举报奖励标准");
        api.MapPut("/reward-rules/{county}", SetRule).RequireAuthorization(Policies.Office).WithSummary("设置本县举报奖励标准");
    }

    public static async Task<Results<Ok<List<TipListItem>>, ValidationProblem>> Inbox([AsParameters] TipInboxQuery query, TipQueries queries, CancellationToken ct)
    {
        var (page, errors) = await queries.InboxAsync(query, ct);
        return page is null ? errors.ToProblem() : TypedResults.Ok(page.Items.ToList());
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> InboxColumns =
    [
        new("收到时间", 17), new("渠道", 10), new("乡镇", 12), new("内容", 50), new("状态", 10), new("核查结果", 10), new("承办", 20),
        new("核查期限", 12), new("核查逾期", 8), new("奖励（元）", 10), new("奖励状态", 10), new("奖励逾期", 8),
    ];

    /// <summary>
    /// The filtered inbox, all pages, to Excel. Only what the inbox shows goes out: never the tipster's name or contact
    /// (they stay encrypted in the system), nor the receipt code.
    /// </summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> InboxExport([AsParameters] TipInboxQuery query, string? format, TipQueries queries,
        HttpContext http, CancellationToken ct)
    {
        var (tips, errors) = queries.Filter(query);
        if (tips is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "举报线索", InboxColumns, nameof(Tip), query.Q?.Trim(), services =>
        {
            var queries = services.GetRequiredService<TipQueries>();
            return new ListRows<Tip>(queries.Filter(query).Tips!, async (list, token) => (await queries.ItemsOfAsync(list, token))
                .Select(t => new object?[] { t.ReceivedAt, t.Channel, t.Township, t.Summary, t.Status, t.Outcome, t.Assignee, t.DueOn, t.VerifyOverdue ? "是" : "否",
                    t.Reward?.Amount, t.Reward?.Status, t.Reward is { Overdue: true } ? "是" : null }));
        }, ct);
    }

    /// <summary>
    /// A tip taken by the hotline or by letter, entered by staff. It gets a receipt code like any other, which the
    /// staff member reads to the caller: from then on the caller follows it anonymously, like a web tipster.
    /// </summary>
    public static async Task<Results<Created<RecordedTip>, Ok<RecordedTip>, ValidationProblem>> Record(StaffTipInput input, TipSubmission submission, TipQueries queries,
        TipCommands commands, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var channel = input.Channel?.Trim() switch { "Phone" or "电话" => TipChannel.Phone, "Letter" or "来信来访" => TipChannel.Letter, _ => (TipChannel?)null };
        if (channel is null) errors.Add(nameof(input.Channel), "请选择收到线索的渠道：电话或来信来访");
        if (!errors.Ok) return errors.ToProblem();
        var form = new ReportInput
        {
            DivisionCode = input.DivisionCode, Kinds = input.Kinds ?? [], Description = input.Description, Place = input.Place,
            Lon = input.Lon?.ToString(System.Globalization.CultureInfo.InvariantCulture), Lat = input.Lat?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            SeenWhen = input.SeenWhen, Name = input.Name, Phone = input.Phone, Crs = input.Crs, ClientId = input.ClientId,
        };
        var (code, tip, problems, _) = await submission.SubmitAsync(form, [], channel!.Value, ct);
        if (tip is null) return problems.ToProblem();
        if (code is null)
        {
            // A resend: the tip stored the first time, if it is the caller's to see; another's id is refused.
            if (await commands.FindAsync(tip.Id, ct) is not { } mine) return new FieldErrors { [nameof(input.ClientId)] = ["该编号已被其他记录使用"] }.ToProblem();
            return TypedResults.Ok(new RecordedTip(null, await queries.DetailAsync(mine, ct)));
        }
        return TypedResults.Created($"/api/tips/{tip.Id}", new RecordedTip(code!, await queries.DetailAsync(tip, ct)));
    }

    public static async Task<Results<Ok<TipDetail>, NotFound>> Get(Guid id, TipCommands commands, TipQueries queries, CancellationToken ct) =>
        await commands.FindAsync(id, ct) is { } tip ? TypedResults.Ok(await queries.DetailAsync(tip, ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<List<DuplicateView>>, NotFound>> Duplicates(Guid id, TipCommands commands, CancellationToken ct) =>
        await commands.FindAsync(id, ct) is { } tip ? TypedResults.Ok(await commands.DuplicatesAsync(tip, ct)) : TypedResults.NotFound();

    /// <summary>A tip's photo or video, for staff in scope only (its metadata is shown on the detail page).</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> Attachment(Guid id, Guid attachmentId, TipCommands commands, AppDbContext db, CancellationToken ct)
    {
        if (await commands.FindAsync(id, ct) is null) return TypedResults.NotFound();
        var file = await db.Set<TipAttachment>().Where(a => a.Id == attachmentId && a.TipId == id)
            .Join(db.Set<StoredFile>(), a => a.StoredFileId, f => f.Id, (a, f) => new { f.Content, f.ContentType }).FirstOrDefaultAsync(ct);
        return file is null ? TypedResults.NotFound() : TypedResults.File(file.Content, file.ContentType);
    }

    private static async Task<Results<Ok<TipDetail>, NotFound, ValidationProblem>> Act(Guid id, TipCommands commands,
        Func<Tip, CancellationToken, Task<FieldErrors>> act, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        if (tip is null) return TypedResults.NotFound();
        var errors = await act(tip, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await commands.QueriesDetailAsync(tip, ct));
    }

    public static async Task<Results<Ok<Tipster>, NotFound>> RevealTipster(Guid id, TipCommands commands, HttpContext http, CancellationToken ct)
    {
        var tip = await commands.FindAsync(id, ct);
        if (tip is null) return TypedResults.NotFound();
        var tipster = await commands.RevealTipsterAsync(tip, ct);
        http.Response.Headers.CacheControl = "no-store";
        return tipster is null ? TypedResults.NotFound() : TypedResults.Ok(tipster);
    }

    public static async Task<Results<Ok<PayoutChoice>, NotFound>> RevealClaim(Guid id, TipCommands commands, HttpContext http, CancellationToken ct)
    {
        var reward = await commands.FindRewardAsync(id, ct);
        if (reward is null) return TypedResults.NotFound();
        var claim = await commands.RevealClaimAsync(reward, ct);
        http.Response.Headers.CacheControl = "no-store";
        return claim is null ? TypedResults.NotFound() : TypedResults.Ok(claim);
    }

    public static async Task<Results<Ok<TipDetail>, NotFound>> Approve(Guid id, TipCommands commands, CancellationToken ct)
    {
        var reward = await commands.FindRewardAsync(id, ct);
        if (reward is null) return TypedResults.NotFound();
        await commands.ApproveAsync(reward, ct);
        return TypedResults.Ok(await commands.QueriesDetailAsync(reward.TipId, ct));
    }

    public static async Task<Results<Ok<TipDetail>, NotFound, ValidationProblem>> Refuse(Guid id, RefuseInput input, TipCommands commands, CancellationToken ct)
    {
        var reward = await commands.FindRewardAsync(id, ct);
        if (reward is null) return TypedResults.NotFound();
        var errors = await commands.RefuseAsync(reward, input, ct);
        return errors.Ok ? TypedResults.Ok(await commands.QueriesDetailAsync(reward.TipId, ct)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<TipDetail>, NotFound, ValidationProblem>> Pay(Guid id, PayInput input, TipCommands commands, CancellationToken ct)
    {
        var reward = await commands.FindRewardAsync(id, ct);
        if (reward is null) return TypedResults.NotFound();
        var errors = await commands.PayAsync(reward, input, ct);
        return errors.Ok ? TypedResults.Ok(await commands.QueriesDetailAsync(reward.TipId, ct)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<RewardRuleInput>, NotFound>> GetRule(string county, TipCommands commands, AppDbContext db, CancellationToken ct)
    {
        if (!await CountyInScopeAsync(db, county, ct)) return TypedResults.NotFound();
        var rule = await commands.RuleAsync(county, ct);
        return TypedResults.Ok(new RewardRuleInput(rule.VerifiedAmount, rule.CaseAmount, rule.PayWithinDays, rule.Describe()));
    }

    public static async Task<Results<Ok<RewardRuleInput>, NotFound, ValidationProblem>> SetRule(string county, RewardRuleInput input, TipCommands commands,
        AppDbContext db, CancellationToken ct)
    {
        if (!await CountyInScopeAsync(db, county, ct)) return TypedResults.NotFound();
        var (rule, errors) = await commands.SetRuleAsync(county, input, ct);
        return rule is null ? errors.ToProblem() : TypedResults.Ok(new RewardRuleInput(rule.VerifiedAmount, rule.CaseAmount, rule.PayWithinDays, rule.Describe()));
    }

    private static async Task<bool> CountyInScopeAsync(AppDbContext db, string county, CancellationToken ct) =>
        await db.Divisions.Within(db.CurrentUser.Scope).AnyAsync(d => d.Code == county && d.Level == DivisionLevel.County, ct);

    public static async Task<Results<Ok<List<StatRow>>, ValidationProblem>> Stats(string? from, string? to, TipQueries queries, CancellationToken ct)
    {
        var (range, errors) = Range(from, to);
        return errors.Ok ? TypedResults.Ok(await queries.StatsAsync(range.From, range.To, ct)) : errors.ToProblem();
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> StatColumns =
    [
        new("维度", 10), new("分类", 16), new("线索数", 8), new("已核查", 8), new("属实及部分属实", 14), new("平均核查天数", 12),
        new("平均兑现天数", 12), new("奖励逾期", 8),
    ];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem>> StatsExport(string? from, string? to, string? format, TipQueries queries,
        HttpContext http, CancellationToken ct)
    {
        var (range, errors) = Range(from, to);
        var kind = ExportFormat.Parse(format, errors);
        if (!errors.Ok) return errors.ToProblem();
        var rows = await queries.StatsAsync(range.From, range.To, ct);
        return await MineGuard.Platform.Excel.Export.FileAsync(http.RequestServices, ExportPlan.Of("举报线索统计", StatColumns, nameof(Tip),
            count => $"导出举报线索统计 {count} 行（{from ?? "不限"} 至 {to ?? "不限"}）",
            rows.ConvertAll(r => new object?[] { r.Dimension, r.Category, r.Tips, r.Verified, r.TrueOrPartly, r.AvgDaysToVerify, r.AvgDaysToPay, r.PayOverdue })), kind, ct);
    }

    private static ((DateOnly? From, DateOnly? To), FieldErrors) Range(string? from, string? to)
    {
        var errors = new FieldErrors();
        DateOnly? f = null, t = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (CalendarDate.Problem("开始日期", from, out var d) is { } p) errors.Add("From", p);
            else f = d;
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (CalendarDate.Problem("结束日期", to, out var d) is { } p) errors.Add("To", p);
            else t = d;
        }
        if (f > t) errors.Add("To", "结束日期不能早于开始日期");
        return ((f, t), errors);
    }
}
