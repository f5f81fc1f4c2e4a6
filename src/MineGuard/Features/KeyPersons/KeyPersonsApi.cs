using MineGuard.Platform.People;
using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.KeyPersons;

/// <summary>
/// 重点人员 over HTTP, for the office and the police only (<see cref="Policies.KeyPersons"/>). Every handler loads the
/// person, answers 404 when absent or outside the caller's jurisdiction, and only then acts.
/// </summary>
public sealed class KeyPersonsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<KeyPersonCommands>();
        services.AddScoped<KeyPersonQueries>();
        services.AddScoped<Platform.People.IKeyPersonLedger, KeyPersonLedgerLookup>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/key-persons").RequireAuthorization(Policies.KeyPersons).WithTags("key-persons");
        api.MapGet("/", List).WithSummary("重点人员列表");
        api.MapGet("/{id:guid}", Get).WithSummary("重点人员详情");
        // A POST: revealing is an audited act, not a harmless read a link or prefetch may trigger.
        api.MapPost("/{id:guid}/id-number", RevealIdNumber).WithSummary("查看完整身份证号（留痕）");
        // Writes: the office and the police, never a read-only leader (who does not pass the policy above anyway).
        api.MapPost("/", Create).RequireAuthorization(Policies.Writer).WithSummary("登记重点人员");
        api.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Writer).WithSummary("修改重点人员");
        api.MapPost("/{id:guid}/home-visits", AddHomeVisit).RequireAuthorization(Policies.Writer).WithSummary("记录走访");
        api.MapPost("/{id:guid}/adits", LinkAdit).RequireAuthorization(Policies.Writer).WithSummary("关联矿硐");
        api.MapDelete("/{id:guid}/adits/{aditId:guid}", UnlinkAdit).RequireAuthorization(Policies.Writer).WithSummary("取消关联矿硐");
    }

    public static async Task<Results<Ok<KeyPersonPage>, ValidationProblem>> List(
        [AsParameters] KeyPersonQuery query, KeyPersonQueries queries, CancellationToken ct)
    {
        var (page, errors) = await queries.ListAsync(query, ct);
        return page is null ? errors.ToProblem() : TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<KeyPersonView>, NotFound>> Get(
        Guid id, KeyPersonCommands commands, KeyPersonQueries queries, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return TypedResults.NotFound();
        await commands.RecordViewAsync(person, ct);
        return TypedResults.Ok(await queries.ViewAsync(person, ct));
    }

    /// <summary>显示完整身份证号: an explicit request of its own, written to the audit trail before the number leaves.</summary>
    public static async Task<Results<Ok<IdNumberView>, NotFound>> RevealIdNumber(
        Guid id, KeyPersonCommands commands, HttpContext http, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return TypedResults.NotFound();
        var plain = await commands.RevealIdNumberAsync(person, ct);
        // Not kept by browsers or proxies: the next view must be a new, audited request.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new IdNumberView(person.Id, plain));
    }

    public static async Task<Results<Created<KeyPersonView>, ValidationProblem>> Create(
        KeyPersonInput input, KeyPersonCommands commands, KeyPersonQueries queries, CancellationToken ct)
    {
        var (person, errors) = await commands.CreateAsync(input, ct);
        if (person is null) return errors.ToProblem();
        return TypedResults.Created($"/api/key-persons/{person.Id}", await queries.ViewAsync(person, ct));
    }

    public static async Task<Results<Ok<KeyPersonView>, NotFound, ValidationProblem>> Update(
        Guid id, KeyPersonInput input, KeyPersonCommands commands, KeyPersonQueries queries, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return TypedResults.NotFound();
        var errors = await commands.UpdateAsync(person, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await queries.ViewAsync(person, ct));
    }

    public static async Task<Results<Created<HomeVisitView>, NotFound, ValidationProblem>> AddHomeVisit(
        Guid id, HomeVisitInput input, KeyPersonCommands commands, CurrentUser me, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return TypedResults.NotFound();
        var (visit, errors) = await commands.AddHomeVisitAsync(person, input, ct);
        if (visit is null) return errors.ToProblem();
        return TypedResults.Created($"/api/key-persons/{id}",
            new HomeVisitView(visit.Id, visit.VisitedOn, visit.VisitedBy, visit.Outcome, me.DisplayName, visit.RecordedUtc));
    }

    public static async Task<Results<Created<KeyPersonView>, NotFound, ValidationProblem>> LinkAdit(
        Guid id, AditLinkInput input, KeyPersonCommands commands, KeyPersonQueries queries, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return TypedResults.NotFound();
        var (link, errors) = await commands.LinkAditAsync(person, input, ct);
        if (link is null) return errors.ToProblem();
        return TypedResults.Created($"/api/key-persons/{id}", await queries.ViewAsync(person, ct));
    }

    public static async Task<Results<NoContent, NotFound>> UnlinkAdit(Guid id, Guid aditId, KeyPersonCommands commands, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return TypedResults.NotFound();
        return await commands.UnlinkAditAsync(person, aditId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}
