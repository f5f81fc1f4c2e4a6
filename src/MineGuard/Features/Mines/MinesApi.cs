using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.Mines;

/// <summary>
/// One licensed mine as the API and the pages show it. Mineral and status are the Chinese names the input accepts;
/// Expired (licence ended before today in China) and Closing (关闭退出) are what the list marks. Boundary (WGS84, or
/// GCJ-02 when asked for) is filled only for a single mine.
/// </summary>
public sealed record MineView(
    Guid Id, string Name, string RightsHolder, string LicenceNumber, string Mineral, string Status,
    string CountyCode, string CountyName, string DivisionCode, string DivisionName, DateOnly? ValidFrom, DateOnly? ValidTo,
    bool Expired, bool Closing, double[] Bbox, bool IsDemo, DateTime UpdatedUtc, JsonElement? Boundary = null,
    Guid? ResponsiblePersonId = null, string? ResponsibleName = null);

public sealed record MinePage(int Total, int Page, int PageSize, List<MineView> Items);

/// <summary>矿山台账 over HTTP: the same commands as the pages; reads for all staff, writes for everyone but leaders.</summary>
public sealed class MinesApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<MineCommands>();
        services.AddSingleton<MineGuard.Platform.People.IResponsiblePlaces, MineResponsible>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/mines").RequireAuthorization(Policies.Staff).WithTags("mines");
        api.MapGet("/", List).WithSummary("矿业权列表");
        api.MapGet("/{id:guid}", Get).WithSummary("矿业权详情");
        api.MapPost("/", Create).RequireAuthorization(Policies.Writer).WithSummary("登记矿业权");
        api.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Writer).WithSummary("修改矿业权");
    }

    public static async Task<Results<Ok<MinePage>, ValidationProblem>> List(
        [AsParameters] MineListQuery query, MineCommands mines, CancellationToken ct)
    {
        var (result, errors) = await mines.ListAsync(query, ct);
        if (result is null) return errors.ToProblem();
        var names = await mines.DivisionNamesAsync(result.Items, ct);
        var today = mines.Today;
        return TypedResults.Ok(new MinePage(result.Total, result.Page, result.PageSize,
            result.Items.Select(m => View(m, names, today)).ToList()));
    }

    public static async Task<Results<Ok<MineView>, NotFound, ValidationProblem>> Get(
        Guid id, string? crs, MineCommands mines, CancellationToken ct)
    {
        if (crs is not (null or "wgs84" or "gcj02"))
            return new FieldErrors { ["crs"] = ["坐标系只能是 wgs84 或 gcj02"] }.ToProblem();
        // Outside the user's scope the jurisdiction filter hides the mine: a 404, as if it did not exist.
        var mine = await mines.Mines.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mine is null) return TypedResults.NotFound();
        return TypedResults.Ok(await DetailAsync(mine, mines, crs == "gcj02", ct));
    }

    public static async Task<Results<Created<MineView>, ValidationProblem>> Create(MineInput input, MineCommands mines, CancellationToken ct)
    {
        var (mine, errors) = await mines.CreateAsync(input, ct);
        if (mine is null) return errors.ToProblem();
        return TypedResults.Created($"/api/mines/{mine.Id}", await DetailAsync(mine, mines, false, ct));
    }

    public static async Task<Results<Ok<MineView>, NotFound, ValidationProblem>> Update(
        Guid id, MineInput input, MineCommands mines, CancellationToken ct)
    {
        var mine = await mines.Mines.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mine is null) return TypedResults.NotFound();
        var errors = await mines.UpdateAsync(mine, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok(await DetailAsync(mine, mines, false, ct));
    }

    public static async Task<MineView> DetailAsync(LicensedMine mine, MineCommands mines, bool gcj02, CancellationToken ct)
    {
        var json = gcj02 ? GeoJson.Write(Gcj02.GeometryToGcj02(GeoJson.ReadFirstGeometry(mine.BoundaryGeoJson))) : mine.BoundaryGeoJson;
        var view = View(mine, await mines.DivisionNamesAsync([mine], ct), mines.Today);
        return view with { Boundary = JsonSerializer.Deserialize<JsonElement>(json), ResponsibleName = await mines.ResponsibleNameAsync(mine, ct) };
    }

    public static MineView View(LicensedMine m, IReadOnlyDictionary<string, string> names, DateOnly today) =>
        new(m.Id, m.Name, m.RightsHolder, m.LicenceNumber, AditNames.Minerals[m.Mineral], MineNames.Statuses[m.Status],
            m.CountyCode, names.GetValueOrDefault(m.CountyCode) ?? m.CountyCode,
            m.DivisionCode, names.GetValueOrDefault(m.DivisionCode) ?? m.DivisionCode, m.ValidFrom, m.ValidTo,
            m.IsExpired(today), m.Status == MineStatus.Closing, [m.MinLon, m.MinLat, m.MaxLon, m.MaxLat], m.IsDemo, m.UpdatedUtc,
            ResponsiblePersonId: m.ResponsiblePersonId);
}
