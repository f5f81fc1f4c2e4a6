using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Cases;
using MineGuard.Platform.Audit;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Cases.CaseFixtures;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Cases;

/// <summary>案件 over HTTP: who sees a case (list and detail), protected details, and each refusal of bad input.</summary>
public sealed class CasesApiTests
{
    private static async Task<List<Guid>> ListedAsync(HttpClient client, string q)
    {
        var page = await OkAsync(client.GetAsync($"/api/cases?q={Uri.EscapeDataString(q)}"));
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Cases_are_seen_by_the_office_leaders_and_the_handling_department_and_by_discipline_once_referred(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var police = await OfficersAsync(app, "public-security");
        var officer = await app.LoginAsync(police[0].UserName);
        var created = await DirectCaseAsync(officer, "public-security", police.Select(p => p.Id), type: "stolen-ore-trade");
        var id = created.GetProperty("id").GetGuid();
        var number = created.GetProperty("number").GetString()!;
        var idNumber = TestIds.Next();
        var withParty = await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/parties", new { name = "王五", idNumber, role = "收购人" }));
        var party = withParty.GetProperty("parties")[0];
        Assert.Equal("**************" + idNumber[^4..], party.GetProperty("idNumberMasked").GetString());
        Assert.DoesNotContain(idNumber, withParty.GetRawText(), StringComparison.Ordinal);

        async Task<Dictionary<string, bool>> SeenAsync()
        {
            var seen = new Dictionary<string, bool>();
            foreach (var user in new[] { "sx-office", "sx-leader", "sx-admin", "sx-police", police[1].UserName, "sx-discipline", "sx-patrol", "sx-resp", "hj-office", "hj-police" })
            {
                var client = await app.LoginAsync(user);
                var listed = (await ListedAsync(client, number)).Contains(id);
                var detail = await client.GetAsync($"/api/cases/{id}");
                Assert.True(detail.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{user}: {(int)detail.StatusCode}");
                Assert.True(listed == (detail.StatusCode == HttpStatusCode.OK), $"{user}: listed {listed}, detail {(int)detail.StatusCode}");
                if (listed) Assert.DoesNotContain(idNumber, await detail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                seen[user] = listed;
            }
            return seen;
        }
        var before = await SeenAsync();
        Assert.True(before["sx-office"] && before["sx-leader"] && before["sx-admin"] && before["sx-police"] && before[police[1].UserName]);
        Assert.False(before["sx-discipline"] || before["sx-patrol"] || before["sx-resp"] || before["hj-office"] || before["hj-police"]);

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/cases", new { })).StatusCode);

        // Referral: from then on the discipline commission sees it (and only reads: it is not the handling department).
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).PostAsJsonAsync($"/api/cases/{id}/referral", new { reason = "x" })).StatusCode);
        await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/referral", new { reason = "村干部为盗采提供便利" }));
        var after = await SeenAsync();
        Assert.True(after["sx-discipline"]);
        Assert.False(after["sx-patrol"] || after["hj-office"]);
        var discipline = await app.LoginAsync("sx-discipline");
        Assert.Equal(HttpStatusCode.Forbidden, (await discipline.PostAsJsonAsync($"/api/cases/{id}/parties", new { name = "赵六" })).StatusCode);

        // The full ID number: the case's officers and the office, each view audited; others 403, the leader 403 (read-only).
        var partyId = party.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await discipline.PostAsJsonAsync($"/api/cases/{id}/parties/{partyId}/id-number", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-leader")).PostAsJsonAsync($"/api/cases/{id}/parties/{partyId}/id-number", new { })).StatusCode);
        var shown = await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/parties/{partyId}/id-number", new { }));
        Assert.Equal(idNumber, shown.GetProperty("idNumber").GetString());
        Assert.True(await app.WithDbAsync(db => db.Set<AuditRecord>().AnyAsync(a => a.Action == "read" && a.EntityType == nameof(CaseParty) && a.EntityId == partyId.ToString())));

        // Evidence files likewise.
        var evidence = (await OkAsync(officer.PostAsJsonAsync($"/api/cases/{id}/evidence", new { title = "现场照片", collectedBy = "刘洋", place = "陶村林场后山" })))
            .GetProperty("evidence")[0].GetProperty("id").GetGuid();
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(ExifJpeg.Plain()) { Headers = { ContentType = new("image/jpeg") } }, "file", "现场.jpg");
            var attached = await OkAsync(officer.PostAsync($"/api/cases/{id}/evidence/{evidence}/file", form));
            Assert.Equal(64, attached.GetProperty("evidence")[0].GetProperty("sha256").GetString()!.Length);
        }
        var url = $"/api/cases/{id}/evidence/{evidence}/file";
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await discipline.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync(url)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Set<AuditRecord>().AnyAsync(a => a.Action == "read" && a.EntityType == nameof(CaseEvidence) && a.EntityId == evidence.ToString())));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_is_refused_in_chinese_naming_the_field_and_changes_nothing(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var officers = await OfficersAsync(app, "natural-resources");
        var ids = officers.Select(o => o.Id).ToArray();

        // Filing: one officer, an officer of another department, an unverified clue, no source, a foreign county.
        object Body(object? officerIds = null, object? clueIds = null, string? note = "上级交办", string division = "410325400") => new
        {
            type = "unlicensed", title = "坏输入", divisionCode = division, departmentCode = "natural-resources", officerIds = officerIds ?? ids, clueIds, sourceNote = note,
        };
        Assert.Contains("至少两名", await ErrorOf(await office.PostAsJsonAsync("/api/cases", Body(officerIds: new[] { ids[0] })), "officerIds"), StringComparison.Ordinal);
        var sxPolice = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-police").Select(u => u.Id).SingleAsync());
        Assert.Contains("承办部门", await ErrorOf(await office.PostAsJsonAsync("/api/cases", Body(officerIds: new[] { ids[0], sxPolice })), "officerIds"), StringComparison.Ordinal);
        var open = await MineGuard.Tests.Features.Clues.CluesApiTests.ClueAsync(office, "410325400", $"未核查 {Guid.NewGuid():N}");
        Assert.Contains("核查属实", await ErrorOf(await office.PostAsJsonAsync("/api/cases", Body(clueIds: new[] { open })), "clueIds"), StringComparison.Ordinal);
        Assert.Contains("来源", await ErrorOf(await office.PostAsJsonAsync("/api/cases", Body(note: null)), "sourceNote"), StringComparison.Ordinal);
        Assert.Contains("管辖", await ErrorOf(await office.PostAsJsonAsync("/api/cases", Body(division: "431281101")), "divisionCode"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync("/api/cases", new { type = "mystery" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).PostAsJsonAsync("/api/cases", Body())).StatusCode);
        Assert.Equal(MineGuard.Features.Clues.ClueState.Received, await ClueStateAsync(app, open));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync(c => c.Title == "坏输入")));

        var c = await DirectCaseAsync(office, "natural-resources", ids);
        var id = c.GetProperty("id").GetGuid();
        Task<int> EntriesAsync() => app.WithDbAsync(db => db.Set<CaseEntry>().CountAsync(e => e.CaseId == id));
        var entries = await EntriesAsync();

        // Parties: an invalid ID number, a bad credit code.
        Assert.Equal("身份证号校验位不正确", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/parties", new { name = "钱七", idNumber = TestIds.WithWrongCheck(TestIds.Next()) }), "idNumber"));
        Assert.Contains("统一社会信用代码", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/parties", new { kind = "unit", name = "某矿业公司", creditCode = "91410325MA0000000X" }), "creditCode"), StringComparison.Ordinal);
        // Seizures: a negative weight, a weight in tonnes.
        object Ore(double weight, string unit) => new { kind = "ore", description = "金矿石", weight, unit, valueYuan = 150000, valuedBy = "价格认定", storagePlace = "县局涉案财物库", keeper = "王敏" };
        Assert.Contains("不小于 0", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/seizures", Ore(-5, "kg")), "weight"), StringComparison.Ordinal);
        Assert.Contains("千克", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/seizures", Ore(5, "吨")), "unit"), StringComparison.Ordinal);
        Assert.Contains("号牌", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/seizures", new { kind = "vehicle", description = "三轮车", storagePlace = "库", keeper = "王敏" }), "plate"), StringComparison.Ordinal);
        Assert.Equal(entries, await EntriesAsync());

        // Ore past the criminal threshold, not transferred: flagged.
        var seized = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/seizures", Ore(12000, "kg")));
        Assert.Contains(seized.GetProperty("flags").EnumerateArray(), f => f.GetString()!.Contains("未移送", StringComparison.Ordinal));
        var vehicle = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/seizures", new { kind = "vehicle", description = "自卸车", plate = "豫C·12345", storagePlace = "县局停车场", keeper = "王敏" }));
        Assert.Contains(await ListedAsync(office, "豫C12345"), x => x == id);

        // Evidence: deleting is refused with the reason, withdrawing with a reason is kept.
        var evidence = (await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/evidence", new { title = "询问笔录", collectedBy = "王敏", place = "县局" })))
            .GetProperty("evidence")[0].GetProperty("id").GetGuid();
        var delete = await office.DeleteAsync($"/api/cases/{id}/evidence/{evidence}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Contains("只能撤回", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("请写明撤回证据的理由", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/evidence/{evidence}/withdraw", new { }), "reason"));
        var withdrawn = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/evidence/{evidence}/withdraw", new { reason = "笔录未经本人签字，重新制作" }));
        Assert.NotNull(withdrawn.GetProperty("evidence")[0].GetProperty("withdrawnUtc").GetString());

        // Administrative track: no decision before the notice; none after the 90 days without an approved extension.
        var filedOn = DateOnly.Parse(c.GetProperty("filedOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var late = filedOn.AddDays(91).ToString("yyyy-MM-dd");
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/cases/{id}/decision", new { decidedOn = filedOn.ToString("yyyy-MM-dd"), text = "罚款" })).StatusCode);
        var notice = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/notice", new { text = "拟没收矿产品并处罚款 5 万元" }));
        Assert.Equal("penalty-notice", notice.GetProperty("stage").GetString());
        var tooLate = await office.PostAsJsonAsync($"/api/cases/{id}/decision", new { decidedOn = late, text = "没收矿产品，罚款 5 万元", fineYuan = 50000 });
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Contains("90 日", await tooLate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("penalty-notice", (await OkAsync(office.GetAsync($"/api/cases/{id}"))).GetProperty("stage").GetString());
        Assert.Equal("请填写延期理由", await ErrorOf(await office.PostAsJsonAsync($"/api/cases/{id}/extension", new { extendTo = filedOn.AddDays(120).ToString("yyyy-MM-dd"), approvedBy = "局长" }), "reason"));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/extension", new { extendTo = filedOn.AddDays(120).ToString("yyyy-MM-dd"), reason = "案情复杂，需价格认定", approvedBy = "局长 张伟" }));
        var decided = await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/decision", new { decidedOn = late, text = "没收矿产品，罚款 5 万元", fineYuan = 50000 }));
        Assert.Equal("decision", decided.GetProperty("stage").GetString());
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/execution", new { note = "罚款已缴纳" }));
        Assert.Equal("closed", (await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/close", new { }))).GetProperty("stage").GetString());

        // List filters: bad values name the field.
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/cases?stage=x")).StatusCode);
        Assert.Contains("overdue", await ErrorOf(await office.GetAsync("/api/cases?overdue=maybe"), "overdue"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/cases/gaps?county=41")).StatusCode);
    }
}
