using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.SpotChecks;

/// <summary>
/// 抽查 over HTTP: draw, list, detail with the sample, the published list (text), the re-draw check, a result per item,
/// the signers' tally and the default share. Everything answers 404 to anyone but the drawing level (city or province:
/// office, leaders, administrators) and its discipline commission; writes are the office's and administrators'.
/// </summary>
public sealed class SpotChecksApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<SpotCheckDesk>();

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/spot-checks").RequireAuthorization(Policies.Staff).WithTags("spot-checks");
        api.MapGet("/", List).WithSummary("抽查列表（市级、省级及纪委监委可见）");
        api.MapPost("/", Draw).RequireAuthorization(Policies.Writer).WithSummary("按公布的随机种子抽取抽查事项");
        api.MapGet("/settings", Setting).WithSummary("默认抽查比例");
        api.MapPut("/settings", PutSetting).RequireAuthorization(Policies.Writer).WithSummary("设置默认抽查比例");
        api.MapGet("/signers", Signers).WithSummary("按签字人统计抽查核查结果");
        api.MapGet("/{id:guid}", Get).WithSummary("抽查详情及抽中的事项");
        api.MapGet("/{id:guid}/list", ListText).WithSummary("公布的可抽查事项清单（每行：类型,编号,分层）");
        api.MapGet("/{id:guid}/verify", Verify).WithSummary("按种子和清单重新抽取并与记录比对");
        api.MapPost("/{id:guid}/items/{itemId:guid}/result", Result).RequireAuthorization(Policies.Writer).WithSummary("记录抽查事项的核查结果");
    }

    public static async Task<Results<Ok<List<SpotCheckDrawView>>, NotFound>> List(SpotCheckDesk desk, CancellationToken ct) =>
        desk.CanRead ? TypedResults.Ok(await desk.ListAsync(ct)) : TypedResults.NotFound();

    public static async Task<Results<Created<SpotCheckDrawView>, Ok<SpotCheckDrawView>, ValidationProblem, NotFound, ForbidHttpResult>> Draw(
        SpotCheckDrawInput input, SpotCheckDesk desk, CancellationToken ct)
    {
        if (!desk.CanRead) return TypedResults.NotFound();
        if (!desk.CanWrite) return TypedResults.Forbid();
        var (draw, existing, errors) = await desk.DrawAsync(input, ct);
        if (draw is null) return errors.ToProblem();
        var view = (await desk.DetailAsync(draw.Id, ct))!;
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/spot-checks/{draw.Id}", view);
    }

    public static async Task<Results<Ok<SpotCheckDrawView>, NotFound>> Get(Guid id, SpotCheckDesk desk, CancellationToken ct) =>
        desk.CanRead && await desk.DetailAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<ContentHttpResult, NotFound>> ListText(Guid id, SpotCheckDesk desk, CancellationToken ct) =>
        desk.CanRead && await desk.ListTextAsync(id, ct) is { } text ? TypedResults.Text(text, "text/plain", System.Text.Encoding.UTF8) : TypedResults.NotFound();

    public static async Task<Results<Ok<SpotCheckVerifyView>, NotFound>> Verify(Guid id, SpotCheckDesk desk, CancellationToken ct) =>
        desk.CanRead && await desk.VerifyAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<List<SpotCheckSignerView>>, NotFound>> Signers(SpotCheckDesk desk, CancellationToken ct) =>
        desk.CanRead ? TypedResults.Ok(await desk.SignersAsync(ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<SpotCheckSettingView>, NotFound>> Setting(SpotCheckDesk desk, CancellationToken ct) =>
        desk.CanRead ? TypedResults.Ok(await desk.SettingAsync(ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<SpotCheckSettingView>, ValidationProblem, NotFound, ForbidHttpResult>> PutSetting(SpotCheckSettingInput input,
        SpotCheckDesk desk, CancellationToken ct)
    {
        if (!desk.CanRead) return TypedResults.NotFound();
        if (!desk.CanWrite) return TypedResults.Forbid();
        var errors = await desk.SetSettingAsync(input, ct);
        return errors.Ok ? TypedResults.Ok(await desk.SettingAsync(ct)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<SpotCheckItemView>, ValidationProblem, NotFound, ForbidHttpResult>> Result(Guid id, Guid itemId,
        SpotCheckResultInput input, SpotCheckDesk desk, CancellationToken ct)
    {
        if (!desk.CanRead) return TypedResults.NotFound();
        if (!desk.CanWrite) return TypedResults.Forbid();
        var (item, errors) = await desk.RecordAsync(id, itemId, input, ct);
        if (item is null) return TypedResults.NotFound();
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await desk.DetailAsync(id, ct))!.Items!.First(i => i.Id == itemId));
    }
}
