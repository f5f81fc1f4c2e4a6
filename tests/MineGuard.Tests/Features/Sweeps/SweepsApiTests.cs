using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Features.Clues;
using MineGuard.Tests.Features.Lists;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Sweeps;

/// <summary>
/// Issue 17 through HTTP: a sweep on the eight checks, an inspection that finds two problems (one made a rectification
/// item, reported done with evidence, verified and closed by a second person, reopened as a repeat; the other a lead that
/// opens a clue), the ledgers' export read back, idempotent inspections, scope, 401/403 and bad input.
/// </summary>
public sealed class SweepsApiTests
{
    internal static async Task<JsonElement> OkJson(Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await call;
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{r.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    internal static async Task<Guid> AditAsync(HttpClient office, string name)
    {
        var at = Spots.Songxian();
        var r = await office.PostAsJsonAsync("/api/adits", new
        {
            name, township = "陶村林场", lon = at.Lon.ToString("F6"), lat = at.Lat.ToString("F6"), mineral = "金", origin = "盗采点",
        });
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adit").GetProperty("id").GetGuid();
    }

    internal static Task<JsonElement> SweepAsync(HttpClient office, string name) =>
        OkJson(office.PostAsJsonAsync("/api/sweeps", new
        {
            name, from = "2026-11-01", to = "2026-12-31",
            areas = new object[] { new { code = "410325400", assignees = "陶村林场巡查队" }, new { code = "410325400G001", assignees = "赵刚" } },
        }), HttpStatusCode.Created);

    [Theory, OnSqlite, OnPostgres]
    public async Task A_sweep_finds_two_problems_one_is_rectified_and_closed_by_a_second_person_the_other_opens_a_clue(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = "S" + Guid.NewGuid().ToString("N")[..8];

        // The eight checks are the default checklist.
        var templates = await OkJson(office.GetAsync("/api/sweeps/templates"));
        var eight = templates.EnumerateArray().First();
        Assert.True(eight.GetProperty("builtIn").GetBoolean());
        Assert.Equal(8, eight.GetProperty("questions").GetArrayLength());
        Assert.Equal("sealBroken", eight.GetProperty("questions")[0].GetProperty("key").GetString());

        var sweep = await SweepAsync(office, $"{mark} 大排查");
        var sweepId = sweep.GetProperty("id").GetGuid();
        Assert.Equal("八查（默认）", sweep.GetProperty("checklist").GetProperty("name").GetString());
        Assert.Equal(2, sweep.GetProperty("unreported").GetArrayLength());

        // The township's patrol member inspects an adit of the sweep and signs: two problems, one of them a lead.
        var adit = await AditAsync(office, $"{mark}硐");
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Contains(sweepId.ToString(), await patrol.GetStringAsync("/api/sweeps"), StringComparison.Ordinal);
        var clientId = Guid.NewGuid();
        object Body(string signer) => new
        {
            id = clientId, sweepId, placeKind = "adit", aditId = adit, lon = 112.0, lat = 34.1, signer,
            answers = new Dictionary<string, bool> { ["sealBroken"] = true, ["freshDigging"] = true, ["power"] = false },
            problems = new object[]
            {
                new { classification = "seal", description = $"{mark} 封堵墙破损，井口未填实" },
                new { lead = true, description = $"{mark} 硐内有新渣和人员活动" },
            },
        };
        var inspection = await OkJson(patrol.PostAsJsonAsync("/api/inspections", Body("李强")), HttpStatusCode.Created);
        Assert.Equal(clientId, inspection.GetProperty("id").GetGuid());
        Assert.Equal("李强", inspection.GetProperty("signerName").GetString());
        Assert.Equal(3, inspection.GetProperty("answers").GetArrayLength());
        var problems = inspection.GetProperty("problems");
        Assert.Equal(2, problems.GetArrayLength());
        var rectifiable = problems[0].GetProperty("id").GetGuid();
        var lead = problems[1];
        Assert.Equal("clue", lead.GetProperty("status").GetString());
        var clue = lead.GetProperty("clueId").GetGuid();
        var clueView = await OkJson(office.GetAsync($"/api/clues/{clue}"));
        Assert.Contains(mark, clueView.GetRawText(), StringComparison.Ordinal);

        // Sent again: stored once; the same id with other content is refused.
        var again = await OkJson(patrol.PostAsJsonAsync("/api/inspections", Body("李强")));
        Assert.Equal(rectifiable, again.GetProperty("problems")[0].GetProperty("id").GetGuid());
        var conflict = await patrol.PostAsJsonAsync("/api/inspections", Body("王五"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("SyncConflict", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Coverage: the township has reported, its grid has not.
        var covered = await OkJson(office.GetAsync($"/api/sweeps/{sweepId}"));
        Assert.Equal(1, covered.GetProperty("inspections").GetInt32());
        Assert.Equal(2, covered.GetProperty("problems").GetInt32());
        var areas = covered.GetProperty("areas").EnumerateArray().ToList();
        Assert.True(areas.Single(a => a.GetProperty("code").GetString() == "410325400").GetProperty("reported").GetBoolean());
        Assert.False(areas.Single(a => a.GetProperty("code").GetString() == "410325400G001").GetProperty("reported").GetBoolean());
        Assert.Single(covered.GetProperty("unreported").EnumerateArray());

        // The office makes the first problem a rectification item; a deadline before it was found is refused.
        var (cadre, _) = await CluesApiTests.CadreAsync(app);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        Assert.Contains("发现时间", await ErrorOf(office.PostAsJsonAsync("/api/rectifications", new
        {
            problemId = rectifiable, requirement = "封堵到位", responsibleUnit = "陶村林场", responsiblePersonId = cadre, dueOn = today.AddDays(-3).ToString("yyyy-MM-dd"),
        }), "dueOn"), StringComparison.Ordinal);
        var item = await OkJson(office.PostAsJsonAsync("/api/rectifications", new
        {
            problemId = rectifiable, requirement = "七日内浆砌封堵并回填", responsibleUnit = "陶村林场", responsiblePersonId = cadre,
            dueOn = today.AddDays(7).ToString("yyyy-MM-dd"), measures = "浆砌封堵、回填井口",
        }), HttpStatusCode.Created);
        Assert.Equal("rectifying", item.GetProperty("status").GetString());
        var assignment = item.GetProperty("assignmentId").GetGuid();
        Assert.Equal("rectification", (await OkJson(office.GetAsync($"/api/assignments/{assignment}"))).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync("/api/rectifications", new
        {
            problemId = lead.GetProperty("id").GetGuid(), requirement = "x", responsibleUnit = "x", responsiblePersonId = cadre, dueOn = today.AddDays(7).ToString("yyyy-MM-dd"),
        })).StatusCode);

        // Done only with evidence; closed (销号) only by someone other than who reported it done.
        Assert.Contains("佐证", await ErrorOf(office.PostAsJsonAsync($"/api/rectifications/{rectifiable}/complete", new { measures = "已浆砌封堵" }), "files"),
            StringComparison.Ordinal);
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(ExifJpeg.Plain()) { Headers = { ContentType = new("image/jpeg") } }, "file", "封堵后.jpg");
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsync($"/api/rectifications/{rectifiable}/files", form)).StatusCode);
        }
        Assert.Equal("completed", (await OkJson(office.PostAsJsonAsync($"/api/rectifications/{rectifiable}/complete", new { measures = "已浆砌封堵并回填" })))
            .GetProperty("status").GetString());
        var same = await office.PostAsJsonAsync($"/api/rectifications/{rectifiable}/verify", new { resolution = "同意销号" });
        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Contains("AssignmentSameVerifier", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var admin = await app.LoginAsync("sx-admin");
        var closed = await OkJson(admin.PostAsJsonAsync($"/api/rectifications/{rectifiable}/verify", new { resolution = "现场核验到位，同意销号" }));
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(closed.GetProperty("verifierName").GetString()));

        // The ledgers: the problem ledger has both, the rectification ledger the item; the export in the upward layout.
        var problemLedger = await OkJson(office.GetAsync($"/api/rectifications/problems?q={mark}"));
        Assert.Equal(2, problemLedger.GetArrayLength());
        var rectLedger = await OkJson(office.GetAsync($"/api/rectifications?q={mark}&status=closed"));
        Assert.Equal(rectifiable, Assert.Single(rectLedger.EnumerateArray()).GetProperty("id").GetGuid());
        var sheet = await ListSearchTests.ExportAsync(office, $"/api/rectifications/export.xlsx?ledger=rectifications&q={mark}");
        Assert.Equal(["序号", "问题描述", "所在位置", "发现时间", "发现人", "整改措施", "责任单位", "责任人", "整改时限", "完成情况", "验收人", "销号时间"], sheet[0].Cells);
        var row = Assert.Single(sheet.Skip(1));
        Assert.Equal("1", row.Cell(0));
        Assert.Equal($"{mark} 封堵墙破损，井口未填实", row.Cell(1));
        Assert.Contains($"{mark}硐", row.Cell(2), StringComparison.Ordinal);
        Assert.Contains("李强", row.Cell(4), StringComparison.Ordinal);
        Assert.Equal("浆砌封堵、回填井口", row.Cell(5));
        Assert.Equal("陶村林场", row.Cell(6));
        Assert.StartsWith("核查干部", row.Cell(7), StringComparison.Ordinal);
        Assert.Equal(today.AddDays(7).ToString("yyyy-MM-dd"), row.Cell(8));
        Assert.StartsWith("已销号", row.Cell(9), StringComparison.Ordinal);
        Assert.Equal(closed.GetProperty("verifierName").GetString(), row.Cell(10));
        Assert.False(string.IsNullOrEmpty(row.Cell(11)));
        var both = await ListSearchTests.ExportAsync(office, $"/api/rectifications/export.xlsx?ledger=problems&q={mark}");
        Assert.Equal(3, both.Count);
        Assert.Contains(both.Skip(1), r => r.Cell(9).StartsWith("已转线索", StringComparison.Ordinal));

        // Reopened after 销号: a repeat.
        var reopened = await OkJson(admin.PostAsJsonAsync($"/api/rectifications/{rectifiable}/reopen", new { reason = "回头看发现封堵又被挖开" }));
        Assert.Equal("rectifying", reopened.GetProperty("status").GetString());
        Assert.Equal(1, reopened.GetProperty("repeats").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Sweeps_inspections_and_ledgers_stay_in_scope_and_refuse_bad_input(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = "S" + Guid.NewGuid().ToString("N")[..8];
        var sweep = (await SweepAsync(office, $"{mark} 排查")).GetProperty("id").GetGuid();
        var inspection = await OkJson(office.PostAsJsonAsync("/api/inspections", new
        {
            sweepId = sweep, placeKind = "road", placeName = $"{mark} 运矿便道", divisionCode = "410325400",
            problems = new object[] { new { classification = "transport", description = $"{mark} 便道有新鲜车辙" } },
        }), HttpStatusCode.Created);
        var inspectionId = inspection.GetProperty("id").GetGuid();
        var problem = inspection.GetProperty("problems")[0].GetProperty("id").GetGuid();

        var anonymous = app.Anonymous();
        foreach (var url in new[] { "/api/sweeps", $"/api/sweeps/{sweep}", "/api/inspections", $"/api/inspections/{inspectionId}", "/api/rectifications",
                     "/api/rectifications/problems", $"/api/rectifications/problems/{problem}", "/api/rectifications/export.xlsx" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);

        var hongjiang = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/sweeps/{sweep}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/inspections/{inspectionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/rectifications/problems/{problem}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/rectifications/{problem}/complete", new { measures = "x" })).StatusCode);
        Assert.DoesNotContain(sweep.ToString(), await hongjiang.GetStringAsync("/api/sweeps"), StringComparison.Ordinal);
        Assert.DoesNotContain(mark, await hongjiang.GetStringAsync($"/api/rectifications/problems?q={mark}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await hongjiang.PostAsJsonAsync("/api/inspections", new { sweepId = sweep, placeKind = "village", placeName = "x", divisionCode = "431281101" })).StatusCode);

        // The city sees its counties' sweeps and ledgers.
        var city = await app.LoginAsync("ly-leader");
        Assert.Equal(HttpStatusCode.OK, (await city.GetAsync($"/api/sweeps/{sweep}")).StatusCode);
        Assert.Contains(mark, await city.GetStringAsync($"/api/rectifications/problems?q={mark}"), StringComparison.Ordinal);

        // Office work: the leader reads only, the patrol member records inspections but makes no sweeps or items.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync("/api/inspections", new { placeKind = "road" })).StatusCode);
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Equal(HttpStatusCode.Forbidden, (await patrol.PostAsJsonAsync("/api/sweeps", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await patrol.PostAsJsonAsync("/api/rectifications", new { problemId = problem })).StatusCode);

        // Bad input: refused in Chinese, naming the field, nothing stored.
        var areas = new object[] { new { code = "410325400" } };
        Assert.Contains("早于开始", await ErrorOf(office.PostAsJsonAsync("/api/sweeps", new { name = mark, from = "2026-12-01", to = "2026-11-01", areas }), "to"), StringComparison.Ordinal);
        Assert.Contains("模板", await ErrorOf(office.PostAsJsonAsync("/api/sweeps", new { name = mark, from = "2026-11-01", to = "2026-12-01", templateId = Guid.NewGuid(), areas }), "templateId"), StringComparison.Ordinal);
        Assert.Contains("回头看", await ErrorOf(office.PostAsJsonAsync("/api/sweeps", new { name = mark, kind = "look-back", from = "2026-11-01", to = "2026-12-01", areas }), "earlierSweepId"), StringComparison.Ordinal);
        Assert.Contains("不在排查区划内", await ErrorOf(office.PostAsJsonAsync("/api/sweeps", new { name = mark, from = "2026-11-01", to = "2026-12-01", areas = new object[] { new { code = "431281101" } } }), "areas"), StringComparison.Ordinal);
        Assert.Contains("名称", await ErrorOf(office.PostAsJsonAsync("/api/sweeps", new { from = "2026-11-01", to = "2026-12-01", areas }), "name"), StringComparison.Ordinal);
        Assert.Equal(1, (await OkJson(office.GetAsync($"/api/sweeps?q={mark}"))).GetArrayLength());
        Assert.Contains("检查表", await ErrorOf(office.PostAsJsonAsync("/api/inspections", new { placeKind = "village", placeName = "x", divisionCode = "410325400", answers = new { shiny = true } }), "answers"), StringComparison.Ordinal);
        Assert.Contains("地点类型", await ErrorOf(office.PostAsJsonAsync("/api/inspections", new { placeKind = "moon" }), "placeKind"), StringComparison.Ordinal);
        Assert.Contains("分类", await ErrorOf(office.PostAsJsonAsync("/api/inspections", new { placeKind = "village", placeName = "x", divisionCode = "410325400", problems = new object[] { new { classification = "odd", description = "x" } } }), "problems"), StringComparison.Ordinal);
        Assert.Contains("责任人", await ErrorOf(office.PostAsJsonAsync("/api/rectifications", new { problemId = problem, requirement = "x", responsibleUnit = "x", dueOn = "2099-01-01" }), "responsiblePersonId"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/rectifications/{problem}/verify", new { resolution = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/rectifications?status=shiny")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/rectifications/export.xlsx?ledger=shiny")).StatusCode);

        // An office's own template, used by a look-back of the sweep.
        var template = await OkJson(office.PostAsJsonAsync("/api/sweeps/templates", new { name = $"{mark} 煤场检查表", questions = new[] { "是否有无证堆放", "是否有运矿车辆" } }), HttpStatusCode.Created);
        Assert.Equal("q2", template.GetProperty("questions")[1].GetProperty("key").GetString());
        var lookBack = await OkJson(office.PostAsJsonAsync("/api/sweeps", new
        {
            name = $"{mark} 回头看", kind = "look-back", earlierSweepId = sweep, from = "2026-12-01", to = "2026-12-31", templateId = template.GetProperty("id").GetGuid(), areas,
        }), HttpStatusCode.Created);
        Assert.Equal(sweep, lookBack.GetProperty("earlierSweepId").GetGuid());
        Assert.Equal("回头看", lookBack.GetProperty("kindName").GetString());
        Assert.Contains("检查表", await ErrorOf(office.PostAsJsonAsync("/api/inspections", new
        {
            sweepId = lookBack.GetProperty("id").GetGuid(), placeKind = "coal-yard", placeName = "x", divisionCode = "410325400", answers = new { sealBroken = true },
        }), "answers"), StringComparison.Ordinal);
    }

    /// <summary>The field app's outbox sends an inspection by PUT to its own address, as it sends check-ins.</summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task An_inspection_sent_by_the_field_app_is_stored_once_and_other_content_under_its_id_is_refused(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var mark = "F" + Guid.NewGuid().ToString("N")[..8];
        var sweep = (await SweepAsync(office, $"{mark} 排查")).GetProperty("id").GetGuid();
        var id = Guid.NewGuid();
        var at = app.Clock.GetUtcNow().AddHours(-2).ToString("o");
        object Body(string description) => new
        {
            sweepId = sweep, placeKind = "coal-yard", placeName = $"{mark} 煤场", divisionCode = "410325400G001", at,
            answers = new Dictionary<string, bool> { ["spoil"] = true }, problems = new object[] { new { classification = "transport", description } },
        };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PutAsJsonAsync($"/api/inspections/{id}", Body("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PutAsJsonAsync($"/api/inspections/{id}", Body("x"))).StatusCode);
        Assert.Contains("区划", await ErrorOf((await app.LoginAsync("hj-patrol")).PutAsJsonAsync($"/api/inspections/{id}", Body("x")), "divisionCode"),
            StringComparison.Ordinal);
        var patrol = await app.LoginAsync("sx-patrol");
        Assert.Contains("编号", await ErrorOf(patrol.PutAsJsonAsync($"/api/inspections/{id}", new { id = Guid.NewGuid(), placeKind = "road" }), "id"),
            StringComparison.Ordinal);
        Assert.Contains("地点名称", await ErrorOf(patrol.PutAsJsonAsync($"/api/inspections/{id}", new { placeKind = "road", divisionCode = "410325400" }), "placeName"),
            StringComparison.Ordinal);

        var first = await OkJson(patrol.PutAsJsonAsync($"/api/inspections/{id}", Body($"{mark} 无证堆放")), HttpStatusCode.Created);
        Assert.Equal(id, first.GetProperty("id").GetGuid());
        var problem = first.GetProperty("problems")[0].GetProperty("id").GetGuid();
        // Sent again by the outbox (the answer was lost on the way): the same record, stored once.
        var again = await OkJson(patrol.PutAsJsonAsync($"/api/inspections/{id}", Body($"{mark} 无证堆放")));
        Assert.Equal(problem, again.GetProperty("problems")[0].GetProperty("id").GetGuid());
        var conflict = await patrol.PutAsJsonAsync($"/api/inspections/{id}", Body($"{mark} 另一个问题"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("SyncConflict", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await OkJson(office.GetAsync($"/api/inspections?sweepId={sweep}"))).GetArrayLength());
        Assert.Equal(1, (await OkJson(office.GetAsync($"/api/rectifications/problems?q={mark}"))).GetArrayLength());
        // The grid reported; the township's coverage counts it (an area covers what lies under it).
        var covered = await OkJson(office.GetAsync($"/api/sweeps/{sweep}"));
        Assert.Empty(covered.GetProperty("unreported").EnumerateArray());
    }
}
