using Microsoft.AspNetCore.Mvc.ModelBinding;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin.Pages;

/// <summary>What the shared user fields show: current values, errors, and the divisions the admin may choose.</summary>
public sealed record UserFormView(
    string? DisplayName, string? DivisionCode, string? DepartmentCode, IReadOnlyCollection<string> Roles, string? PhoneNumber,
    IReadOnlyList<DivisionChoice> DivisionOptions, ModelStateDictionary State)
{
    public string? Error(string field) =>
        State.TryGetValue("Input." + field, out var entry) && entry.Errors.Count > 0
            ? string.Join("；", entry.Errors.Select(e => e.ErrorMessage))
            : null;

    /// <summary>The admin's node and the counties, townships, villages and grids under it (not the 40,000 nationwide).</summary>
    public static Task<List<DivisionChoice>> OptionsAsync(AppDbContext db, CancellationToken ct) =>
        db.Divisions.ChoicesAsync(db.CurrentUser.Scope, DivisionLevel.Grid, ct);
}
