using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Clues;
using MineGuard.Tests.Features.Clues;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Infrastructure.Problems;

namespace MineGuard.Tests.Features.Cases;

/// <summary>What the case tests share: officers of a department, a verified clue, a filed case.</summary>
internal static class CaseFixtures
{
    public static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> call)
    {
        var r = await call;
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>New department officers of 嵩县 made by its administrator: (user id, user name) each.</summary>
    public static async Task<List<(Guid Id, string UserName)>> OfficersAsync(TestApp app, string department, int count = 2, string county = "410325",
        string admin = "sx-admin", string role = "department")
    {
        var client = await app.LoginAsync(admin);
        var made = new List<(Guid, string)>();
        for (var i = 0; i < count; i++)
        {
            var name = "case" + Guid.NewGuid().ToString("N")[..10];
            var created = await client.PostAsJsonAsync("/api/admin/users", new
            {
                userName = name, displayName = "办案人员" + name[^4..], password = MineGuard.Features.Demo.DemoData.Password, divisionCode = county,
                departmentCode = department, roles = new[] { role },
            });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            made.Add((await app.WithDbAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync()), name));
        }
        return made;
    }

    /// <summary>A new head (机关负责人) of <paramref name="department"/> in the county, logged in: the one who approves a transfer to the police.</summary>
    public static async Task<HttpClient> HeadAsync(TestApp app, string department, string county = "410325", string admin = "sx-admin") =>
        await app.LoginAsync((await OfficersAsync(app, department, 1, county, admin, "head"))[0].UserName);

    /// <summary>A clue verified true by a township cadre, naming <paramref name="named"/>.</summary>
    public static async Task<Guid> VerifiedClueAsync(TestApp app, HttpClient office, Guid clue, string? named)
    {
        var (cadre, _) = await CluesApiTests.CadreAsync(app);
        await OkAsync(office.PostAsJsonAsync($"/api/clues/{clue}/assign", new { verifierPersonId = cadre }));
        await OkAsync(office.PostAsJsonAsync($"/api/clues/{clue}/verify", new { finding = "true", evidence = "现场有新渣和钻机", namedPersons = named }));
        return clue;
    }

    public static async Task<Guid> NewVerifiedClueAsync(TestApp app, HttpClient office, string? named = null, string? department = null) =>
        await VerifiedClueAsync(app, office, await CluesApiTests.ClueAsync(office, "410325400", $"案件测试 {Guid.NewGuid():N}：陶村林场后山有人盗采", department), named);

    /// <summary>A case filed directly (a superior's assignment) in 嵩县 by <paramref name="client"/>.</summary>
    public static async Task<JsonElement> DirectCaseAsync(HttpClient client, string department, IEnumerable<Guid> officers, string type = "unlicensed") =>
        await OkAsync(client.PostAsJsonAsync("/api/cases", new
        {
            type, title = $"直接立案 {Guid.NewGuid():N}", divisionCode = "410325400", departmentCode = department, officerIds = officers.ToArray(),
            sourceNote = "市打非办交办〔2026〕3号",
        }));

    /// <summary>A case transferred to the police: reported, approved by the head, handed over, received, and decided by the police.</summary>
    public static async Task TransferredAsync(TestApp app, HttpClient office, Guid id, string policeDecision, string receiptNumber)
    {
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/report", new { reason = "涉嫌非法采矿罪" }));
        await OkAsync((await HeadAsync(app, "public-security")).PostAsJsonAsync($"/api/cases/{id}/transfer/decision", new { approved = true }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/hand-over", new
        {
            policeUnit = "嵩县公安局", materials = new[] { "transfer-letter", "investigation-report", "evidence-list", "valuation-report" },
        }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/receipt", new { receiptNumber }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/transfer/police-decision", new { decision = policeDecision }));
    }

    public static Task<ClueState> ClueStateAsync(TestApp app, Guid id) => app.WithDbAsync(db => db.Set<Clue>().Where(c => c.Id == id).Select(c => c.State).SingleAsync());
}
