using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Tests.Features.Tips;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Jurisdiction;

/// <summary>
/// Role × department × kind of record, through HTTP: inside one county, who sees which petitions, tips, clues and
/// assignments (list and detail). The matrix is written out in docs/DEVELOPING.md ("Departments see their share").
/// </summary>
public sealed class DepartmentMatrixTests
{
    // The petitions of three natures, each handed to its department by the routing table.
    private const string Mining = "非法采矿";        // natural-resources
    private const string Explosives = "涉爆物品";     // public-security
    private const string Officials = "公职人员参与、包庇"; // discipline

    // What each 洪江市 user may see: petitions by nature, and tips (assigned to the police / unassigned / verified).
    private static readonly Dictionary<string, (string[] Petitions, string[] Tips)> Matrix = new()
    {
        ["hj-office"] = ([Mining, Explosives, Officials], ["police", "unassigned", "verified"]),
        ["hj-leader"] = ([Mining, Explosives, Officials], ["police", "unassigned", "verified"]),
        ["hj-admin"] = ([Mining, Explosives, Officials], ["police", "unassigned", "verified"]),
        ["hj-police"] = ([Explosives], ["police"]),
        ["hj-discipline"] = ([Officials], []),
        ["hj-petitions"] = ([Mining, Explosives, Officials], []),
        ["hj-reward"] = ([], ["verified"]),
        ["hj-patrol"] = ([], []),
        ["hj-resp"] = ([], []),
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_department_sees_its_share_of_petitions_and_tips(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var mark = Guid.NewGuid().ToString("N")[..8];

        var petitions = new Dictionary<string, Guid>();
        foreach (var nature in new[] { Mining, Explosives, Officials })
        {
            var response = await office.PostAsJsonAsync("/api/petitions", new
            {
                divisionCode = "431281101", nature, content = $"矩阵 {mark} {nature}", petitioner = "张三", contact = "13800001111",
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            petitions[nature] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        var tips = new Dictionary<string, Guid>
        {
            ["police"] = await TipAsync(app, $"矩阵 {mark} 公安"),
            ["unassigned"] = await TipAsync(app, $"矩阵 {mark} 未分派"),
            ["verified"] = await TipAsync(app, $"矩阵 {mark} 已核查"),
        };
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(7)).ToString("yyyy-MM-dd");
        await Ok(office.PostAsJsonAsync($"/api/tips/{tips["police"]}/assign", new { divisionCode = "431281101", departmentCode = "public-security", dueOn = due }));
        await Ok(office.PostAsJsonAsync($"/api/tips/{tips["verified"]}/assign", new { divisionCode = "431281101", departmentCode = "natural-resources", dueOn = due }));
        await Ok(office.PostAsJsonAsync($"/api/tips/{tips["verified"]}/verify", new { outcome = "属实", evidence = "现场核实有新鲜矿渣" }));

        var wrong = new List<string>();
        foreach (var (user, (seesPetitions, seesTips)) in Matrix)
        {
            var client = await app.LoginAsync(user);
            var list = await ListAsync(client, "/api/petitions");
            foreach (var (nature, id) in petitions)
            {
                var expected = seesPetitions.Contains(nature);
                if (list.Contains(id) != expected) wrong.Add($"{user} {(expected ? "misses" : "lists")} petition {nature}");
                var detail = (await client.GetAsync($"/api/petitions/{id}")).StatusCode;
                if ((detail == HttpStatusCode.OK) != expected) wrong.Add($"{user} petition {nature} detail -> {(int)detail}");
            }

            var tipList = await ListAsync(client, "/api/tips");
            foreach (var (kind, id) in tips)
            {
                var expected = seesTips.Contains(kind);
                if (tipList.Contains(id) != expected) wrong.Add($"{user} {(expected ? "misses" : "lists")} tip {kind}");
                var detail = (await client.GetAsync($"/api/tips/{id}")).StatusCode;
                if ((detail == HttpStatusCode.OK) != expected) wrong.Add($"{user} tip {kind} detail -> {(int)detail}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    // What each 洪江市 user may see of clues and assignments, by the department they were given to ("none": no department).
    private static readonly Dictionary<string, (string[] Clues, string[] Assignments)> SpineMatrix = new()
    {
        ["hj-office"] = (["police", "discipline", "petitions", "none"], ["police", "discipline", "petitions", "none"]),
        ["hj-leader"] = (["police", "discipline", "petitions", "none"], ["police", "discipline", "petitions", "none"]),
        ["hj-admin"] = (["police", "discipline", "petitions", "none"], ["police", "discipline", "petitions", "none"]),
        ["hj-police"] = (["police"], ["police"]),
        ["hj-discipline"] = (["discipline"], ["discipline"]),
        ["hj-petitions"] = (["petitions"], ["petitions"]),
        ["hj-reward"] = ([], []),
        ["hj-patrol"] = ([], ["none"]),
        ["hj-resp"] = ([], ["none"]),
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_department_sees_its_share_of_clues_and_assignments(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("hj-office");
        var mark = Guid.NewGuid().ToString("N")[..8];
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(7)).ToString("yyyy-MM-dd");
        var departments = new Dictionary<string, string?>
        {
            ["police"] = "public-security", ["discipline"] = "discipline", ["petitions"] = "petitions", ["none"] = null,
        };

        // In 黔城镇's first grid: inside the patrol member's township and the responsible person's grid.
        const string grid = "431281101G001";
        var clues = new Dictionary<string, Guid>();
        var assignments = new Dictionary<string, Guid>();
        foreach (var (kind, department) in departments)
        {
            var clue = await office.PostAsJsonAsync("/api/clues", new { sourceType = "media", summary = $"矩阵 {mark} {kind}", divisionCode = grid, departmentCode = department });
            Assert.True(clue.StatusCode == HttpStatusCode.Created, await clue.Content.ReadAsStringAsync());
            clues[kind] = (await clue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var assignment = await office.PostAsJsonAsync("/api/assignments", new
            {
                divisionCode = grid, kind = "rectification", title = $"矩阵 {mark} {kind}", departmentCode = department, dueOn = due,
            });
            Assert.True(assignment.StatusCode == HttpStatusCode.Created, await assignment.Content.ReadAsStringAsync());
            assignments[kind] = (await assignment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        var wrong = new List<string>();
        foreach (var (user, (seesClues, seesAssignments)) in SpineMatrix)
        {
            var client = await app.LoginAsync(user);
            await Check(client, user, "clue", "/api/clues?state=all", "/api/clues", clues, seesClues, wrong);
            await Check(client, user, "assignment", "/api/assignments?status=all", "/api/assignments", assignments, seesAssignments, wrong);
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static async Task Check(HttpClient client, string user, string what, string listUrl, string detailUrl, Dictionary<string, Guid> records,
        string[] sees, List<string> wrong)
    {
        var list = await ListAsync(client, listUrl);
        foreach (var (kind, id) in records)
        {
            var expected = sees.Contains(kind);
            if (list.Contains(id) != expected) wrong.Add($"{user} {(expected ? "misses" : "lists")} {what} {kind}");
            var detail = (await client.GetAsync($"{detailUrl}/{id}")).StatusCode;
            if ((detail == HttpStatusCode.OK) != expected) wrong.Add($"{user} {what} {kind} detail -> {(int)detail}");
        }
    }

    private static async Task<Guid> TipAsync(TestApp app, string description)
    {
        var sent = await TipClient.SubmitAsync(app.Anonymous(), TipClient.Fields(division: "431281101", description: description, place: null), pow: true);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        return await TipClient.TipIdAsync(app, sent.Code!);
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The ids a list answers with; a refusal (403) counts as an empty list.</summary>
    private static async Task<HashSet<Guid>> ListAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode == HttpStatusCode.Forbidden) return [];
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = json.ValueKind == JsonValueKind.Array ? json : json.GetProperty("items");
        return items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToHashSet();
    }
}
