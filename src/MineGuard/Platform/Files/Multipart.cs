using Microsoft.Net.Http.Headers;

namespace MineGuard.Platform.Files;

/// <summary>Multipart bodies read as they arrive (<see cref="Microsoft.AspNetCore.WebUtilities.MultipartReader"/>).</summary>
public static class Multipart
{
    /// <summary>The boundary of a <c>multipart/form-data</c> content type; null for any other type or a boundary no sender uses.</summary>
    public static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)) return null;
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200 ? null : boundary;
    }
}
