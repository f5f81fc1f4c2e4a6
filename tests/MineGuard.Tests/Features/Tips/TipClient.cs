using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MineGuard.Features.Tips;

namespace MineGuard.Tests.Features.Tips;

/// <summary>The public form and receipt page as a phone would use them, over plain HTTP form posts.</summary>
public static partial class TipClient
{
    private static int sources;

    /// <summary>A fresh source address for the rate limiter (sent as X-Forwarded-For from the loopback proxy).</summary>
    public static string NewSource()
    {
        var n = Interlocked.Increment(ref sources) + Random.Shared.Next(0, 200) * 1000;
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    public sealed record Sent(HttpStatusCode Status, string Html, string? Code);

    /// <summary>
    /// Posts the public form; with <paramref name="pow"/> it first fetches the page and solves its challenge, as the script
    /// does, or sends the <paramref name="solved"/> challenge given (a replay, when sent before).
    /// </summary>
    public static async Task<Sent> SubmitAsync(HttpClient client, Dictionary<string, string> fields, bool pow = false,
        IEnumerable<(string Name, byte[] Bytes)>? files = null, string? source = null, (string Challenge, string Nonce)? solved = null)
    {
        source ??= NewSource();
        var form = new MultipartFormDataContent();
        if (pow) solved ??= await SolvedChallengeAsync(client, source);
        if (solved is var (challenge, nonce))
        {
            form.Add(new StringContent(challenge), "Input.Pow");
            form.Add(new StringContent(nonce), "Input.Nonce");
        }
        foreach (var (k, v) in fields)
        {
            foreach (var part in k == "Input.Kinds" ? v.Split(',') : [v]) form.Add(new StringContent(part), k);
        }
        foreach (var (name, bytes) in files ?? [])
        {
            form.Add(new ByteArrayContent(bytes), "Files", name);
        }
        var response = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/report") { Content = form }, source);
        var body = await response.Content.ReadAsStringAsync();
        var code = CodePattern().Match(body) is { Success: true } m ? m.Groups[1].Value : null;
        return new Sent(response.StatusCode, body, code);
    }

    /// <summary>The form's challenge, fetched from the page and solved as its script does.</summary>
    public static async Task<(string Challenge, string Nonce)> SolvedChallengeAsync(HttpClient client, string source)
    {
        var page = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/report"), source);
        var html = await page.Content.ReadAsStringAsync();
        var challenge = ChallengePattern().Match(html).Groups[1].Value;
        var bits = int.Parse(BitsPattern().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (challenge, PublicGuard.Solve(challenge, bits));
    }

    public static Dictionary<string, string> Fields(string division = "431281101", string? description = null, string kinds = "digging",
        string? place = "黔城镇某村后山", string? lon = null, string? lat = null, string? name = null, string? phone = null)
    {
        var d = new Dictionary<string, string> { ["Input.DivisionCode"] = division, ["Input.Kinds"] = kinds };
        if (description is not null) d["Input.Description"] = description;
        if (place is not null) d["Input.Place"] = place;
        if (lon is not null) d["Input.Lon"] = lon;
        if (lat is not null) d["Input.Lat"] = lat;
        if (name is not null) d["Input.Name"] = name;
        if (phone is not null) d["Input.Phone"] = phone;
        return d;
    }

    /// <summary>Posts the receipt page (lookup, or a handler: "answer", "claim").</summary>
    public static async Task<(HttpStatusCode Status, string Html)> ReceiptAsync(HttpClient client, string code, string? handler = null,
        Dictionary<string, string>? fields = null, string? source = null)
    {
        var values = new Dictionary<string, string>(fields ?? []) { ["Code"] = code };
        var url = handler is null ? "/report/receipt" : $"/report/receipt?handler={handler}";
        var response = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(values) }, source ?? NewSource());
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string source)
    {
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", source);
        return client.SendAsync(request);
    }

    /// <summary>The id of the tip a receipt code belongs to (by its locator, as the system).</summary>
    public static Task<Guid> TipIdAsync(Infrastructure.TestApp app, string code) =>
        app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Set<Tip>().Where(t => t.ReceiptLocator == code.Substring(0, ReceiptCodes.LocatorLength)).Select(t => t.Id)));

    [GeneratedRegex("data-pow=\"([^\"]+)\"")]
    private static partial Regex ChallengePattern();

    [GeneratedRegex("data-bits=\"(\\d+)\"")]
    private static partial Regex BitsPattern();

    [GeneratedRegex("id=\"receipt-code\">([^<]+)<")]
    private static partial Regex CodePattern();
}
