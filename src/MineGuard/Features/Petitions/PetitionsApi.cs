using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Petitions;

/// <summary>信访事项 over HTTP: staff in scope read; writers record, reroute, reply and archive.</summary>
public sealed class PetitionsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<PetitionCommands>();
        services.AddScoped<Platform.Deadlines.IEscalation, PetitionEscalation>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/petitions").RequireAuthorization(Policies.Staff).WithTags("petitions");
        api.MapGet("/", List).WithSummary("信访件列表（每页 50 件，p 为页码，q 为关键字）");
        api.MapExport("/export.xlsx", Export, "导出信访件列表");
        api.MapGet("/routing", () => TypedResults.Ok(PetitionRouting.Table.Select(r => new { nature = r.Nature.ToString(), name = r.Chinese, department = r.Department,
            departmentName = Platform.Jurisdiction.Department.NameOf(r.Department) }))).WithSummary("信访分类与承办部门对照表");
        api.MapGet("/{id:guid}", Get).WithSummary("信访件详情");
        api.MapPost("/", Record).RequireAuthorization(Policies.Writer).WithSummary("登记信访件");
        api.MapPost("/{id:guid}/route", Reroute).RequireAuthorization(Policies.Writer).WithSummary("改派信访件");
        api.MapPost("/{id:guid}/reply", Reply).RequireAuthorization(Policies.Writer).WithSummary("答复信访人");
        api.MapPost("/{id:guid}/archive", Archive).RequireAuthorization(Policies.Writer).WithSummary("信访件归档");
    }

    public static async Task<Results<Ok<List<PetitionView>>, ValidationProblem>> List([AsParameters] PetitionQuery query, PetitionCommands commands, CancellationToken ct)
    {
        var (page, errors) = await commands.ListAsync(query, ct);
        return page is null ? errors.ToProblem() : TypedResults.Ok(page.Items.ToList());
    }

    public static readonly IReadOnlyList<XlsxWriter.Column> ExportColumns =
    [
        new("编号", 18), new("收到日期", 12), new("涉及地区", 14), new("性质", 12), new("信访人", 10), new("信访内容", 40), new("承办部门", 14),
        new("答复期限", 12), new("状态", 8), new("是否逾期", 8), new("答复", 30), new("答复时间", 17), new("归档时间", 17),
    ];

    /// <summary>The filtered list, all pages, to Excel; the petitioner's contact stays in the system.</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export([AsParameters] PetitionQuery query, string? format, PetitionCommands commands,
        HttpContext http, CancellationToken ct)
    {
        var (items, errors) = commands.Filter(query);
        if (items is null) return errors.ToProblem();
        return await ListExport.SendAsync(http, format, "信访事项", ExportColumns, nameof(Petition), query.Q?.Trim(), services =>
        {
            var commands = services.GetRequiredService<PetitionCommands>();
            return new ListRows<Petition>(commands.Filter(query).Items!, async (list, token) => (await commands.ViewsAsync(list, token))
                .Select(p => new object?[] { p.Number, p.ReceivedOn, p.Place, p.Nature, p.Petitioner, p.Content, p.Department, p.DueOn, p.Status,
                    p.Overdue ? "是" : "否", p.Reply, p.RepliedAt, p.ArchivedAt }));
        }, ct);
    }

    public static async Task<Results<Ok<PetitionView>, NotFound>> Get(Guid id, PetitionCommands commands, CancellationToken ct) =>
        await commands.FindAsync(id, ct) is { } p ? TypedResults.Ok((await commands.ViewsAsync([p], ct))[0]) : TypedResults.NotFound();

    public static async Task<Results<Created<PetitionView>, ValidationProblem>> Record(PetitionInput input, PetitionCommands commands, CancellationToken ct)
    {
        var (petition, errors) = await commands.RecordAsync(input, ct);
        if (petition is null) return errors.ToProblem();
        return TypedResults.Created($"/api/petitions/{petition.Id}", (await commands.ViewsAsync([petition], ct))[0]);
    }

    public static async Task<Results<Ok<PetitionView>, NotFound, ValidationProblem>> Reroute(Guid id, RerouteInput input, PetitionCommands commands, CancellationToken ct)
    {
        var p = await commands.FindAsync(id, ct);
        if (p is null) return TypedResults.NotFound();
        var errors = await commands.RerouteAsync(p, input, ct);
        return errors.Ok ? TypedResults.Ok((await commands.ViewsAsync([p], ct))[0]) : errors.ToProblem();
    }

    public static async Task<Results<Ok<PetitionView>, NotFound, ValidationProblem>> Reply(Guid id, ReplyInput input, PetitionCommands commands, CancellationToken ct)
    {
        var p = await commands.FindAsync(id, ct);
        if (p is null) return TypedResults.NotFound();
        var errors = await commands.ReplyAsync(p, input, ct);
        return errors.Ok ? TypedResults.Ok((await commands.ViewsAsync([p], ct))[0]) : errors.ToProblem();
    }

    public static async Task<Results<Ok<PetitionView>, NotFound>> Archive(Guid id, PetitionCommands commands, CancellationToken ct)
    {
        var p = await commands.FindAsync(id, ct);
        if (p is null) return TypedResults.NotFound();
        await commands.ArchiveAsync(p, ct);
        return TypedResults.Ok((await commands.ViewsAsync([p], ct))[0]);
    }
}
