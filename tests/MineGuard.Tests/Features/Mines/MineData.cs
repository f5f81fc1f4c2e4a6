using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace MineGuard.Tests.Features.Mines;

/// <summary>Unique licences with boundaries inside 嵩县 (WGS84 lon 111.9–112.2, lat 33.9–34.2) or 洪江市.</summary>
internal static class MineData
{
    public static string Licence() => "C4103" + Guid.NewGuid().ToString("N")[..18].ToUpperInvariant();

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A square of corners, one "n, lon, lat" per line, as a licence lists them.</summary>
    public static string Square(double lon = 112.05, double lat = 34.05, double size = 0.01) =>
        string.Join('\n', new[] { (lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size) }
            .Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1}, {p.Item1}, {p.Item2}")));

    public static Dictionary<string, object?> Body(
        string? licence = null, string? name = null, string boundary = "", string mineral = "金", string status = "生产",
        string validFrom = "2024-01-31", string validTo = "2030年1月30日", string? township = "饭坡镇") => new()
    {
        ["name"] = name ?? Unique("测试金矿"), ["rightsHolder"] = "嵩县某矿业有限公司", ["licenceNumber"] = licence ?? Licence(),
        ["mineral"] = mineral, ["township"] = township, ["boundary"] = boundary.Length == 0 ? Square() : boundary,
        ["validFrom"] = validFrom, ["validTo"] = validTo, ["status"] = status,
    };

    public static async Task<JsonElement> CreateAsync(HttpClient client, Dictionary<string, object?> body)
    {
        var response = await client.PostAsJsonAsync("/api/mines", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
            throw new InvalidOperationException($"create failed: {(int)response.StatusCode} {json}");
        return json;
    }
}
