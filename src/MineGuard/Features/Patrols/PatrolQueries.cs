using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Patrols;

public sealed record TeamView(Guid Id, string Name, string Kind, string DivisionCode, string DivisionName,
    IReadOnlyList<string> Areas, IReadOnlyList<string> AreaNames, IReadOnlyList<MemberView> Members);

public sealed record MemberView(Guid UserId, string UserName, string DisplayName, double? HomeLat, double? HomeLon);

public sealed record PatrolRow(Guid Id, string Team, string Member, DateTime StartedUtc, DateTime? EndedUtc, bool IsCross,
    string Source, int CheckIns, int Verified, int Flagged);

public sealed record CheckInView(Guid Id, Guid AditId, string AditNumber, string? AditName, DateTime AtUtc, double Lat, double Lon,
    double Accuracy, double DistanceMetres, bool Verified, bool Counts, IReadOnlyList<string> Reasons, IReadOnlyList<string> Flags,
    string? FlagsClearedNote, IReadOnlyList<string> Problems, string? Note, IReadOnlyList<Guid> PhotoIds, Guid? AssignmentId,
    bool BreachRecorded, double AditLat, double AditLon, string? FakedNote);

public sealed record PatrolDetail(PatrolRow Patrol, Guid TeamId, double ClockSkewSeconds, IReadOnlyList<double[]> Track,
    IReadOnlyList<CheckInView> CheckIns);

public sealed record PlanView(Guid Id, Guid TeamId, string Team, DateOnly PeriodStart, DateOnly PeriodEnd, bool IsCross, string? Note,
    IReadOnlyList<PlanItemView> Items);

public sealed record PlanItemView(Guid AditId, int Rank, string Number, string? Name, string Reason, bool CheckedInPeriod);

/// <summary>The check-in list's narrowing (see <see cref="PatrolQueries.Flagged(string?, CheckInFilter)"/>).</summary>
public sealed record CheckInFilter(string? Division = null, DateTime? FromUtc = null, DateTime? ToUtc = null, string? State = null)
{
    public static readonly string[] States = ["pending", "flagged", "all"];

    /// <summary>Reads the list's query (division, from, to, state); a bad day or state is named in the errors.</summary>
    public static CheckInFilter Read(string? division, string? from, string? to, string? state, MineGuard.Platform.Web.FieldErrors errors)
    {
        var (fromUtc, toUtc) = ReportPeriod.ListBounds(from, to, "签到", errors.Add);
        state = string.IsNullOrWhiteSpace(state) ? null : state.Trim();
        if (state is not null && !States.Contains(state)) errors.Add("State", "状态只能是 pending、flagged 或 all");
        return new CheckInFilter(string.IsNullOrWhiteSpace(division) ? null : division.Trim(), fromUtc, toUtc, state);
    }
}

/// <summary>Reads for the office pages and the API, all inside the user's scope.</summary>
public sealed class PatrolQueries(AppDbContext db)
{
    public async Task<List<TeamView>> TeamsAsync(CancellationToken ct, Guid? id = null)
    {
        var teams = await db.PatrolTeams().AsNoTracking().Include(t => t.Areas).Include(t => t.Members).AsSplitQuery()
            .Where(t => id == null || t.Id == id).OrderBy(t => t.DivisionCode).ThenBy(t => t.Name).ToListAsync(ct);
        var codes = teams.SelectMany(t => t.Areas.Select(a => a.AreaCode)).Concat(teams.Select(t => t.DivisionCode)).Distinct().ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        var userIds = teams.SelectMany(t => t.Members.Select(m => m.UserId)).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        return teams.Select(t => new TeamView(t.Id, t.Name, PatrolText.Kind(t.Kind), t.DivisionCode, names.GetValueOrDefault(t.DivisionCode, t.DivisionCode),
            t.Areas.Select(a => a.AreaCode).Order().ToList(), t.Areas.Select(a => names.GetValueOrDefault(a.AreaCode, a.AreaCode)).Order().ToList(),
            t.Members.Where(m => users.ContainsKey(m.UserId)).Select(m => new MemberView(m.UserId, users[m.UserId].UserName!, users[m.UserId].DisplayName, m.HomeLat, m.HomeLon))
                .OrderBy(m => m.DisplayName).ToList())).ToList();
    }

    public async Task<List<PatrolRow>> PatrolsAsync(DateTime fromUtc, DateTime toUtc, Guid? teamId, int limit, CancellationToken ct)
    {
        var patrols = await Patrols(fromUtc, toUtc, teamId, null).Take(limit).ToListAsync(ct);
        return await RowsAsync(patrols, ct);
    }

    /// <summary>
    /// The patrols in scope started in [from, to), of one team or all, with the keyword in the team's name or the member's
    /// name, newest first; the list, the API and the export share it.
    /// </summary>
    public IOrderedQueryable<Patrol> Patrols(DateTime fromUtc, DateTime toUtc, Guid? teamId, string? keyword)
    {
        var query = db.Patrols().AsNoTracking().Where(p => p.StartedUtc >= fromUtc && p.StartedUtc < toUtc && (teamId == null || p.TeamId == teamId));
        if (keyword is { } text)
        {
            var teams = db.PatrolTeams().Beyond(ScopeExit.LinkedLabel).Where(t => t.Name.Contains(text)).Select(t => t.Id);
            var members = db.Users.Where(u => u.DisplayName.Contains(text)).Select(u => u.Id);
            query = query.Where(p => teams.Contains(p.TeamId) || members.Contains(p.UserId));
        }
        return query.OrderByDescending(p => p.StartedUtc).ThenBy(p => p.Id);
    }

    /// <summary>The rows of the patrol list: team and member names and the check-in counts, looked up once.</summary>
    public async Task<List<PatrolRow>> RowsAsync(List<Patrol> patrols, CancellationToken ct)
    {
        var ids = patrols.Select(p => p.Id).ToList();
        var teamIds = patrols.Select(p => p.TeamId).Distinct().ToList();
        var userIds = patrols.Select(p => p.UserId).Distinct().ToList();
        var teams = await db.PatrolTeams().Beyond(ScopeExit.LinkedLabel).AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var counts = await db.CheckIns().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(c => ids.Contains(c.PatrolId) && userIds.Contains(c.UserId)).GroupBy(c => c.PatrolId)
            .Select(g => new { g.Key, Total = g.Count(), Verified = g.Count(c => c.Verified), Flagged = g.Count(c => c.Flags != null && c.FlagsClearedUtc == null && c.FakedUtc == null) })
            .ToDictionaryAsync(x => x.Key, ct);
        return patrols.Select(p =>
        {
            var c = counts.GetValueOrDefault(p.Id);
            return new PatrolRow(p.Id, teams.GetValueOrDefault(p.TeamId, "?"), users.GetValueOrDefault(p.UserId, "?"), p.StartedUtc, p.EndedUtc,
                p.IsCross, p.Source == PatrolSource.App ? "巡查APP" : "轨迹导入", c?.Total ?? 0, c?.Verified ?? 0, c?.Flagged ?? 0);
        }).ToList();
    }

    public async Task<PatrolDetail?> DetailAsync(Guid id, CancellationToken ct)
    {
        var patrol = await db.Patrols().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (patrol is null) return null;
        var row = (await RowsAsync([patrol], ct))[0];
        var track = (await TrackAsync(id, patrol.UserId, ct)).Fixes.Select(Wire).ToList();
        var checkIns = await CheckInsAsync(db.CheckIns().Beyond(ScopeExit.ChildrenOfVisible).Where(c => c.PatrolId == id && c.UserId == patrol.UserId), ct);
        return new PatrolDetail(row, patrol.TeamId, patrol.ClockSkewSeconds, track, checkIns);
    }

    /// <summary>A patrol's track as its own member's phone sent it: the fixes in time order and the declared pauses.</summary>
    public async Task<(List<TrackPoint> Fixes, List<TrackPause> Pauses)> TrackAsync(Guid patrolId, Guid memberId, CancellationToken ct)
    {
        var chunks = await db.TrackChunks().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(t => t.PatrolId == patrolId && t.UserId == memberId)
            .Select(t => t.Points).ToListAsync(ct);
        return TrackCodec.Assemble(chunks);
    }

    /// <summary>A fix as the API sends it: [lat, lon, accuracy m, Unix ms].</summary>
    public static double[] Wire(TrackPoint p) => [p.Lat, p.Lon, p.Accuracy, new DateTimeOffset(p.Utc).ToUnixTimeMilliseconds()];

    public async Task<List<CheckInView>> CheckInsAsync(IQueryable<CheckIn> query, CancellationToken ct) =>
        (await CheckInsReadAsync(query, ct)).Select(r => r.View).ToList();

    /// <summary>The check-ins as read (for the caller that needs more of the row) beside their views.</summary>
    public async Task<List<(CheckIn Row, CheckInView View)>> CheckInsReadAsync(IQueryable<CheckIn> query, CancellationToken ct)
    {
        var rows = await query.AsNoTracking().OrderBy(c => c.AtUtc)
            .Join(db.Adits().Beyond(ScopeExit.LinkedLabel), c => c.AditId, a => a.Id, (c, a) => new { c, a.Number, a.Name, a.Lat, a.Lon }).ToListAsync(ct);
        var ids = rows.Select(r => r.c.Id).ToList();
        var photos = await db.CheckInPhotos().Beyond(ScopeExit.ChildrenOfVisible).AsNoTracking().Where(p => ids.Contains(p.CheckInId))
            .OrderBy(p => p.TakenUtc).Select(p => new { p.CheckInId, p.Id }).ToListAsync(ct);
        return rows.Select(r => (r.c, new CheckInView(r.c.Id, r.c.AditId, r.Number, r.Name, r.c.AtUtc, r.c.Lat, r.c.Lon, r.c.Accuracy,
            r.c.DistanceMetres, r.c.Verified, r.c.Counts, FieldApi.Lines(r.c.Reasons), FieldApi.Lines(r.c.Flags), r.c.FlagsClearedNote,
            r.c.Answers.Problems().ToList(), r.c.Note, photos.Where(p => p.CheckInId == r.c.Id).Select(p => p.Id).ToList(),
            r.c.AssignmentId, r.c.BreachRecorded, r.Lat, r.Lon, r.c.FakedNote))).ToList();
    }

    /// <summary>
    /// The office's review list: flagged check-ins in scope not yet reviewed, with the keyword in the adit's number or name
    /// or the member's name, newest first; the list, the API and the export share it.
    /// </summary>
    public IOrderedQueryable<CheckIn> Flagged(string? keyword) => Flagged(keyword, new CheckInFilter());

    /// <summary>
    /// The review list narrowed as a dashboard figure links to it: check-ins at adits in a division, made in [from, to),
    /// and the state: <c>pending</c> (default: flagged, not reviewed), <c>flagged</c> (flagged, reviewed or not) or
    /// <c>all</c> (every check-in).
    /// </summary>
    public IOrderedQueryable<CheckIn> Flagged(string? keyword, CheckInFilter filter)
    {
        var query = db.CheckIns().AsNoTracking();
        query = filter.State switch
        {
            "all" => query,
            "flagged" => query.Where(c => c.Flags != null),
            _ => query.Where(c => c.Flags != null && c.FlagsClearedUtc == null && c.FakedUtc == null),
        };
        if (filter.Division is { } division) query = query.Within(JurisdictionScope.Of(division), c => c.DivisionCode);
        if (filter.FromUtc is { } start) query = query.Where(c => c.AtUtc >= start);
        if (filter.ToUtc is { } end) query = query.Where(c => c.AtUtc < end);
        if (keyword is { } text)
        {
            var adits = db.Adits().Beyond(ScopeExit.LinkedLabel).Where(a => a.Number.Contains(text) || (a.Name != null && a.Name.Contains(text))).Select(a => a.Id);
            var members = db.Users.Where(u => u.DisplayName.Contains(text)).Select(u => u.Id);
            query = query.Where(c => adits.Contains(c.AditId) || members.Contains(c.UserId));
        }
        return query.OrderByDescending(c => c.AtUtc).ThenBy(c => c.Id);
    }

    /// <summary>The views of a page of check-ins, in the page's order, with the members' names.</summary>
    public async Task<List<(CheckInView View, string Member)>> FlaggedViewsAsync(List<CheckIn> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var views = (await CheckInsAsync(db.CheckIns().Where(c => ids.Contains(c.Id)), ct)).ToDictionary(v => v.Id);
        var userIds = rows.Select(r => r.UserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. rows.Where(r => views.ContainsKey(r.Id)).Select(r => (views[r.Id], users.GetValueOrDefault(r.UserId, "?")))];
    }

    public async Task<List<PlanView>> PlansAsync(Guid? id, CancellationToken ct)
    {
        var plans = await db.PatrolPlans().AsNoTracking().Include(p => p.Items).Where(p => id == null || p.Id == id)
            .OrderByDescending(p => p.PeriodStart).Take(100).ToListAsync(ct);
        var teamIds = plans.Select(p => p.TeamId).Distinct().ToList();
        var teams = await db.PatrolTeams().Beyond(ScopeExit.LinkedLabel).AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var aditIds = plans.SelectMany(p => p.Items.Select(i => i.AditId)).Distinct().ToList();
        var adits = new Dictionary<Guid, (string Number, string? Name)>();
        foreach (var batch in aditIds.Chunk(1000))
        {
            foreach (var a in await db.Adits().Beyond(ScopeExit.LinkedLabel).AsNoTracking().Where(a => batch.Contains(a.Id)).Select(a => new { a.Id, a.Number, a.Name }).ToListAsync(ct))
                adits[a.Id] = (a.Number, a.Name);
        }

        var views = new List<PlanView>();
        foreach (var p in plans)
        {
            var from = ChinaTime.ToUtc(p.PeriodStart.ToDateTime(TimeOnly.MinValue));
            var to = ChinaTime.ToUtc(p.PeriodEnd.AddDays(1).ToDateTime(TimeOnly.MinValue));
            var ids = p.Items.Select(i => i.AditId).ToList();
            var done = id is null ? [] : (await db.CheckIns().Beyond(ScopeExit.SystemJudgement).AsNoTracking()
                .Where(c => ids.Contains(c.AditId) && c.AtUtc >= from && c.AtUtc < to).Where(CheckIn.Counting)
                .Select(c => c.AditId).Distinct().ToListAsync(ct)).ToHashSet();
            views.Add(new PlanView(p.Id, p.TeamId, teams.GetValueOrDefault(p.TeamId, "?"), p.PeriodStart, p.PeriodEnd, p.IsCross, p.Note,
                p.Items.OrderBy(i => i.Rank).Select(i => new PlanItemView(i.AditId, i.Rank, adits.GetValueOrDefault(i.AditId).Number ?? "?",
                    adits.GetValueOrDefault(i.AditId).Name, i.Reason, done.Contains(i.AditId))).ToList()));
        }

        return views;
    }
}
