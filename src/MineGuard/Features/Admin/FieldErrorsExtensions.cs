using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MineGuard.Features.Admin;

public static class FieldErrorsExtensions
{
    /// <summary>Shows a command's field errors beside the form fields bound as <c>Input.&lt;Field&gt;</c>.</summary>
    public static void AddFieldErrors(this ModelStateDictionary state, FieldErrors errors, string prefix = "Input")
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages) state.AddModelError($"{prefix}.{field}", message);
        }
    }
}
