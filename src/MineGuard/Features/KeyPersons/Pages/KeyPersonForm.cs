using MineGuard.Platform.People;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MineGuard.Features.KeyPersons.Pages;

/// <summary>The create and edit forms' fields, bound as <c>Input.&lt;Field&gt;</c>.</summary>
public sealed class KeyPersonFormInput
{
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
    public string? Division { get; set; }
    public string? Address { get; set; }
    public string? History { get; set; }
    public string? PriorCases { get; set; }
    public string? Plates { get; set; }
    public string? ControlLevel { get; set; } = KeyPersonNames.Levels[KeyPersons.ControlLevel.General];

    public KeyPersonInput ToInput() => new(Name, IdNumber, Phone, Division, Address, History, PriorCases, ControlLevel, Plates ?? "");

    /// <summary>The stored values for the edit form; the ID number stays blank (blank keeps it).</summary>
    public static KeyPersonFormInput From(KeyPerson p) => new()
    {
        Name = p.Name, Phone = p.Phone, Division = p.DivisionCode, Address = p.Address, History = p.History,
        PriorCases = p.PriorCases, Plates = p.Plates, ControlLevel = KeyPersonNames.Levels[p.ControlLevel],
    };
}

/// <summary>What the shared fields show: the values, the divisions to choose from, and the errors beside each field.</summary>
public sealed record KeyPersonFormView(
    KeyPersonFormInput Values, IReadOnlyList<(string Code, string Name)> Divisions, ModelStateDictionary State,
    string? MaskedIdNumber = null)
{
    public bool IsEdit => MaskedIdNumber is not null;

    public string? Error(string field) => ErrorOf(State, "Input." + field);

    public static string? ErrorOf(ModelStateDictionary state, string key) =>
        state.TryGetValue(key, out var entry) && entry.Errors.Count > 0
            ? string.Join("；", entry.Errors.Select(e => e.ErrorMessage))
            : null;
}
