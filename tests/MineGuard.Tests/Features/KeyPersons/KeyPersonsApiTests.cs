using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.KeyPersons.KeyPersonFixtures;

namespace MineGuard.Tests.Features.KeyPersons;

/// <summary>The key-person API as the office and police of 嵩县 use it, and as everyone else is refused.</summary>
public sealed class KeyPersonsApiTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Only_the_office_and_the_police_get_in(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, idNumber, name) = await CreateAsync(office);

        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/key-persons")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/key-persons/{id}/id-number", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), TestIds.Next()))).StatusCode);

        // Patrol members, a leader, and an administrator who is not also office staff: 403 on every endpoint.
        foreach (var user in new[] { "sx-patrol", "sx-resp", "sx-leader", "sx-admin" })
        {
            var client = await app.LoginAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/key-persons")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/key-persons/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/key-persons/{id}/id-number", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), TestIds.Next()))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/key-persons/{id}", Body(name, ""))).StatusCode);
        }

        // The county's police see and reveal; nothing they did not ask for is audited.
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync($"/api/key-persons/{id}")).StatusCode);
        var list = await police.GetFromJsonAsync<JsonElement>("/api/key-persons?name=" + name);
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetString());
        var revealed = await (await police.PostAsync($"/api/key-persons/{id}/id-number", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(idNumber, revealed.GetProperty("idNumber").GetString());
        var reads = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "read").ToListAsync());
        Assert.Equal("sx-police", Assert.Single(reads).ActorName);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Another_county_gets_404_and_does_not_see_the_person_in_lists(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (id, _, name) = await CreateAsync(await app.LoginAsync("sx-office"));
        var (aditId, _) = await AditAsync(app);

        foreach (var user in new[] { "hj-office", "hj-police" })
        {
            var hongjiang = await app.LoginAsync(user);
            Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.GetAsync($"/api/key-persons/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsync($"/api/key-persons/{id}/id-number", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PutAsJsonAsync($"/api/key-persons/{id}", Body("改名", "", Qiancheng))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/key-persons/{id}/home-visits",
                new { visitedOn = "2026-10-01", visitedBy = "某人", outcome = "某事" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.PostAsJsonAsync($"/api/key-persons/{id}/adits", new { aditNumber = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await hongjiang.DeleteAsync($"/api/key-persons/{id}/adits/{aditId}")).StatusCode);
            var list = await hongjiang.GetFromJsonAsync<JsonElement>("/api/key-persons?name=" + name);
            Assert.Equal(0, list.GetProperty("total").GetInt32());
            var all = await hongjiang.GetFromJsonAsync<JsonElement>("/api/key-persons?pageSize=100");
            Assert.All(all.GetProperty("items").EnumerateArray(),
                p => Assert.StartsWith("431281", p.GetProperty("divisionCode").GetString(), StringComparison.Ordinal));
        }
        // The refused reveals left nothing in the audit trail, and the person is unchanged.
        Assert.Empty(await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "read").ToListAsync()));
        Assert.Equal(name, await app.WithDbAsync(db => db.Set<KeyPerson>().Where(p => p.Id == Guid.Parse(id)).Select(p => p.Name).SingleAsync()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_number_is_masked_in_lists_and_detail_and_shown_only_on_an_audited_request(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, idNumber, name) = await CreateAsync(office);

        var detailJson = await office.GetStringAsync($"/api/key-persons/{id}");
        var listJson = await office.GetStringAsync("/api/key-persons?name=" + name);
        foreach (var json in new[] { detailJson, listJson })
        {
            Assert.DoesNotContain(idNumber, json, StringComparison.Ordinal);
            Assert.DoesNotContain(idNumber[..14], json, StringComparison.Ordinal);
            Assert.Contains("**************" + idNumber[14..], json, StringComparison.Ordinal);
        }
        Assert.Empty(await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "read").ToListAsync()));

        var response = await office.PostAsync($"/api/key-persons/{id}/id-number", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(idNumber, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("idNumber").GetString());

        var record = Assert.Single(await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "read").ToListAsync()));
        Assert.Equal("KeyPerson", record.EntityType);
        Assert.Equal("sx-office", record.ActorName);
        Assert.Equal("查看完整身份证号", record.Changes);
        Assert.Equal(Fanpo, record.DivisionCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_stored_row_and_the_audit_trail_never_hold_the_plain_number(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, idNumber, name) = await CreateAsync(office);
        var corrected = TestIds.Next();
        var update = await office.PutAsJsonAsync($"/api/key-persons/{id}", Body(name, corrected, Chengguan, "严管"));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("严管", (await update.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("controlLevel").GetString());

        // Every column of the row, as the database holds it.
        var row = await app.WithDbAsync(async db =>
        {
            var conn = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT * FROM \"KeyPersons\"";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
                if (values["Name"] == name) return values;
            }
            throw new InvalidOperationException("row not found");
        });
        foreach (var plain in new[] { idNumber, corrected })
        {
            Assert.All(row.Values, v => Assert.DoesNotContain(plain, v, StringComparison.Ordinal));
            Assert.All(row.Values, v => Assert.DoesNotContain(plain[..14], v, StringComparison.Ordinal));
        }
        Assert.Equal(corrected[14..], row["IdNumberLast4"]);
        Assert.Matches("^[0-9a-f]{64}$", row["IdNumberHash"]);
        // A keyed hash: not the plain SHA-256 anyone could recompute over all plausible numbers.
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(corrected))), row["IdNumberHash"]);
        Assert.True(row["IdNumberProtected"].Length > 40);

        var trail = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityType == "KeyPerson" && a.EntityId == id).ToListAsync());
        Assert.Contains(trail, a => a.Action == "create" && a.Changes!.Contains(name, StringComparison.Ordinal));
        Assert.Contains(trail, a => a.Action == "update" && a.Changes!.Contains("(secret)", StringComparison.Ordinal));
        foreach (var record in trail)
        {
            var changes = record.Changes ?? "";
            Assert.DoesNotContain(idNumber, changes, StringComparison.Ordinal);
            Assert.DoesNotContain(corrected, changes, StringComparison.Ordinal);
            Assert.DoesNotContain(row["IdNumberHash"], changes, StringComparison.Ordinal);
            Assert.DoesNotContain(row["IdNumberProtected"], changes, StringComparison.Ordinal);
            Assert.DoesNotContain("IdNumberProtected", changes, StringComparison.Ordinal);
        }
        var revealed = await (await office.PostAsync($"/api/key-persons/{id}/id-number", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(corrected, revealed.GetProperty("idNumber").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Bad_input_is_refused_field_by_field_in_Chinese_and_nothing_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        // Every name tried starts with this tag, so key persons that tests beside it add do not change the count.
        var tag = "坏" + Guid.NewGuid().ToString("N")[..6];

        var empty = await ErrorsAsync(await office.PostAsJsonAsync("/api/key-persons", new { }));
        Assert.Equal("请填写姓名", FirstError(empty, "name"));
        Assert.Equal("请填写身份证号", FirstError(empty, "idNumber"));
        Assert.Equal("请选择户籍地（乡镇或村）", FirstError(empty, "division"));
        Assert.Contains("请选择管控等级", FirstError(empty, "controlLevel"), StringComparison.Ordinal);

        var valid = TestIds.Next();
        async Task<string> ErrorFor(string field, object body) => FirstError(await ErrorsAsync(await office.PostAsJsonAsync("/api/key-persons", body)), field);
        Assert.Equal("身份证号校验位不正确", await ErrorFor("idNumber", Body(UniqueName(tag), TestIds.WithWrongCheck(valid))));
        var badDate = "41032519990230123";
        Assert.Contains("出生日期", await ErrorFor("idNumber", Body(UniqueName(tag), badDate + TestIds.Check(badDate))), StringComparison.Ordinal);
        Assert.Equal("身份证号应为 18 位", await ErrorFor("idNumber", Body(UniqueName(tag), valid[..17])));
        Assert.Contains("超出您的管辖范围", await ErrorFor("division", Body(UniqueName(tag), valid, Qiancheng)), StringComparison.Ordinal);
        Assert.Contains("户籍地应为乡镇或村", await ErrorFor("division", Body(UniqueName(tag), valid, "410325")), StringComparison.Ordinal);
        Assert.Contains("没有名为“黔城镇”", await ErrorFor("division", Body(UniqueName(tag), valid, "黔城镇")), StringComparison.Ordinal);
        Assert.Contains("未知的行政区划代码", await ErrorFor("division", Body(UniqueName(tag), valid, "999999999")), StringComparison.Ordinal);
        Assert.Contains("管控等级只能是", await ErrorFor("controlLevel", Body(UniqueName(tag), valid, level: "特级")), StringComparison.Ordinal);
        Assert.Contains("电话号码格式不正确", await ErrorFor("phone", Body(UniqueName(tag), valid, phone: "打电话给他")), StringComparison.Ordinal);
        Assert.Contains("不能超过 50 个字", await ErrorFor("name", Body(tag + new string('张', 51 - tag.Length), valid)), StringComparison.Ordinal);

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<KeyPerson>().CountAsync(k => k.Name.StartsWith(tag))));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_number_already_registered_is_refused_however_it_is_written_and_wherever_it_is(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var idNumber = TestIds.NextEndingInX();
        var first = await office.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), idNumber));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstName = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString()!;

        var again = await ErrorsAsync(await office.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), " " + idNumber.ToLowerInvariant())));
        Assert.Equal($"该身份证号已登记（{firstName}）", FirstError(again, "idNumber"));

        // Numbers are unique nationwide; another county learns only that it is registered elsewhere, not by whom.
        var hongjiang = await app.LoginAsync("hj-office");
        var elsewhere = await ErrorsAsync(await hongjiang.PostAsJsonAsync("/api/key-persons", Body(UniqueName(), idNumber, Qiancheng)));
        Assert.Equal("该身份证号已登记（在其他辖区）", FirstError(elsewhere, "idNumber"));

        // Changing another person's number to this one is refused the same way.
        var (otherId, _, otherName) = await CreateAsync(office);
        var update = await ErrorsAsync(await office.PutAsJsonAsync($"/api/key-persons/{otherId}", Body(otherName, idNumber)));
        Assert.StartsWith("该身份证号已登记", FirstError(update, "idNumber"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Home_visits_are_recorded_with_their_date_people_and_outcome(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, _, _) = await CreateAsync(office);

        var bad = await ErrorsAsync(await office.PostAsJsonAsync($"/api/key-persons/{id}/home-visits", new { visitedOn = "2026-11-03" }));
        Assert.Equal("走访日期不能晚于今天", FirstError(bad, "visitedOn"));
        Assert.Equal("请填写走访人", FirstError(bad, "visitedBy"));
        Assert.StartsWith("请填写走访情况", FirstError(bad, "outcome"), StringComparison.Ordinal);

        var police = await app.LoginAsync("sx-police");
        var created = await police.PostAsJsonAsync($"/api/key-persons/{id}/home-visits",
            new { visitedOn = "2026-10-30", visitedBy = "饭坡镇综治办 张三、派出所 李四", outcome = "宣讲盗采入刑案例，本人表示不再参与" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var detail = await office.GetFromJsonAsync<JsonElement>($"/api/key-persons/{id}");
        var visit = Assert.Single(detail.GetProperty("homeVisits").EnumerateArray());
        Assert.Equal("2026-10-30", visit.GetProperty("visitedOn").GetString());
        Assert.Equal("嵩县公安局 刘洋", visit.GetProperty("recordedBy").GetString());
        var list = await office.GetFromJsonAsync<JsonElement>("/api/key-persons?name=" + detail.GetProperty("name").GetString());
        Assert.Equal("2026-10-30", list.GetProperty("items")[0].GetProperty("lastVisitOn").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Adits_of_the_county_are_linked_by_number_and_unlinked(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (id, _, _) = await CreateAsync(office);
        var (aditId, number) = await AditAsync(app);
        var (_, hongjiangNumber) = await AditAsync(app, Qiancheng);

        var linked = await office.PostAsJsonAsync($"/api/key-persons/{id}/adits", new { aditNumber = number, relation = "曾在此盗采被查获" });
        Assert.Equal(HttpStatusCode.Created, linked.StatusCode);
        var adit = Assert.Single((await linked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adits").EnumerateArray());
        Assert.Equal(number, adit.GetProperty("number").GetString());
        Assert.Equal("曾在此盗采被查获", adit.GetProperty("relation").GetString());
        Assert.Equal("未封堵", adit.GetProperty("state").GetString());

        var twice = await ErrorsAsync(await office.PostAsJsonAsync($"/api/key-persons/{id}/adits", new { aditNumber = number }));
        Assert.Contains("已与此人关联", FirstError(twice, "aditNumber"), StringComparison.Ordinal);
        var foreign = await ErrorsAsync(await office.PostAsJsonAsync($"/api/key-persons/{id}/adits", new { aditNumber = hongjiangNumber }));
        Assert.Contains("在您的管辖范围内没有编号为", FirstError(foreign, "aditNumber"), StringComparison.Ordinal);
        var missing = await ErrorsAsync(await office.PostAsJsonAsync($"/api/key-persons/{id}/adits", new { aditNumber = " " }));
        Assert.Equal("请填写矿硐编号", FirstError(missing, "aditNumber"));

        Assert.Equal(HttpStatusCode.NoContent, (await office.DeleteAsync($"/api/key-persons/{id}/adits/{aditId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.DeleteAsync($"/api/key-persons/{id}/adits/{aditId}")).StatusCode);
        var detail = await office.GetFromJsonAsync<JsonElement>($"/api/key-persons/{id}");
        Assert.Empty(detail.GetProperty("adits").EnumerateArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_list_filters_sorts_and_pages(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var prefix = UniqueName("列表");
        await CreateAsync(office, prefix + "A", Fanpo, "一般");
        await CreateAsync(office, prefix + "B", Fanpo, "严管");
        await CreateAsync(office, prefix + "C", Chengguan, "严管");

        async Task<string[]> Names(string query)
        {
            var page = await office.GetFromJsonAsync<JsonElement>($"/api/key-persons?name={prefix}&{query}");
            return page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()![prefix.Length..]).ToArray();
        }
        Assert.Equal(["B", "C", "A"], await Names("sort=-level")); // 严管 first, then by name
        Assert.Equal(["B", "C"], await Names("controlLevel=严管"));
        Assert.Equal(["C"], await Names("divisionCode=" + Chengguan));
        Assert.Equal(["C"], await Names("divisionCode=410325100000&controlLevel=Strict"));
        Assert.Equal(["A"], await Names("sort=level&pageSize=1"));
        var second = await office.GetFromJsonAsync<JsonElement>($"/api/key-persons?name={prefix}&sort=-level&page=2&pageSize=2");
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(prefix + "A", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("饭坡镇", second.GetProperty("items")[0].GetProperty("divisionName").GetString());

        Assert.Contains("管控等级", FirstError(await ErrorsAsync(await office.GetAsync("/api/key-persons?controlLevel=特级")), "controlLevel"), StringComparison.Ordinal);
        Assert.Contains("每页条数", FirstError(await ErrorsAsync(await office.GetAsync("/api/key-persons?pageSize=1000")), "pageSize"), StringComparison.Ordinal);
        Assert.Contains("排序", FirstError(await ErrorsAsync(await office.GetAsync("/api/key-persons?sort=idNumber")), "sort"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Opening_a_file_is_audited_as_a_view_by_API_and_page(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var list = await office.GetFromJsonAsync<JsonElement>("/api/key-persons?pageSize=1");
        var id = list.GetProperty("items")[0].GetProperty("id").GetString();
        var before = await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.EntityId == id && a.Action == "view"));
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/key-persons/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/key-persons/{id}")).StatusCode);
        var views = await app.WithDbAsync(db => db.AuditRecords.Where(a => a.EntityId == id && a.Action == "view").OrderBy(a => a.Sequence).ToListAsync());
        Assert.Equal(before + 2, views.Count);
        Assert.All(views.TakeLast(2), v => Assert.Equal("sx-office", v.ActorName));
        // A refused caller leaves no record.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/api/key-persons/{id}")).StatusCode);
        Assert.Equal(before + 2, await app.WithDbAsync(db => db.AuditRecords.CountAsync(a => a.EntityId == id && a.Action == "view")));
    }
}
