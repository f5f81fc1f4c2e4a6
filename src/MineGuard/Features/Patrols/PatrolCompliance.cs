using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

/// <summary>A week's counted patrols; a week not over yet (Complete false) is shown but not judged.</summary>
public sealed record WeekCount(DateOnly WeekStart, int Patrols, bool Complete);

public sealed record TeamCompliance(
    Guid Id, string Name, string Kind, string DivisionCode, int Members,
    int Patrols, IReadOnlyList<WeekCount> Weeks, int PatrolsPerWeekRequired, bool WeeklyOk,
    int AditsInArea, int AditsCovered, bool CoverageOk,
    int CrossPatrols, int CrossPatrolsRequired, bool CrossOk,
    int PatrolDays, int PatrolDaysRequired, bool DaysOk, int Faked)
{
    public bool IsCityTeam => Kind == PatrolText.Kind(PatrolTeamKind.CityJoint);

    /// <summary>No check-in of the team's this month was found faked on review (伪造签到 fails the month whatever the counts).</summary>
    public bool IntegrityOk => Faked == 0;

    /// <summary>What the rules ask of the team in the period: patrols per week times the weeks over; a city team's patrol days.</summary>
    public int Planned => IsCityTeam ? PatrolDaysRequired : Weeks.Count(w => w.Complete) * PatrolsPerWeekRequired;

    /// <summary>What the team did, in the unit of <see cref="Planned"/>: counted patrols; a city team's patrol days.</summary>
    public int Done => IsCityTeam ? PatrolDays : Patrols;

    /// <summary>Meets every rule that applies to its kind, with no faked check-in.</summary>
    public bool Ok => IntegrityOk && (IsCityTeam ? DaysOk : WeeklyOk && CoverageOk && CrossOk);
}

public sealed record BlindSpot(Guid Id, string Number, string? Name, string? Township, double Lat, double Lon, string State, DateTime? LastVerifiedUtc);

/// <summary>A member's month: <paramref name="Faked"/> is the check-ins a reviewer found faked (they count against the member).</summary>
public sealed record MemberCompliance(Guid UserId, string Name, string Team, int Patrols, int CheckIns, int Verified, int Unverified, int Flagged, int Faked);

/// <summary>The active adits of one division code and how many of them were proved visited in the period.</summary>
public sealed record AditCoverage(string DivisionCode, int Due, int Covered);

public sealed record ComplianceReport(
    string Month, string DivisionCode, string DivisionName, DateOnly From, DateOnly To, bool MonthOver,
    IReadOnlyList<TeamCompliance> Teams, int AditCount, int BlindSpotCount, IReadOnlyList<BlindSpot> BlindSpots,
    IReadOnlyList<MemberCompliance> Members)
{
    /// <summary>
    /// Per division code (of the adit): the active adits and those a counting check-in proved a visit to in the period;
    /// what the supervision dashboard sums per child, so its coverage and blind spots are this page's by construction.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<AditCoverage> Coverage { get; init; } = [];

    /// <summary>Whether the period is one whole calendar month (else the monthly rules were prorated).</summary>
    public bool WholeMonth => From.Day == 1 && To == From.AddMonths(1).AddDays(-1);
}

/// <summary>
/// 巡查考核: each team's month against the rules (Hongjiang plan, per-jurisdiction settings), the adits nobody proved a
/// visit to (blind spots), and each member's figures. Only check-ins that count (verified, not flagged or flags cleared)
/// count; a patrol counts when one of its check-ins does. Weeks are the Monday-to-Sunday weeks wholly inside the month.
/// </summary>
public sealed class PatrolCompliance(AppDbContext db)
{
    /// <summary>
    /// The first day of the month asked for ("2026-11"), or of the current month (China time) when none is asked for;
    /// returns the Chinese message when the text is not a month (first is then the current month).
    /// </summary>
    public static string? Month(string? text, TimeProvider clock, out DateOnly first)
    {
        var today = ChinaTime.ToLocal(clock.GetUtcNow().UtcDateTime);
        first = new DateOnly(today.Year, today.Month, 1);
        if (text is null) return null;
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", out var asked)) return "月份格式应为 2026-11";
        // The month's range runs to the next month's first day: 9999-12 has none (it used to end in HTTP 500).
        if (asked.Year is < 2000 or > 2100) return "月份须在 2000-01 至 2100-12 之间";
        first = asked;
        return null;
    }

    /// <summary>The month as UTC instants [from, to): China midnights of its first day and of the next month's.</summary>
    public static (DateTime From, DateTime To) UtcRange(DateOnly first) =>
        (ChinaTime.ToUtc(first.ToDateTime(TimeOnly.MinValue)), ChinaTime.ToUtc(first.AddMonths(1).ToDateTime(TimeOnly.MinValue)));

    public Task<ComplianceReport> ComputeAsync(DateOnly month, string divisionCode, int blindSpotLimit, CancellationToken ct, bool members = true)
    {
        var from = new DateOnly(month.Year, month.Month, 1);
        return ComputeAsync(from, from.AddMonths(1).AddDays(-1), divisionCode, blindSpotLimit, ct, members);
    }

    /// <summary>
    /// A monthly requirement over a period: as it is for one whole calendar month, else prorated by the period's days
    /// against 30 and rounded up (a dashboard's period need not be a month; weeks are judged as they are).
    /// </summary>
    public static int Prorate(int perMonth, DateOnly from, DateOnly to) =>
        from.Day == 1 && to == from.AddMonths(1).AddDays(-1) ? perMonth : (int)Math.Ceiling(perMonth * (to.DayNumber - from.DayNumber + 1) / 30.0);

    /// <summary>
    /// The figures for any period [from, to] (days, China time): the month's rules, the monthly ones prorated. With
    /// <paramref name="blindSpotLimit"/> 0 no blind spot is listed and the adits are counted per division in SQL (not
    /// listed); without <paramref name="members"/> the members' figures are not read (the dashboard needs neither).
    /// </summary>
    public async Task<ComplianceReport> ComputeAsync(DateOnly from, DateOnly to, string divisionCode, int blindSpotLimit, CancellationToken ct,
        bool members = true)
    {
        var (fromUtc, toUtc) = (new ReportPeriod(from, to).FromUtc, new ReportPeriod(from, to).ToUtcExclusive);
        var scope = JurisdictionScope.Of(divisionCode);
        var division = await db.Divisions.AsNoTracking().FirstAsync(d => d.Code == divisionCode, ct);

        var teams = await db.PatrolTeams().AsNoTracking().Include(t => t.Areas).Include(t => t.Members).AsSplitQuery()
            .Within(scope, t => t.DivisionCode).OrderBy(t => t.DivisionCode).ThenBy(t => t.Name).ToListAsync(ct);

        // The period's check-ins in the division (by the check-in's code): read by time (IX_CheckIns_AtUtc, BRIN on
        // PostgreSQL), so a province's month reads that month's pages only. Two reads with small answers:
        // - per patrol, its counting and its faked check-ins (CheckIn.CountingOrFaked: of these, the ones not faked are
        //   the counting ones), joined to the patrol (some 25,000 rows for a province's month). A patrol counts when one
        //   of its check-ins does; faked check-ins count against the patrol's team and member;
        // - per division code of the active adits, how many there are and how many a counting check-in proved a visit to
        //   (the page lists the adits instead: it names the blind spots).
        var inPeriod = db.CheckIns().AsNoTracking()
            .Where(c => c.AtUtc >= fromUtc && c.AtUtc < toUtc)
            .Where(c => string.Compare(c.DivisionCode, scope.From) >= 0 && string.Compare(c.DivisionCode, scope.To) < 0);
        var perPatrol = await inPeriod.Where(CheckIn.CountingOrFaked)
            .GroupBy(c => c.PatrolId)
            .Select(g => new { PatrolId = g.Key, Counted = g.Count(c => c.FakedUtc == null), Faked = g.Count(c => c.FakedUtc != null) })
            .Join(db.Patrols().Beyond(ScopeExit.LinkedLabel), g => g.PatrolId, p => p.Id,
                (g, p) => new { p.Id, p.TeamId, p.UserId, p.IsCross, p.StartedUtc, g.Counted, g.Faked })
            .ToListAsync(ct);
        var countedPatrols = perPatrol.Where(r => r.Counted > 0)
            .Select(r => new { PatrolId = r.Id, r.TeamId, r.UserId, r.IsCross, Day = DateOnly.FromDateTime(ChinaTime.ToLocal(r.StartedUtc)) })
            .ToList();
        var fakedOf = perPatrol.Where(r => r.Faked > 0).GroupBy(r => r.TeamId).ToDictionary(g => g.Key, g => g.Sum(r => r.Faked));

        var active = db.Adits().AsNoTracking().Where(a => a.Status == AditStatus.Active).Within(scope, a => a.DivisionCode);
        var counting = inPeriod.Where(CheckIn.Counting);
        List<AditCoverage> coverage;
        var blindIds = new List<Guid>();
        if (blindSpotLimit > 0)
        {
            var covered = (await counting.Select(c => c.AditId).Distinct().ToListAsync(ct)).ToHashSet();
            var adits = await active.Select(a => new { a.Id, a.DivisionCode }).ToListAsync(ct);
            coverage = adits.GroupBy(a => a.DivisionCode).Select(g => new AditCoverage(g.Key, g.Count(), g.Count(a => covered.Contains(a.Id)))).ToList();
            blindIds = adits.Where(a => !covered.Contains(a.Id)).Select(a => a.Id).ToList();
        }
        else
        {
            // "Id IN (the period's counting adits)": one hashed set of the period's adits (an EXISTS per adit
            // probed the check-ins 100,000 times for a province).
            var visited = counting.Select(c => c.AditId);
            coverage = await active
                .Select(a => new { a.DivisionCode, Covered = visited.Contains(a.Id) })
                .GroupBy(a => a.DivisionCode)
                .Select(g => new AditCoverage(g.Key, g.Count(), g.Count(a => a.Covered)))
                .ToListAsync(ct);
        }
        coverage.Sort((a, b) => string.CompareOrdinal(a.DivisionCode, b.DivisionCode));
        var keys = coverage.Select(c => c.DivisionCode).ToArray();

        var ruleRows = await db.PatrolRuleSets().Beyond(ScopeExit.InheritedSettings).AsNoTracking()
            .Where(r => divisionCode.StartsWith(r.DivisionCode) || string.Compare(r.DivisionCode, scope.From) >= 0 && string.Compare(r.DivisionCode, scope.To) < 0)
            .ToListAsync(ct);
        var weeks = Weeks(from, to);
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime));

        // Looked up per team, not scanned per team: a province has thousands of teams and tens of thousands of patrols.
        var patrolsOf = countedPatrols.ToLookup(p => p.TeamId);
        var teamRows = new List<TeamCompliance>();
        foreach (var team in teams)
        {
            var rules = PatrolRuleSet.For(team.DivisionCode, ruleRows);
            var mine = patrolsOf[team.Id].ToList();
            var weekCounts = weeks.Select(w => new WeekCount(w, mine.Count(p => p.Day >= w && p.Day < w.AddDays(7)), w.AddDays(6) < today)).ToList();
            var inArea = team.Areas.SelectMany(a => Range(keys, a.AreaCode)).Distinct().Select(i => coverage[i]).ToList();
            var (areaDue, areaCovered) = (inArea.Sum(c => c.Due), inArea.Sum(c => c.Covered));
            var cross = mine.Count(p => p.IsCross);
            var days = mine.Select(p => p.Day).Distinct().Count();
            teamRows.Add(new TeamCompliance(team.Id, team.Name, PatrolText.Kind(team.Kind), team.DivisionCode, team.Members.Count,
                mine.Count, weekCounts, rules.PatrolsPerWeek, weekCounts.All(w => !w.Complete || w.Patrols >= rules.PatrolsPerWeek),
                areaDue, areaCovered, areaCovered >= areaDue,
                cross, Prorate(rules.CrossPatrolsPerMonth, from, to), cross >= Prorate(rules.CrossPatrolsPerMonth, from, to),
                days, Prorate(rules.CityTeamPatrolDaysPerMonth, from, to), days >= Prorate(rules.CityTeamPatrolDaysPerMonth, from, to), fakedOf.GetValueOrDefault(team.Id)));
        }

        var blind = await BlindSpotsAsync(blindIds.Take(blindSpotLimit).ToList(), ct);
        var memberRows = members ? await MembersAsync(teams, fromUtc, toUtc, countedPatrols.Select(p => (p.UserId, p.TeamId)).ToList(), ct) : [];
        var (dueCount, coveredCount) = (coverage.Sum(c => c.Due), coverage.Sum(c => c.Covered));
        return new ComplianceReport($"{from:yyyy-MM}", division.Code, division.Name, from, to, to < today, teamRows, dueCount, dueCount - coveredCount, blind, memberRows)
        {
            Coverage = coverage,
        };
    }

    /// <summary>The blind spots whose number, name or township contains the keyword (all of them when it is null).</summary>
    public static List<BlindSpot> Matching(IEnumerable<BlindSpot> spots, string? keyword) => keyword is null ? [.. spots]
        : [.. spots.Where(b => b.Number.Contains(keyword, StringComparison.OrdinalIgnoreCase) || (b.Name?.Contains(keyword, StringComparison.OrdinalIgnoreCase) ?? false)
            || (b.Township?.Contains(keyword, StringComparison.Ordinal) ?? false))];

    /// <summary>The Monday of each week that lies wholly inside [from, to].</summary>
    public static List<DateOnly> Weeks(DateOnly from, DateOnly to)
    {
        var monday = from.AddDays(((int)DayOfWeek.Monday - (int)from.DayOfWeek + 7) % 7);
        var weeks = new List<DateOnly>();
        for (var w = monday; w.AddDays(6) <= to; w = w.AddDays(7)) weeks.Add(w);
        return weeks;
    }

    /// <summary>Indexes of the sorted codes that start with the prefix.</summary>
    private static IEnumerable<int> Range(string[] sorted, string prefix)
    {
        var lo = LowerBound(sorted, prefix);
        var hi = LowerBound(sorted, prefix + "~");
        for (var i = lo; i < hi; i++) yield return i;
    }

    private static int LowerBound(string[] sorted, string key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(sorted[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private async Task<List<BlindSpot>> BlindSpotsAsync(List<Guid> ids, CancellationToken ct)
    {
        var rows = new List<BlindSpot>();
        foreach (var batch in ids.Chunk(1000))
        {
            var adits = await db.Adits().AsNoTracking().Where(a => batch.Contains(a.Id))
                .Select(a => new { a.Id, a.Number, a.Name, a.TownshipCode, a.Lat, a.Lon, a.State }).ToListAsync(ct);
            var last = await db.CheckIns().AsNoTracking().Where(c => batch.Contains(c.AditId)).Where(CheckIn.Proven)
                .GroupBy(c => c.AditId).Select(g => new { g.Key, Last = g.Max(c => c.AtUtc) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
            var towns = adits.Select(a => a.TownshipCode).Distinct().ToList();
            var names = await db.DivisionNamesAsync(towns, ct);
            rows.AddRange(adits.Select(a => new BlindSpot(a.Id, a.Number, a.Name, names.GetValueOrDefault(a.TownshipCode), a.Lat, a.Lon,
                AditNames.States[a.State], last.TryGetValue(a.Id, out var l) ? l : null)));
        }

        return rows.OrderBy(r => r.LastVerifiedUtc ?? DateTime.MinValue).ThenBy(r => r.Number).ToList();
    }

    private async Task<List<MemberCompliance>> MembersAsync(List<PatrolTeam> teams, DateTime fromUtc, DateTime toUtc,
        List<(Guid UserId, Guid TeamId)> countedPatrols, CancellationToken ct)
    {
        var memberIds = teams.SelectMany(t => t.Members.Select(m => m.UserId)).Distinct().ToList();
        if (memberIds.Count == 0) return [];
        var names = await db.Users.AsNoTracking().Where(u => memberIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var figures = new Dictionary<Guid, (int Total, int Verified, int Flagged, int Faked)>();
        foreach (var batch in memberIds.Chunk(500))
        {
            var rows = await db.CheckIns().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking()
                .Where(c => batch.Contains(c.UserId) && c.AtUtc >= fromUtc && c.AtUtc < toUtc)
                .GroupBy(c => c.UserId)
                .Select(g => new
                {
                    g.Key, Total = g.Count(), Verified = g.Count(c => c.Verified),
                    Flagged = g.Count(c => c.Flags != null && c.FlagsClearedUtc == null && c.FakedUtc == null),
                    Faked = g.Count(c => c.FakedUtc != null),
                }).ToListAsync(ct);
            foreach (var r in rows) figures[r.Key] = (r.Total, r.Verified, r.Flagged, r.Faked);
        }

        var patrolsBy = countedPatrols.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Count());
        return teams.SelectMany(t => t.Members.Select(m => (Team: t, m.UserId))).DistinctBy(x => x.UserId).Select(x =>
        {
            var f = figures.GetValueOrDefault(x.UserId);
            return new MemberCompliance(x.UserId, names.GetValueOrDefault(x.UserId, "?"), x.Team.Name,
                patrolsBy.GetValueOrDefault(x.UserId), f.Total, f.Verified, f.Total - f.Verified, f.Flagged, f.Faked);
        }).OrderBy(m => m.Team).ThenBy(m => m.Name).ToList();
    }
}
