using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin.Pages;

/// <summary>What the shared user fields show: current values, errors, and the divisions the admin may choose.</summary>
public sealed record UserFormView(
    string? DisplayName, string? DivisionCode, string? DepartmentCode, IReadOnlyCollection<string> Roles, string? PhoneNumber,
    IReadOnlyList<(string Code, string Name)> DivisionOptions, ModelStateDictionary State)
{
    public string? Error(string field) =>
        State.TryGetValue("Input." + field, out var entry) && entry.Errors.Count > 0
            ? string.Join("；", entry.Errors.Select(e => e.ErrorMessage))
            : null;

    /// <summary>The admin's node and the counties, townships, villages and grids under it (not the 40,000 nationwide).</summary>
    public static async Task<List<(string Code, string Name)>> OptionsAsync(AppDbContext db, CancellationToken ct)
    {
        var scope = db.CurrentUser.Scope;
        var rows = await db.Divisions.Within(scope).OrderBy(d => d.Code).Take(2000)
            .Select(d => new { d.Code, d.Name, d.Level }).ToListAsync(ct);
        return rows.Select(r => (r.Code, $"{r.Name}（{r.Level.Chinese()}）")).ToList();
    }
}
