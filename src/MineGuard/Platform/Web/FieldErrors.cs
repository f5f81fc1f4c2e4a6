using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MineGuard.Platform.Web;

/// <summary>Field errors keyed by the input's field name, each with a Chinese message; empty means success.</summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public void Add(string field, string message) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public bool Ok => Count == 0;
}

public static class FieldErrorsExtensions
{
    /// <summary>A 400 ValidationProblem whose errors are keyed by the JSON field names the caller sent.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem ToProblem(this FieldErrors errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(e => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value),
            title: "输入有误", detail: string.Join("；", errors.Values.SelectMany(v => v)));

    /// <summary>Shows a command's field errors beside the form fields bound as <c>Input.&lt;Field&gt;</c> (or, with prefix "", as <c>&lt;Field&gt;</c>).</summary>
    public static void AddFieldErrors(this ModelStateDictionary state, FieldErrors errors, string prefix = "Input")
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages) state.AddModelError(prefix == "" ? field : $"{prefix}.{field}", message);
        }
    }
}
