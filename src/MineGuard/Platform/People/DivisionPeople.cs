using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.People;

/// <summary>Who answers for a division and its leader, as a form or an API caller names them (name, phone, "姓名（手机号）", log-in or id).</summary>
public sealed record DivisionPeopleInput([property: MaxLength(100)] string? Responsible, [property: MaxLength(100)] string? Leader);

public sealed record DivisionPeopleView(
    string Code, string Name, string Level, Guid? ResponsiblePersonId, string? ResponsibleName, Guid? LeaderPersonId, string? LeaderName);

/// <summary>
/// 责任分工: the person who answers for a grid, village, township or county (the first told when work there is not
/// done) and the level's leader (told when it escalates to that level, e.g. 乡镇分管领导), as
/// <see cref="Responsibility"/> reads them. Named by the office for the divisions of its scope; the people are the
/// county's 责任人 (with or without accounts). Each change is audited with the division.
/// </summary>
public static class DivisionPeople
{
    public static async Task<List<DivisionPeopleView>> ViewsAsync(AppDbContext db, IReadOnlyList<Division> divisions, CancellationToken ct)
    {
        var names = await db.PersonNamesAsync(divisions.SelectMany(d => new[] { d.ResponsiblePersonId, d.LeaderPersonId }), ct);
        return divisions.Select(d => new DivisionPeopleView(d.Code, d.Name, d.Level.Chinese(),
            d.ResponsiblePersonId, d.ResponsiblePersonId is { } r ? names.GetValueOrDefault(r) : null,
            d.LeaderPersonId, d.LeaderPersonId is { } l ? names.GetValueOrDefault(l) : null)).ToList();
    }

    /// <summary>
    /// Names both people of a division in the user's scope (blank clears one). Null when the division does not exist
    /// or lies outside the scope; field errors when a text names nobody of the county, nothing changed.
    /// </summary>
    public static async Task<(Division? Division, FieldErrors Errors)> NameAsync(AppDbContext db, string code, DivisionPeopleInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(code)) return (null, errors);
        var normalized = Division.NormalizeCode(code.Trim());
        var division = await db.Divisions.FirstOrDefaultAsync(d => d.Code == normalized, ct);
        if (division is null || !db.CurrentUser.Scope.Contains(division.Code)) return (null, errors);
        // The people of the county the division lies in (of the division itself above county level).
        var people = await CountyPeople.LoadAsync(db, division.Code.Length >= 6 ? division.Code[..6] : division.Code, ct);
        var responsible = await people.PersonAsync(db, input.Responsible, nameof(input.Responsible), errors, ct);
        var leader = await people.PersonAsync(db, input.Leader, nameof(input.Leader), errors, ct);
        if (!errors.Ok) return (division, errors);
        division.NameResponsible(responsible, leader);
        await db.SaveChangesAsync(ct);
        return (division, errors);
    }
}
