using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

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

/// <summary>
/// "Who answers for this place, at this level, in this department" — the one place routing is decided (issue 12).
/// Alerts, patrol findings, tips, petitions, clues and assignments ask it; none keeps its own lookup.
/// </summary>
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
    public async Task<IReadOnlyList<Answerer>> WhoAnswersAsync(Place place, AnswerLevel from, string? departmentCode, CancellationToken ct)
    {
        var county = place.DivisionCode[..Math.Min(6, place.DivisionCode.Length)];
        if (departmentCode is not null) return await UsersAsync([county], [Roles.Department], departmentCode, AnswerLevel.County, ct);
        foreach (var (level, code) in Levels(place.DivisionCode))
        {
            if (level < from) continue;
            if (level == AnswerLevel.Person) continue;
            var found = await UsersAsync([code], level >= AnswerLevel.County ? UpperRoles : LocalRoles, null, level, ct);
            if (found.Count > 0) return found;
        }
        return [];
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
