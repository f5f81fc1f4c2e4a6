using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.People;

/// <summary>Who answers, from the named person up: the levels work sits at and escalates through.</summary>
public enum AnswerLevel
{
    Person = 0,
    Grid = 1,
    Village = 2,
    Township = 3,
    County = 4,
    City = 5,
    Province = 6,
}

/// <summary>A place work concerns: an adit, a device, a mine, or just a division (grid, village, township, county…).</summary>
public sealed record Place(string DivisionCode, Guid? AditId = null, Guid? DeviceId = null, Guid? MineId = null);

/// <summary>
/// Someone who answers: a person record (with or without a log-in) or a user without a person record yet. Told by
/// <c>db.Tell</c>: in-app when they have an account, by SMS when they have a phone.
/// </summary>
public sealed record Answerer(Guid? PersonId, Guid? UserId, string Name, string? Phone, string DivisionCode, AnswerLevel Level, string? Post = null);

/// <summary>How a timeline line names the people it told.</summary>
public static class AnswererNames
{
    /// <summary>The most names a line lists; the rest are counted.</summary>
    public const int Listed = 10;

    /// <summary>
    /// "张三、李四、王五" — or, past <see cref="Listed"/> names, "张三、李四…等 45 人": a county department can have dozens of
    /// people, and the line is stored in a column of 1,000 characters (PostgreSQL refused a routing line of 60 names).
    /// Empty when there are none.
    /// </summary>
    public static string Join(IEnumerable<string> names)
    {
        var all = names as IReadOnlyCollection<string> ?? names.ToList();
        return all.Count <= Listed ? string.Join("、", all) : $"{string.Join("、", all.Take(Listed))}等 {all.Count} 人";
    }
}

/// <summary>Who a place names as its responsible person: the person record, else (legacy, not yet migrated) a user.</summary>
public sealed record NamedResponsible(Guid? PersonId, Guid? UserId);

/// <summary>
/// A kind of place that names its own responsible person (adits, devices, mines). Registered by the feature that owns the
/// table, so Platform reads them without referencing any feature.
/// </summary>
public interface IResponsiblePlaces
{
    /// <summary>Which id of <see cref="Place"/> this source answers for.</summary>
    PlaceKind Kind { get; }

    /// <summary>The named responsible of each place among <paramref name="ids"/> that names one (beyond the caller's scope).</summary>
    Task<Dictionary<Guid, NamedResponsible>> NamedAsync(AppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct);
}

public enum PlaceKind
{
    Adit,
    Device,
    Mine,
}

/// <summary>
/// "Who answers for this place, at this level, in this department" — the one place routing is decided (issue 12).
/// Alerts, patrol findings, tips, petitions, clues and assignments ask it; none keeps its own lookup.
/// </summary>
/// <remarks>
/// The walk: the person level is the adit's responsible person, else the device's, else the mine's. Each division level
/// (grid → village → township → county → city → province) answers with the division's responsible person and leader
/// (persons, with or without accounts) and, when it names nobody, with the users holding local roles there (below the
/// county: 包保责任人, patrol members, office; county and up: office and leaders, plus the division's named persons).
/// Merged persons resolve to the surviving record; disabled users are skipped.
/// </remarks>
public sealed class Responsibility(AppDbContext db)
{
    private static readonly string[] LocalRoles = [Roles.Responsible, Roles.Patrol, Roles.Office];
    private static readonly string[] UpperRoles = [Roles.Office, Roles.Leader];

    /// <summary>
    /// The people at the first level at or above <paramref name="from"/> that has anyone: the adit's or device's named
    /// person, then the grid's, village's, township's people, then the county office and leaders, then the city's and the
    /// province's. With a department, only that department's officers of the county answer (a copy, not the chain).
    /// Empty when nobody is found up to the province.
    /// </summary>
    public async Task<IReadOnlyList<Answerer>> WhoAnswersAsync(Place place, AnswerLevel from, string? departmentCode, CancellationToken ct) =>
        (await WhoAnswersManyAsync([place], from, departmentCode, ct))[place];

    /// <summary>
    /// <see cref="WhoAnswersAsync"/> for many places at once (a round of alerts): the named persons of all adits, devices
    /// and mines in one query per kind, and each division's answer computed once.
    /// </summary>
    public async Task<IReadOnlyDictionary<Place, IReadOnlyList<Answerer>>> WhoAnswersManyAsync(IReadOnlyCollection<Place> places, AnswerLevel from,
        string? departmentCode, CancellationToken ct)
    {
        var result = new Dictionary<Place, IReadOnlyList<Answerer>>();
        if (departmentCode is not null)
        {
            foreach (var county in places.Select(p => County(p.DivisionCode)).Distinct())
            {
                var officers = await DepartmentAsync(county, departmentCode, ct);
                foreach (var place in places.Where(p => County(p.DivisionCode) == county)) result[place] = officers;
            }
            return result;
        }
        var named = from == AnswerLevel.Person ? await NamedAsync(places, ct) : [];
        var start = from == AnswerLevel.Person ? AnswerLevel.Grid : from;
        var unnamed = places.Distinct().Where(p => !named.TryGetValue(p, out var person) || person.Count == 0).ToList();
        var chains = await ChainsAsync(unnamed.Select(p => p.DivisionCode).ToHashSet(StringComparer.Ordinal), start, ct);
        foreach (var place in places.Distinct())
            result[place] = named.TryGetValue(place, out var person) && person.Count > 0 ? person : chains[place.DivisionCode];
        return result;
    }

    /// <summary>
    /// <see cref="WhoAnswersAsync"/> for a batch of questions that start at different levels (a round of escalations):
    /// one answer per question, in order (nobody for a null question), with one <see cref="WhoAnswersManyAsync"/> per
    /// distinct level.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<Answerer>>> WhoAnswersEachAsync(IReadOnlyList<(Place Place, AnswerLevel From)?> asks, CancellationToken ct)
    {
        var byLevel = new Dictionary<AnswerLevel, IReadOnlyDictionary<Place, IReadOnlyList<Answerer>>>();
        foreach (var group in asks.OfType<(Place Place, AnswerLevel From)>().GroupBy(a => a.From))
            byLevel[group.Key] = await WhoAnswersManyAsync(group.Select(a => a.Place).Distinct().ToList(), group.Key, null, ct);
        return asks.Select(a => a is { } ask ? byLevel[ask.From][ask.Place] : []).ToList();
    }

    /// <summary>
    /// The leaders to tell when work escalates to <paramref name="level"/> at a place: the division's leader person,
    /// and at county level and up the leader users too. Empty when the level names none.
    /// </summary>
    public async Task<IReadOnlyList<Answerer>> LeadersAsync(Place place, AnswerLevel level, CancellationToken ct)
    {
        var code = Levels(place.DivisionCode).Where(l => l.Level == level).Select(l => l.Code).FirstOrDefault();
        if (code is null) return [];
        var division = await db.Divisions.AsNoTracking().Where(d => d.Code == code).Select(d => new { d.LeaderPersonId }).FirstOrDefaultAsync(ct);
        var people = await PersonsAsync([division?.LeaderPersonId], level, "分管领导", ct);
        if (level >= AnswerLevel.County) people.AddRange(await UsersAsync([code], [Roles.Leader], null, level, ct));
        return Distinct(people);
    }

    /// <summary>
    /// The persons each division names in the 责任分工 (its 责任人 and 分管领导), resolved to the surviving records; null where
    /// none is named. No walk up the chain and no fallback to users: accountability names who was named, or nobody.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, (Answerer? Responsible, Answerer? Leader)>> NamedByDivisionAsync(IReadOnlyCollection<string> codes,
        CancellationToken ct)
    {
        var divisions = await db.Divisions.AsNoTracking().Where(d => codes.Contains(d.Code))
            .Select(d => new { d.Code, d.ResponsiblePersonId, d.LeaderPersonId }).ToListAsync(ct);
        var persons = await ResolveAsync(divisions.SelectMany(d => new[] { d.ResponsiblePersonId, d.LeaderPersonId }).OfType<Guid>().Distinct().ToList(), ct);
        Answerer? Of(Guid? id) => id is { } key && persons.TryGetValue(key, out var p) ? p : null;
        return divisions.ToDictionary(d => d.Code, d => (Of(d.ResponsiblePersonId), Of(d.LeaderPersonId)), StringComparer.Ordinal);
    }

    /// <summary>Users of a county (or anywhere below it) holding a role, optionally of one department: those the office
    /// tells about its own work (new tips, reward approvals, petitions transferred to a department).</summary>
    public async Task<IReadOnlyList<Answerer>> UsersOfRoleAsync(string countyCode, string role, string? departmentCode, CancellationToken ct)
    {
        var (low, high) = (countyCode, countyCode + "~");
        var query = from u in db.Users
                    join ur in db.UserRoles on u.Id equals ur.UserId
                    join r in db.Roles on ur.RoleId equals r.Id
                    where r.Name == role && !u.IsDisabled && string.Compare(u.DivisionCode, low) >= 0 && string.Compare(u.DivisionCode, high) < 0
                    select u;
        if (departmentCode is not null) query = query.Where(u => u.DepartmentCode == departmentCode);
        return (await query.ToListAsync(ct)).DistinctBy(u => u.Id).OrderBy(u => u.UserName)
            .Select(u => new Answerer(null, u.Id, u.DisplayName, u.PhoneNumber, u.DivisionCode, AnswerLevel.County)).ToList();
    }

    /// <summary>The chain of levels and division codes above a division: grid → village → township → county → city → province.</summary>
    public static IEnumerable<(AnswerLevel Level, string Code)> Levels(string divisionCode)
    {
        var code = divisionCode;
        var g = code.IndexOf('G', StringComparison.Ordinal);
        if (g > 0)
        {
            yield return (AnswerLevel.Grid, code);
            code = code[..g];
        }
        if (code.Length > 9) yield return (AnswerLevel.Village, code);
        if (code.Length >= 9) yield return (AnswerLevel.Township, code[..9]);
        if (code.Length >= 6) yield return (AnswerLevel.County, code[..6]);
        if (code.Length >= 4) yield return (AnswerLevel.City, code[..4]);
        if (code.Length >= 2) yield return (AnswerLevel.Province, code[..2]);
    }

    private static string County(string code) => code[..Math.Min(6, code.Length)];

    private async Task<IReadOnlyList<Answerer>> DepartmentAsync(string county, string department, CancellationToken ct) =>
        await UsersAsync([county], [Roles.Department], department, AnswerLevel.County, ct);

    /// <summary>
    /// For each division, the first level at or above <paramref name="from"/> with anyone to answer. Set-based: one read
    /// of the divisions on the way up, one of their named persons, one of the users holding roles there, however many
    /// divisions are asked (a round of escalations asks for hundreds).
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<Answerer>>> ChainsAsync(IReadOnlySet<string> divisionCodes, AnswerLevel from, CancellationToken ct)
    {
        var result = new Dictionary<string, IReadOnlyList<Answerer>>(StringComparer.Ordinal);
        if (divisionCodes.Count == 0) return result;
        var chains = divisionCodes.ToDictionary(c => c, c => Levels(c).Where(l => l.Level >= from).ToList(), StringComparer.Ordinal);
        var codes = chains.Values.SelectMany(l => l.Select(x => x.Code)).Distinct().ToList();
        var divisions = await db.Divisions.AsNoTracking().Where(d => codes.Contains(d.Code))
            .Select(d => new { d.Code, d.ResponsiblePersonId, d.LeaderPersonId }).ToDictionaryAsync(d => d.Code, ct);
        var persons = await ResolveAsync(divisions.Values.SelectMany(d => new[] { d.ResponsiblePersonId, d.LeaderPersonId }).OfType<Guid>().Distinct().ToList(), ct);
        string[] roles = [.. LocalRoles.Union(UpperRoles)];
        var holders = (await (from u in db.Users
                              join ur in db.UserRoles on u.Id equals ur.UserId
                              join r in db.Roles on ur.RoleId equals r.Id
                              where codes.Contains(u.DivisionCode) && roles.Contains(r.Name!) && !u.IsDisabled
                              select new { User = u, Role = r.Name! }).AsNoTracking().ToListAsync(ct))
            .ToLookup(x => x.User.DivisionCode, StringComparer.Ordinal);

        List<Answerer> Named(Guid? id, AnswerLevel level, string? post) =>
            id is { } key && persons.TryGetValue(key, out var p) ? [p with { Level = level, Post = p.Post ?? post }] : [];

        foreach (var (division, levels) in chains)
        {
            result[division] = [];
            foreach (var (level, code) in levels)
            {
                var found = new List<Answerer>();
                if (divisions.TryGetValue(code, out var d))
                {
                    found.AddRange(Named(d.ResponsiblePersonId, level, null));
                    found.AddRange(Named(d.LeaderPersonId, level, "分管领导"));
                }
                // Below the county a division that names its people is answered by them; the county and up always include
                // the office and the leaders, with the named persons beside them. Work that starts below the county and
                // finds nobody there falls to the county office (the desk), not yet to its leaders.
                if (found.Count == 0 || level >= AnswerLevel.County)
                {
                    var wanted = level < AnswerLevel.County ? LocalRoles : from < AnswerLevel.County && level == AnswerLevel.County ? [Roles.Office] : UpperRoles;
                    found.AddRange(holders[code].Where(h => wanted.Contains(h.Role)).Select(h => h.User).DistinctBy(u => u.Id).OrderBy(u => u.UserName)
                        .Select(u => new Answerer(null, u.Id, u.DisplayName, u.PhoneNumber, u.DivisionCode, level)));
                }
                var answer = Distinct(found);
                if (answer.Count == 0) continue;
                result[division] = answer;
                break;
            }
        }
        return result;
    }

    /// <summary>The named persons of the places' adits, else devices, else mines (persons resolved, users as fallback).</summary>
    private async Task<Dictionary<Place, List<Answerer>>> NamedAsync(IReadOnlyCollection<Place> places, CancellationToken ct)
    {
        var sources = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?
            .GetServices<IResponsiblePlaces>().ToDictionary(s => s.Kind) ?? [];
        var named = new Dictionary<(PlaceKind, Guid), NamedResponsible>();
        foreach (var (kind, ids) in new[]
                 {
                     (PlaceKind.Adit, places.Select(p => p.AditId)), (PlaceKind.Device, places.Select(p => p.DeviceId)),
                     (PlaceKind.Mine, places.Select(p => p.MineId)),
                 })
        {
            var list = ids.OfType<Guid>().Distinct().ToList();
            if (list.Count == 0 || !sources.TryGetValue(kind, out var source)) continue;
            foreach (var (id, who) in await source.NamedAsync(db, list, ct)) named[(kind, id)] = who;
        }
        var personIds = named.Values.Select(n => n.PersonId).OfType<Guid>().Distinct().ToList();
        var persons = await ResolveAsync(personIds, ct);
        var userIds = named.Values.Where(n => n.PersonId is null).Select(n => n.UserId).OfType<Guid>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && !u.IsDisabled).ToDictionaryAsync(u => u.Id, ct);
        var result = new Dictionary<Place, List<Answerer>>();
        foreach (var place in places.Distinct())
        {
            foreach (var (kind, id) in new[] { (PlaceKind.Adit, place.AditId), (PlaceKind.Device, place.DeviceId), (PlaceKind.Mine, place.MineId) })
            {
                if (id is not { } key || !named.TryGetValue((kind, key), out var who)) continue;
                Answerer? answerer = null;
                if (who.PersonId is { } p && persons.TryGetValue(p, out var person)) answerer = person;
                else if (who.PersonId is null && who.UserId is { } u && users.TryGetValue(u, out var user))
                    answerer = new Answerer(null, user.Id, user.DisplayName, user.PhoneNumber, user.DivisionCode, AnswerLevel.Person);
                if (answerer is null) continue;
                result[place] = [answerer];
                break;
            }
        }
        return result;
    }

    private async Task<List<Answerer>> PersonsAsync(Guid?[] ids, AnswerLevel level, string? post, CancellationToken ct)
    {
        var list = ids.OfType<Guid>().ToList();
        if (list.Count == 0) return [];
        var resolved = await ResolveAsync(list, ct);
        return list.Where(resolved.ContainsKey).Select(id => resolved[id] with { Level = level, Post = resolved[id].Post ?? post }).ToList();
    }

    /// <summary>
    /// Person records by id, each resolved to the record it was merged into (the survivor), read beyond the caller's
    /// scope (routing is a system judgement). A linked account that is disabled is dropped (the person still gets SMS).
    /// </summary>
    private async Task<Dictionary<Guid, Answerer>> ResolveAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var result = new Dictionary<Guid, Answerer>();
        if (ids.Count == 0) return result;
        var rows = await db.Beyond<Person>(ScopeExit.SystemJudgement).AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        var survivors = rows.ToDictionary(p => p.Id);
        for (var hop = 0; hop < 5; hop++)
        {
            var missing = survivors.Values.Where(p => p.MergedIntoId is { } m && !survivors.ContainsKey(m)).Select(p => p.MergedIntoId!.Value).Distinct().ToList();
            if (missing.Count == 0) break;
            foreach (var p in await db.Beyond<Person>(ScopeExit.SystemJudgement).AsNoTracking().Where(p => missing.Contains(p.Id)).ToListAsync(ct))
                survivors[p.Id] = p;
        }
        var accounts = survivors.Values.Select(p => p.UserId).OfType<Guid>().Distinct().ToList();
        var active = (await db.Users.AsNoTracking().Where(u => accounts.Contains(u.Id) && !u.IsDisabled).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        foreach (var id in ids)
        {
            if (!survivors.TryGetValue(id, out var p)) continue;
            for (var hop = 0; hop < 5 && p.MergedIntoId is { } m && survivors.TryGetValue(m, out var next); hop++) p = next;
            result[id] = new Answerer(p.Id, p.UserId is { } u && active.Contains(u) ? u : null, p.Name, string.IsNullOrWhiteSpace(p.Phone) ? null : p.Phone,
                p.DivisionCode, AnswerLevel.Person, p.Post);
        }
        return result;
    }

    private static List<Answerer> Distinct(List<Answerer> people)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Answerer>();
        foreach (var a in people)
        {
            // One person once: by person id, by account, and by phone (a person and their own user account).
            var keys = new[] { a.PersonId?.ToString(), a.UserId?.ToString(), a.Phone }.OfType<string>().ToList();
            if (keys.Any(seen.Contains)) continue;
            foreach (var k in keys) seen.Add(k);
            list.Add(a);
        }
        return list;
    }

    private async Task<List<Answerer>> UsersAsync(string[] divisions, string[] roles, string? department, AnswerLevel level, CancellationToken ct)
    {
        var query = from u in db.Users
                    join ur in db.UserRoles on u.Id equals ur.UserId
                    join r in db.Roles on ur.RoleId equals r.Id
                    where divisions.Contains(u.DivisionCode) && roles.Contains(r.Name!) && !u.IsDisabled
                    select u;
        if (department is not null) query = query.Where(u => u.DepartmentCode == department);
        return (await query.ToListAsync(ct)).DistinctBy(u => u.Id).OrderBy(u => u.UserName)
            .Select(u => new Answerer(null, u.Id, u.DisplayName, u.PhoneNumber, u.DivisionCode, level)).ToList();
    }
}
