using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>Real ledger files for the tests, written with the product's own writer (or as CSV), and uploads of them.</summary>
public static class Ledger
{
    public static readonly Encoding GB18030 = CodePagesEncodingProvider.Instance.GetEncoding("GB18030")!;

    /// <summary>An .xlsx with the header in row 1, or with a title in row 1 and the header in row 2 (as many ledgers have).</summary>
    public static byte[] Xlsx(string[] headers, IEnumerable<object?[]> rows, string? title = null)
    {
        using var file = new MemoryStream();
        using (var sheet = XlsxWriter.Create(file, "Sheet1", title is null ? [.. headers.Select(h => new XlsxWriter.Column(h))] : [new XlsxWriter.Column(title)]))
        {
            if (title is not null) sheet.WriteRow(headers);
            foreach (var row in rows) sheet.WriteRow(row);
        }
        return file.ToArray();
    }

    public static byte[] Csv(Encoding encoding, string[] headers, IEnumerable<object?[]> rows)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', headers));
        foreach (var row in rows) text.AppendLine(string.Join(',', row.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))));
        return encoding.GetBytes(text.ToString());
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, string kind = "adits", string? county = null,
        string? crs = null)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, "/imports");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content), "file", fileName },
            { new StringContent(kind), "kind" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        if (county is not null) form.Add(new StringContent(county), "county");
        if (crs is not null) form.Add(new StringContent(crs), "crs");
        return await client.PostAsync("/api/imports/sessions", form);
    }

    /// <summary>Uploads and returns the session (the proposed mapping and the check of every row).</summary>
    public static async Task<JsonElement> SessionAsync(HttpClient client, byte[] content, string fileName, string kind = "adits")
    {
        var response = await UploadAsync(client, content, fileName, kind);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> ConfirmAsync(HttpClient client, JsonElement session)
    {
        var response = await client.PostAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/confirm", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> RemapAsync(HttpClient client, JsonElement session, params string?[] fields) =>
        client.PutAsJsonAsync($"/api/imports/sessions/{session.GetProperty("id").GetString()}/mapping", new { fields });
}
