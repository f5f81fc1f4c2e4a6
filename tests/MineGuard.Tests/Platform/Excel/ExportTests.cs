using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Features.Lists;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Excel;

/// <summary>
/// Exports of any size (issue 13): every export answers in .xlsx or .csv (UTF-8 with BOM, RFC 4180, formulas
/// neutralised); a large one asked for with a POST runs as a background job whose owner follows its progress and
/// fetches the file once; above the cap the export is refused in Chinese. The job path is forced with a small
/// <c>Exports:JobAboveRows</c> in a private app.
/// </summary>
public sealed class ExportTests
{
    private static readonly Dictionary<string, string?> SmallJobs = new() { ["Exports:JobAboveRows"] = "2", ["Exports:MaxRows"] = "5" };

    private static async Task CreatePetitionsAsync(HttpClient client, string key, int count, string division = "410325400")
    {
        for (var i = 0; i < count; i++)
        {
            var created = await client.PostAsJsonAsync("/api/petitions", new { divisionCode = division, nature = "非法采矿", content = $"{key} 后山夜间采矿 {i}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    /// <summary>RFC 4180 fields, quotes and line breaks inside quotes included.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else field.Append(ch);
        }
        Assert.Empty(field.ToString());
        Assert.Empty(row);
        return rows;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_list_exports_as_csv_with_bom_the_xlsx_headers_and_cells_and_formulas_neutralised(string provider)
    {
        var app = await TestApp.Shared(provider);
        var sx = await app.LoginAsync("sx-office");
        var key = ListSearchTests.Key();
        var content = $"=HYPERLINK(\"http://x.example\",\"点我\") {key}, 第二句";
        Assert.Equal(HttpStatusCode.Created, (await sx.PostAsJsonAsync("/api/petitions", new { divisionCode = "410325400", nature = "非法采矿", content, petitioner = "-张三" })).StatusCode);

        var response = await sx.GetAsync($"/api/petitions/export.xlsx?q={key}&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("编号,收到日期,", text, StringComparison.Ordinal);
        Assert.Contains($"\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点我\"\") {key}, 第二句\"", text);
        var csv = ParseCsv(text);
        var xlsx = await ListSearchTests.ExportAsync(sx, $"/api/petitions/export.xlsx?q={key}");
        Assert.Equal(2, csv.Count);
        Assert.Equal(xlsx[0].Cells.Where(c => c.Length > 0), csv[0]);
        Assert.Equal(["编号", "收到日期", "涉及地区", "性质", "信访人", "信访内容"], csv[0].Take(6));
        var (row, sheetRow) = (csv[1], xlsx[1]);
        Assert.Equal("'" + content, row[5]);
        Assert.Equal("'-张三", row[4]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", row[1]);
        for (var c = 0; c < row.Count; c++)
        {
            if (c is 4 or 5) continue;
            Assert.Equal(sheetRow.Cell(c), row[c]);
        }

        // Another county's office exports none of it; a bad format is refused by name; a stranger must log in.
        var hj = await app.LoginAsync("hj-office");
        var theirs = await hj.GetByteArrayAsync($"/api/petitions/export.xlsx?q={key}&format=csv");
        Assert.Single(ParseCsv(Encoding.UTF8.GetString(theirs[3..])));
        var bad = await sx.GetAsync($"/api/petitions/export.xlsx?q={key}&format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("导出格式只能是 xlsx（Excel）或 csv", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("format")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/petitions/export.xlsx?q={key}&format=csv")).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_large_export_runs_as_a_job_its_owner_follows_and_downloads_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, settings: SmallJobs);
        var sx = await app.LoginAsync("sx-office");
        var key = ListSearchTests.Key();
        await CreatePetitionsAsync(sx, key, 3);

        var started = await sx.PostAsync($"/api/petitions/export.xlsx?q={key}", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = await started.Content.ReadFromJsonAsync<JsonElement>();
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/exports/{id}", started.Headers.Location?.OriginalString);
        Assert.Equal(3, job.GetProperty("total").GetInt32());
        Assert.Contains(job.GetProperty("state").GetString(), new[] { "waiting", "running", "done" });

        // Only its owner sees it: another user of the same county and an office of another county get 404.
        foreach (var other in new[] { await app.LoginAsync("sx-admin"), await app.LoginAsync("hj-office") })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/exports/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/exports/{id}/file")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/exports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/exports/{id}/file")).StatusCode);

        var done = await WaitDoneAsync(sx, id);
        Assert.Equal(3, done.GetProperty("rows").GetInt32());
        Assert.Equal("已完成", done.GetProperty("stateName").GetString());
        Assert.Equal($"/api/exports/{id}/file", done.GetProperty("downloadUrl").GetString());
        var file = await sx.GetAsync($"/api/exports/{id}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(ExportFormat.Xlsx.ContentType, file.Content.Headers.ContentType?.MediaType);
        var rows = ListSearchTests.Read(await file.Content.ReadAsByteArrayAsync());
        Assert.Equal(4, rows.Count);
        Assert.All(rows.Skip(1), r => Assert.Contains(key, r.Cell(5)));
        // Sent once: then gone.
        Assert.Equal(HttpStatusCode.NotFound, (await sx.GetAsync($"/api/exports/{id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sx.GetAsync($"/api/exports/{id}")).StatusCode);
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.Action == "export" && a.ActorName == "sx-office" && a.Changes!.Contains(key)).ToListAsync());
        Assert.Single(audit);
        Assert.Contains("导出信访事项 3 条", audit[0].Changes);

        // The same as CSV; a small export answers a POST directly; a bad format is refused by name.
        var csvJob = await sx.PostAsync($"/api/petitions/export.xlsx?q={key}&format=csv", null);
        Assert.Equal(HttpStatusCode.Accepted, csvJob.StatusCode);
        var csvId = (await csvJob.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await WaitDoneAsync(sx, csvId);
        var csv = await sx.GetAsync($"/api/exports/{csvId}/file");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(4, ParseCsv(Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..])).Count);
        var small = await sx.PostAsync($"/api/petitions/export.xlsx?q={Uri.EscapeDataString(key + " 后山夜间采矿 1")}", null);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(2, ListSearchTests.Read(await small.Content.ReadAsByteArrayAsync()).Count);
        var bad = await sx.PostAsync($"/api/petitions/export.xlsx?q={key}&format=docx", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("导出格式只能是 xlsx（Excel）或 csv", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("format")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync($"/api/petitions/export.xlsx?q={key}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sx.GetAsync($"/api/exports/{Guid.NewGuid()}")).StatusCode);

        // Above the cap (5 here): refused in Chinese, before anything is written.
        await CreatePetitionsAsync(sx, key, 3);
        var tooMany = await sx.PostAsync($"/api/petitions/export.xlsx?q={key}", null);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("符合条件的记录有 6 条，超过单次导出 5 条的上限，请用关键字或筛选条件缩小范围后再导出",
            (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("q")[0].GetString());
    }

    /// <summary>
    /// Every export through the job: each reads its rows in the job's own unit of work (a handler that let the job
    /// use the request's services would fail here once the request is over) and writes the same header as directly.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task Every_export_runs_as_a_job(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Exports:JobAboveRows"] = "-1" });
        var sx = await app.LoginAsync("sx-office");
        string[] urls =
        [
            "/api/tips/export.xlsx", "/api/assignments/export.xlsx?status=all", "/api/petitions/export.xlsx", "/api/devices/export.xlsx",
            "/api/alerts/export.xlsx", "/api/patrols/export.xlsx", "/api/check-ins/flagged/export.xlsx", "/api/clues/export.xlsx",
            "/api/adits/export.xlsx", "/api/mines/export.xlsx", "/api/key-persons/export.xlsx",
        ];
        foreach (var url in urls)
        {
            var direct = ListSearchTests.Read(await sx.GetByteArrayAsync(url));
            var started = await sx.PostAsync(url, null);
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{url}: {started.StatusCode}");
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var done = await WaitDoneAsync(sx, id, url);
            var file = ListSearchTests.Read(await sx.GetByteArrayAsync($"/api/exports/{id}/file"));
            Assert.Equal(direct[0].Cells, file[0].Cells);
            Assert.Equal(done.GetProperty("total").GetInt32(), done.GetProperty("rows").GetInt32());
            Assert.Equal(done.GetProperty("rows").GetInt32(), file.Count - 1);
        }
    }

    /// <summary>A plan that counted <paramref name="counted"/> rows but finds <paramref name="found"/> (rows added since).</summary>
    private static ExportPlan Growing(int counted, int found, Func<CancellationToken, Task>? after = null) =>
        new("增长", [new("序号")], "Test", n => $"测试导出 {n} 条", (_, _) => Task.FromResult(counted), (_, ct) => RowsAsync(found, after, ct));

    private static async IAsyncEnumerable<object?[]> RowsAsync(int found, Func<CancellationToken, Task>? after, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 1; i <= found; i++) yield return [i];
        if (after is not null) await after(ct);
    }

    /// <summary>The person who exports, as a job carries them: sx-office.</summary>
    private static async Task<CurrentUser.Actor> OfficeAsync(TestApp app)
    {
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-office").Select(u => u.Id).SingleAsync());
        return new CurrentUser.Actor(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Name, "sx-office"), new Claim(MineGuardClaims.Scope, "410325")], "test")),
            "127.0.0.1", null);
    }

    /// <summary>
    /// The cap is the configured one (<c>Exports:MaxRows</c>) in the count and in the writer: rows added after the count
    /// stop at it, in the request and in the job; the refusal names it.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task The_writer_stops_at_the_configured_cap_that_the_refusal_names(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, settings: SmallJobs);
        var jobs = app.Services.GetRequiredService<ExportJobs>();
        Assert.Equal(5, jobs.MaxRows);

        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<AppDbContext>().CurrentUser.ActAs(await OfficeAsync(app));
            var direct = await Export.FileAsync(scope.ServiceProvider, Growing(1, 8), ExportFormat.Csv, CancellationToken.None);
            await using var stream = direct.FileStream;
            var text = await new StreamReader(stream).ReadToEndAsync();
            Assert.Equal(["序号", "1", "2", "3", "4", "5"], ParseCsv(text.TrimStart('\uFEFF')).Select(r => r[0]));
        }

        var job = jobs.Start(await OfficeAsync(app), Growing(1, 8), ExportFormat.Xlsx, 1);
        var sx = await app.LoginAsync("sx-office");
        var done = await WaitDoneAsync(sx, job.Id);
        Assert.Equal(5, done.GetProperty("rows").GetInt32());
        Assert.Equal(6, ListSearchTests.Read(await sx.GetByteArrayAsync($"/api/exports/{job.Id}/file")).Count);

        var key = ListSearchTests.Key();
        await CreatePetitionsAsync(sx, key, 6);
        var tooMany = await sx.GetAsync($"/api/petitions/export.xlsx?q={key}&format=csv");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("超过单次导出 5 条的上限", (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("q")[0].GetString());
    }

    /// <summary>取消: the owner stops a running job (its writing ends, its file is deleted) and it then reads 已取消.</summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task The_owner_cancels_a_running_export_which_stops_and_leaves_no_file(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, settings: SmallJobs);
        var jobs = app.Services.GetRequiredService<ExportJobs>();
        var stopped = new TaskCompletionSource();
        // Three rows, then it waits until it is told to stop.
        var job = jobs.Start(await OfficeAsync(app), Growing(3, 3, async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                stopped.TrySetResult();
            }
        }), ExportFormat.Csv, 3);
        var sx = await app.LoginAsync("sx-office");
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await sx.GetFromJsonAsync<JsonElement>($"/api/exports/{job.Id}")).GetProperty("state").GetString() != "running" || !File.Exists(job.Path))
        {
            Assert.True(DateTime.UtcNow < until, "the job never ran");
            await Task.Delay(50);
        }

        // Only its owner may cancel it.
        foreach (var other in new[] { await app.LoginAsync("sx-admin"), await app.LoginAsync("hj-office") })
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/exports/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().DeleteAsync($"/api/exports/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sx.DeleteAsync($"/api/exports/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal("running", (await sx.GetFromJsonAsync<JsonElement>($"/api/exports/{job.Id}")).GetProperty("state").GetString());

        var cancelled = await sx.DeleteAsync($"/api/exports/{job.Id}");
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("已取消", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stateName").GetString());
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var status = await sx.GetFromJsonAsync<JsonElement>($"/api/exports/{job.Id}");
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        Assert.Equal("已取消", status.GetProperty("stateName").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("downloadUrl").ValueKind);
        until = DateTime.UtcNow.AddSeconds(60);
        while (File.Exists(job.Path))
        {
            Assert.True(DateTime.UtcNow < until, "the cancelled export's file is still there");
            await Task.Delay(50);
        }
        var file = await sx.GetAsync($"/api/exports/{job.Id}/file");
        Assert.Equal(HttpStatusCode.Conflict, file.StatusCode);
        Assert.Equal("该导出已取消，请重新导出", (await file.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    /// <summary>A finished export its owner cancels before fetching it: the file is deleted at once.</summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task Cancelling_a_finished_export_deletes_its_file(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, settings: SmallJobs);
        var sx = await app.LoginAsync("sx-office");
        var key = ListSearchTests.Key();
        await CreatePetitionsAsync(sx, key, 3);
        var started = await sx.PostAsync($"/api/petitions/export.xlsx?q={key}&format=csv", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await WaitDoneAsync(sx, id);
        var path = Path.Combine(Path.GetTempPath(), $"mineguard-export-{id:N}.csv");
        Assert.True(File.Exists(path));

        Assert.Equal(HttpStatusCode.OK, (await sx.DeleteAsync($"/api/exports/{id}")).StatusCode);
        Assert.False(File.Exists(path));
        Assert.Equal("已取消", (await sx.GetFromJsonAsync<JsonElement>($"/api/exports/{id}")).GetProperty("stateName").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await sx.GetAsync($"/api/exports/{id}/file")).StatusCode);
    }

    private static async Task<JsonElement> WaitDoneAsync(HttpClient client, Guid id, string? what = null)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/exports/{id}");
            var state = job.GetProperty("state").GetString();
            Assert.True(state != "failed", $"{what}: {job}");
            if (state == "done") return job;
            Assert.True(DateTime.UtcNow < until, $"{what}: export {id} still {state}");
            await Task.Delay(50);
        }
    }
}
