using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MineGuard.Tests.Infrastructure;

/// <summary>The one way a test reads a 400 ValidationProblem: asserts the status and returns its errors by JSON field.</summary>
public static class Problems
{
    public static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }
}
