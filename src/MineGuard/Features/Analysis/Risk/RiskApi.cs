using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Risk;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Analysis;

/// <summary>An adit's risk as shown: the score (0–100), the radius of "near" and every contribution, largest first.</summary>
public sealed record AditRiskView(Guid AditId, string Number, double Score, int NearMetres, IReadOnlyList<RiskContribution> Contributions, string Reason);

/// <summary>One weight as shown: the signal, the weight in force, its default, and whether a source feeds it yet.</summary>
public sealed record RiskWeightView(string Key, string Label, double Weight, double DefaultWeight, bool HasSource);

public sealed record RiskWeightsView(string County, string CountyName, IReadOnlyList<RiskWeightView> Weights, int NearMetres, bool IsDefault, DateTime? UpdatedUtc);

/// <summary>What the office sets: a weight per signal (0–100; blank keeps the default) and the radius of "near" in metres.</summary>
public sealed record RiskWeightsInput(double? Seal, double? Method, double? Repeat, double? Recent, double? Neglect, double? Alerts, double? Clues,
    double? KeyPersons, double? Tips, double? Meters, double? Vehicles, int? NearMetres, double? Incidents = null)
{
    public double?[] Values => [Seal, Method, Repeat, Recent, Neglect, Alerts, Clues, KeyPersons, Tips, Meters, Vehicles, Incidents];
}

/// <summary>
/// 风险评分 over HTTP: an adit's score with its contributions (scoped: another county's adit is a 404), and a county's
/// weights read and set by its office.
/// </summary>
public sealed class RiskApi : IFeature
{
    public const int NearMin = 100, NearMax = 5000;

    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<RiskScorer>();
        services.AddScoped<IAditRiskRanking>(sp => sp.GetRequiredService<RiskScorer>());
        services.AddScoped<RiskWeightsDesk>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/adits").RequireAuthorization(Policies.Staff).WithTags("analysis")
            .MapGet("/{id:guid}/risk", Risk).WithSummary("矿硐风险评分（0–100）及各项因素的贡献");
        var api = app.MapGroup("/api/analysis").RequireAuthorization(Policies.Office).WithTags("analysis");
        api.MapGet("/risk-weights", GetWeights).WithSummary("本县风险评分权重（county 为县代码，县级用户可省略）");
        api.MapPut("/risk-weights", PutWeights).WithSummary("设置本县风险评分权重（各项 0–100，留空用默认值；nearMetres 为“附近”的半径，100–5000 米）");
    }

    public static async Task<Results<Ok<AditRiskView>, NotFound>> Risk(Guid id, AppDbContext db, RiskScorer scorer, CancellationToken ct)
    {
        var adit = await db.Adits().AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Id, a.Number, a.CountyCode }).FirstOrDefaultAsync(ct);
        if (adit is null) return TypedResults.NotFound();
        var view = await ViewAsync(db, scorer, adit.Id, ct);
        return view is null ? TypedResults.NotFound() : TypedResults.Ok(view);
    }

    /// <summary>The adit's risk, or null when it is not visible; the API and the adit page's section read it.</summary>
    public static async Task<AditRiskView?> ViewAsync(AppDbContext db, RiskScorer scorer, Guid id, CancellationToken ct)
    {
        var adit = await db.Adits().AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Id, a.Number, a.CountyCode }).FirstOrDefaultAsync(ct);
        if (adit is null) return null;
        var score = (await scorer.ScoreAsync(db.Adits().Where(a => a.Id == id), ct))[id];
        var weights = (await scorer.WeightsAsync([adit.CountyCode], ct)).GetValueOrDefault(adit.CountyCode) ?? RiskModel.Weights.Default;
        return new AditRiskView(adit.Id, adit.Number, score.Score, weights.NearMetres, score.Contributions, score.Reason);
    }

    public static async Task<Results<Ok<RiskWeightsView>, NotFound, ValidationProblem>> GetWeights(string? county, RiskWeightsDesk desk, CancellationToken ct)
    {
        if (desk.CountyOf(county) is not { } code) return NoCounty();
        return await desk.ViewAsync(code, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<RiskWeightsView>, NotFound, ValidationProblem>> PutWeights(string? county, RiskWeightsInput input,
        RiskWeightsDesk desk, CancellationToken ct)
    {
        if (desk.CountyOf(county) is not { } code) return NoCounty();
        if (await desk.ViewAsync(code, ct) is null) return TypedResults.NotFound();
        var errors = await desk.SetAsync(code, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await desk.ViewAsync(code, ct))!);
    }

    private static ValidationProblem NoCounty()
    {
        var errors = new FieldErrors();
        errors.Add("County", "请指定县（county 为 6 位县级区划代码）");
        return errors.ToProblem();
    }
}

/// <summary>Reads and sets a county's risk weights; the office of a county (or above it) sets them.</summary>
public sealed class RiskWeightsDesk(AppDbContext db)
{
    /// <summary>The county asked for, or the caller's own county when they sit in one; null when neither.</summary>
    public string? CountyOf(string? county)
    {
        if (!string.IsNullOrWhiteSpace(county)) return county.Trim();
        var scope = db.CurrentUser.Scope.Code;
        return scope.Length >= 6 ? scope[..6] : null;
    }

    /// <summary>The counties in the caller's scope: by code, with names (the settings page's choice).</summary>
    public async Task<List<(string Code, string Name)>> CountiesAsync(CancellationToken ct) =>
        (await db.Divisions.CountiesWithinAsync(db.CurrentUser.Scope, ct)).Select(d => (d.Code, d.Name)).ToList();

    /// <summary>The county's weights in force, or null when it is not a county in the caller's scope.</summary>
    public async Task<RiskWeightsView?> ViewAsync(string county, CancellationToken ct)
    {
        var division = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == county && d.Level == DivisionLevel.County, ct);
        if (division is null || !db.CurrentUser.Scope.Contains(county)) return null;
        var row = await db.Set<RiskWeights>().AsNoTracking().FirstOrDefaultAsync(w => w.DivisionCode == county, ct);
        var w = row?.ToWeights() ?? RiskModel.Weights.Default;
        return new RiskWeightsView(county, division.Name,
            RiskModel.Signals.Select((s, i) => new RiskWeightView(s.Key, s.Label, w.Values[i], s.DefaultWeight, s.HasSource)).ToList(),
            w.NearMetres, row is null, row?.UpdatedUtc);
    }

    public async Task<FieldErrors> SetAsync(string county, RiskWeightsInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var given = input.Values;
        var values = new double[RiskModel.Signals.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var s = RiskModel.Signals[i];
            values[i] = given[i] ?? s.DefaultWeight;
            if (double.IsNaN(values[i]) || values[i] is < 0 or > 100)
                errors.Add(char.ToUpperInvariant(s.Key[0]) + s.Key[1..], $"“{s.Label}”的权重须在 0 到 100 之间");
        }

        var near = input.NearMetres ?? RiskModel.DefaultNearMetres;
        if (near is < RiskApi.NearMin or > RiskApi.NearMax)
            errors.Add(nameof(input.NearMetres), $"“附近”的半径须在 {RiskApi.NearMin} 到 {RiskApi.NearMax} 米之间");
        if (errors.Ok && RiskModel.Signals.Select((s, i) => s.HasSource ? values[i] : 0).Sum() <= 0)
            errors.Add("Seal", "有数据的各项权重不能全为 0");
        if (!errors.Ok) return errors;
        var row = await db.Set<RiskWeights>().FirstOrDefaultAsync(w => w.DivisionCode == county, ct);
        if (row is null) db.Add(row = RiskWeights.For(county));
        row.Set(new RiskModel.Weights(values, near), db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return errors;
    }
}
