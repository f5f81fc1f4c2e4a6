using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// The one way a test reads an answer's JSON with its status, and a 400 ValidationProblem's errors by JSON field
/// (`using static MineGuard.Tests.Infrastructure.Problems;` for <see cref="ErrorOf(HttpResponseMessage, string)"/>; call
/// <see cref="Json"/> as `Problems.Json`, since the name `Json` alone is a namespace of the tests).
/// </summary>
public static class Problems
{
    /// <summary>The body as JSON, after asserting the status (the body is in the failure message).</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>The first message of a 400's error on this field (the body in the failure message when there is none).</summary>
    public static async Task<string> ErrorOf(HttpResponseMessage r, string field)
    {
        var body = await Json(r, HttpStatusCode.BadRequest);
        Assert.True(body.TryGetProperty("errors", out var errors), body.ToString());
        Assert.True(errors.TryGetProperty(field, out var messages), body.ToString());
        return messages[0].GetString()!;
    }

    public static async Task<string> ErrorOf(Task<HttpResponseMessage> call, string field) => await ErrorOf(await call, field);

    public static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }
}
