using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Cases;

/// <summary>
/// A county's own case settings, set by its office: the case-number pattern (嵩自然资立〔{year}〕{seq}号) and the letterhead
/// printed on the case documents. A county without a row (or a blank field) falls back to the configuration
/// (<c>Cases:NumberPatternByCounty:{county}</c>, <c>Cases:NumberPattern</c>, <c>Cases:LetterheadByCounty:{county}</c>),
/// then to the defaults.
/// </summary>
public sealed class CaseCountySettings : IInJurisdiction
{
    private CaseCountySettings() { }

    /// <summary>The county's code (the key); also its jurisdiction.</summary>
    public string DivisionCode { get; private set; } = "";

    public string? NumberPattern { get; private set; }
    public string? Letterhead { get; private set; }
    public Guid? UpdatedById { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    public static CaseCountySettings For(string county) => new() { DivisionCode = county };

    public void Set(string? pattern, string? letterhead, Guid? by, DateTime nowUtc)
    {
        NumberPattern = pattern;
        Letterhead = letterhead;
        UpdatedById = by;
        UpdatedUtc = nowUtc;
    }
}

internal sealed class CaseCountySettingsConfiguration : IEntityTypeConfiguration<CaseCountySettings>
{
    public void Configure(EntityTypeBuilder<CaseCountySettings> e)
    {
        e.ToTable("CaseCountySettings");
        e.HasKey(x => x.DivisionCode);
        e.Property(x => x.DivisionCode).HasMaxLength(24);
        e.Property(x => x.NumberPattern).HasMaxLength(CaseSettingsDesk.PatternMax);
        e.Property(x => x.Letterhead).HasMaxLength(CaseSettingsDesk.LetterheadMax);
        e.HasOne<Division>().WithMany().HasForeignKey(x => x.DivisionCode).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>What the office types: blank keeps the configured default.</summary>
public sealed record CaseSettingsInput([property: MaxLength(CaseSettingsDesk.PatternMax)] string? NumberPattern,
    [property: MaxLength(CaseSettingsDesk.LetterheadMax)] string? Letterhead);

/// <summary>A county's settings as shown: what is stored, what applies, and the number the next case would get.</summary>
public sealed record CaseSettingsView(string County, string CountyName, string? NumberPattern, string? Letterhead, string PatternInForce,
    string LetterheadInForce, string NextNumberExample, DateTime? UpdatedUtc);

/// <summary>Reads and sets a county's case settings; the office of a county (or above it) sets them.</summary>
public sealed class CaseSettingsDesk(AppDbContext db, IConfiguration config)
{
    public const int PatternMax = 60, LetterheadMax = 50;

    /// <summary>The counties in the caller's scope the caller may set: by code, with names.</summary>
    public async Task<List<(string Code, string Name)>> CountiesAsync(CancellationToken ct) =>
        (await db.Divisions.CountiesWithinAsync(db.CurrentUser.Scope, ct)).Select(d => (d.Code, d.Name)).ToList();

    private Task<CaseCountySettings?> RowAsync(string county, CancellationToken ct) =>
        db.Set<CaseCountySettings>().FirstOrDefaultAsync(s => s.DivisionCode == county, ct);

    // Numbering and printing read the county's row whoever acts (a township's officer files under the county's pattern):
    // a system judgement over a row the caller is not shown.

    /// <summary>The pattern in force for a county: its office's, else the configuration's, else the default.</summary>
    public async Task<string> PatternAsync(string county, CancellationToken ct) =>
        PatternInForce(county, await db.Set<CaseCountySettings>().Beyond(ScopeExit.SystemJudgement).Where(s => s.DivisionCode == county)
            .Select(s => s.NumberPattern).FirstOrDefaultAsync(ct));

    /// <summary>The letterhead in force: its office's, else the configuration's, else the county's name + 自然资源局.</summary>
    public async Task<string> LetterheadAsync(string county, string countyName, CancellationToken ct) =>
        LetterheadInForce(county, countyName, await db.Set<CaseCountySettings>().Beyond(ScopeExit.SystemJudgement)
            .Where(s => s.DivisionCode == county).Select(s => s.Letterhead).FirstOrDefaultAsync(ct));

    // The fallbacks, shared by the one-field reads above and the settings view (which reads the whole row once).
    private string PatternInForce(string county, string? stored) =>
        stored ?? config[$"Cases:NumberPatternByCounty:{county}"] ?? config["Cases:NumberPattern"] ?? CaseDesk.DefaultPattern;

    private string LetterheadInForce(string county, string countyName, string? stored) =>
        stored ?? (config[$"Cases:LetterheadByCounty:{county}"] is { Length: > 0 } set ? set : countyName + "自然资源局");

    /// <summary>The county's settings, or null when it is not a county in the caller's scope.</summary>
    public async Task<CaseSettingsView?> ViewAsync(string county, CancellationToken ct)
    {
        var division = await db.Divisions.FirstOrDefaultAsync(d => d.Code == county && d.Level == DivisionLevel.County, ct);
        if (division is null || !db.CurrentUser.Scope.Contains(county)) return null;
        // The county is in the caller's scope, so the scoped read sees the row the system judgement would.
        var row = await RowAsync(county, ct);
        var pattern = PatternInForce(county, row?.NumberPattern);
        var year = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime)).Year;
        var next = await db.Set<Case>().Beyond(ScopeExit.ChildrenOfVisible).Where(c => c.CountyCode == county && c.Year == year)
            .Select(c => (int?)c.Seq).MaxAsync(ct) ?? 0;
        return new CaseSettingsView(county, division.Name, row?.NumberPattern, row?.Letterhead, pattern,
            LetterheadInForce(county, division.Name, row?.Letterhead), CaseDesk.Format(pattern, division.Name[..1], year, next + 1), row?.UpdatedUtc);
    }

    /// <summary>Checks and stores; the pattern must carry {year} and {seq} (a number is unique by county, year and sequence).</summary>
    public async Task<FieldErrors> SetAsync(string county, CaseSettingsInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var pattern = CaseDesk.Blank(input.NumberPattern);
        if (pattern is not null)
        {
            if (pattern.Length > PatternMax) errors.Add(nameof(input.NumberPattern), $"案号格式不能超过 {PatternMax} 个字");
            else if (!pattern.Contains("{seq}", StringComparison.Ordinal) || !pattern.Contains("{year}", StringComparison.Ordinal))
                errors.Add(nameof(input.NumberPattern), "案号格式须包含 {year}（年份）和 {seq}（序号），如 嵩自然资立〔{year}〕{seq}号");
            else if (pattern.Replace("{county}", "", StringComparison.Ordinal).Replace("{year}", "", StringComparison.Ordinal)
                         .Replace("{seq}", "", StringComparison.Ordinal).IndexOfAny(['{', '}']) >= 0)
                errors.Add(nameof(input.NumberPattern), "案号格式只能使用 {county}（县名首字）、{year}（年份）和 {seq}（序号）");
        }
        var letterhead = CaseDesk.Blank(input.Letterhead);
        if (letterhead is not null && letterhead.Length > LetterheadMax) errors.Add(nameof(input.Letterhead), $"文书抬头不能超过 {LetterheadMax} 个字");
        if (!errors.Ok) return errors;
        var row = await RowAsync(county, ct);
        if (row is null) db.Add(row = CaseCountySettings.For(county));
        row.Set(pattern, letterhead, db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public static async Task<Results<Ok<CaseSettingsView>, NotFound>> Get(string county, CaseSettingsDesk desk, CancellationToken ct) =>
        await desk.ViewAsync(county, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<Results<Ok<CaseSettingsView>, NotFound, ValidationProblem>> Put(string county, CaseSettingsInput input, CaseSettingsDesk desk,
        CancellationToken ct)
    {
        if (await desk.ViewAsync(county, ct) is null) return TypedResults.NotFound();
        var errors = await desk.SetAsync(county, input, ct);
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await desk.ViewAsync(county, ct))!);
    }
}
