using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

/// <summary>
/// 巡查规则: the numbers compliance and proof of presence are judged by, per jurisdiction. A node without its own row uses
/// its nearest ancestor's, and the defaults (from the Hongjiang plan) when none has one.
/// </summary>
public sealed class PatrolRuleSet : IInJurisdiction
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string DivisionCode { get; set; } = "";

    // Compliance (洪江市实施方案).
    public int PatrolsPerWeek { get; set; } = 3;
    public int ChecksPerAditPerMonth { get; set; } = 1;
    public int CrossPatrolsPerMonth { get; set; } = 2;
    public int CityTeamPatrolDaysPerMonth { get; set; } = 22;

    // Proof of presence.
    public double MaxDistanceMetres { get; set; } = 50;
    public double MaxAccuracyMetres { get; set; } = 30;
    public double MaxSpeedKmh { get; set; } = 120;
    public int MaxTrackGapMinutes { get; set; } = 10;
    public int ClockToleranceMinutes { get; set; } = 5;
    public int PhotoToleranceMinutes { get; set; } = 15;
    public double PhotoMaxDistanceMetres { get; set; } = 100;
    public bool RequirePhoto { get; set; } = true;

    // Suspicious patterns.
    public double CheckInHopKmh { get; set; } = 60;
    public int NightStartHour { get; set; } = 21;
    public int NightEndHour { get; set; } = 5;
    /// <summary>
    /// 住所附近范围: a night check-in this close to the member's home is flagged for review (issue 15: a faker at home
    /// spoofs a position at an adit "just outside" 500 m; 2 km is a night walk of under half an hour). A review flag,
    /// never a refusal: it cannot be told apart from a real evening check.
    /// </summary>
    public double HomeRadiusMetres { get; set; } = 2000;

    /// <summary>Where the default patrol frequencies come from: Hongjiang's plan (seed document 001), a county-level city of Hunan.</summary>
    public const string DefaultsSource = "《洪江市非煤矿山领域“打非治违”工作实施方案》（湖南省洪江市，2025 年）";

    /// <summary>洪江市: the only jurisdiction whose own plan the default frequencies are.</summary>
    public const string DefaultsSourceDivision = "431281";

    public static PatrolRuleSet Defaults(string divisionCode) => new() { DivisionCode = divisionCode };

    /// <summary>The rules that apply at a division: its own row or its nearest ancestor's (rows passed in, any order).</summary>
    public static PatrolRuleSet For(string divisionCode, IEnumerable<PatrolRuleSet> rows) =>
        rows.Where(r => divisionCode.StartsWith(r.DivisionCode, StringComparison.Ordinal))
            .OrderByDescending(r => r.DivisionCode.Length).FirstOrDefault() ?? Defaults(divisionCode);
}
