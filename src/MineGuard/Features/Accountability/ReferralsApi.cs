using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Accountability;

/// <summary>
/// 问责线索 over HTTP: list, detail, the commission's decision, the office's evaluation on demand and the rules' settings.
/// Anyone but the office, leaders, administrators and the discipline commission (纪委监委) gets 404 on every route, as
/// for a referral outside the scope; only the commission decides (403 for the office).
/// </summary>
public sealed class ReferralsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ReferralEvaluator>();
        services.AddScoped<ReferralDesk>();
        services.AddSingleton<ReferralJob>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferralJob>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/referrals").RequireAuthorization(Policies.Staff).WithTags("referrals");
        api.MapGet("/", List).WithSummary("问责线索列表（纪委监委及打非办可见；state、rule、period 筛选，division 为区划代码，from、to 为产生日期）");
        api.MapGet("/{id:guid}", Get).WithSummary("问责线索详情：触发规则、统计期间、所计记录和被问责人员");
        api.MapPost("/{id:guid}/decision", Decide).RequireAuthorization(Policies.Writer).WithSummary("纪委监委记录问责线索的处理决定");
        api.MapPost("/evaluate", Evaluate).RequireAuthorization(Policies.Office).WithSummary("按月评估问责规则并生成问责线索");
        api.MapGet("/settings/{division}", Setting).WithSummary("本辖区的问责规则设置");
        api.MapPut("/settings/{division}", PutSetting).RequireAuthorization(Policies.Office).WithSummary("设置本辖区的问责规则");
    }

    public static async Task<Results<Ok<List<ReferralView>>, ValidationProblem, NotFound>> List(string? state, string? rule, string? period, ReferralDesk desk,
        CancellationToken ct, string? division = null, string? from = null, string? to = null)
    {
        if (!desk.CanRead) return TypedResults.NotFound();
        var (list, errors) = await desk.ListAsync(state, rule, period, ct, division, from, to);
        return list is null ? errors.ToProblem() : TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<ReferralView>, NotFound>> Get(Guid id, ReferralDesk desk, CancellationToken ct) =>
        desk.CanRead && await desk.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<ReferralView>, ValidationProblem, NotFound, ForbidHttpResult>> Decide(Guid id, ReferralDecisionInput input,
        ReferralDesk desk, CancellationToken ct)
    {
        if (!desk.CanRead || await desk.GetAsync(id, ct) is null) return TypedResults.NotFound();
        if (!desk.CanDecide) return TypedResults.Forbid();
        var (view, errors) = await desk.DecideAsync(id, input, ct);
        if (view is null) return TypedResults.NotFound();
        return errors.Ok ? TypedResults.Ok(view) : errors.ToProblem();
    }

    public static async Task<Results<Ok<ReferralEvaluation>, ValidationProblem>> Evaluate(ReferralEvaluateInput input, ReferralDesk desk, CancellationToken ct)
    {
        var (result, errors) = await desk.EvaluateAsync(input, ct);
        return result is null ? errors.ToProblem() : TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<AccountabilitySettingView>, NotFound>> Setting(string division, ReferralDesk desk, CancellationToken ct) =>
        desk.CanRead && await desk.SettingAsync(division, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<AccountabilitySettingView>, ValidationProblem, NotFound>> PutSetting(string division, AccountabilitySettingInput input,
        ReferralDesk desk, CancellationToken ct)
    {
        var (view, errors) = await desk.SetSettingAsync(division, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return view is null ? TypedResults.NotFound() : TypedResults.Ok(view);
    }
}
