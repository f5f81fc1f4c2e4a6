using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Excel;
using MineGuard.Platform.People;
using MineGuard.Tests.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Persons;

/// <summary>The register in and out of Excel, a log-in for a person later, and the pages.</summary>
public sealed class PersonSheetsTests
{
    private static string NewPhone() => "136" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] Headers = ["序号", "姓名", "手机号码", "单位", "职务", "所属区划"];

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] file, string name = "persons.xlsx", bool token = true)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        if (token) form.Add(new StringContent(await TestApp.AntiForgeryTokenAsync(client, "/persons")), "__RequestVerificationToken");
        return await client.PostAsync("/api/persons/import", form);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Import_saves_good_rows_lists_bad_ones_by_row_number_and_a_re_import_does_not_duplicate(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (a, b) = (NewPhone(), NewPhone());
        var tag = Guid.NewGuid().ToString("N")[..4];
        var file = Ledger.Xlsx(Headers,
        [
            [1, "王" + tag, a, "黄庄村村委会", "村支部书记", "陶村林场"],
            [2, "李" + tag, b[..3] + " " + b[3..], "陶村林场", "包村干部", "410325400"],
            [3, "", NewPhone(), null, null, "陶村林场"],
            [4, "赵" + tag, "12345", null, null, "陶村林场"],
            [5, "钱" + tag, NewPhone(), null, null, "火星镇"],
        ]);
        var response = await ImportAsync(office, file);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString())).ToList();
        // Sheet rows: the header is row 1, so data rows 3, 4 and 5 are sheet rows 4, 5 and 6.
        Assert.Contains((4, "姓名"), errors);
        Assert.Contains((5, "手机号码"), errors);
        Assert.Contains((6, "所属区划"), errors);
        Assert.Equal(3, errors.Count);

        // Re-import with a changed post: matched by phone, updated, not duplicated.
        var again = Ledger.Xlsx(Headers, [[1, "王" + tag, a, "黄庄村村委会", "村主任", "陶村林场"], [2, "李" + tag, b, "陶村林场", "包村干部", "410325400"]]);
        var second = await (await ImportAsync(office, again)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(1, second.GetProperty("updated").GetInt32());
        Assert.Equal(1, second.GetProperty("unchanged").GetInt32());
        var stored = await app.WithDbAsync(db => db.Set<Person>().Where(p => p.Phone == a || p.Phone == b).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Equal("村主任", stored.Single(p => p.Phone == a).Post);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Import_refuses_the_anonymous_non_managers_no_file_and_a_sheet_without_the_columns(string provider)
    {
        var app = await TestApp.Shared(provider);
        var file = Ledger.Xlsx(Headers, [[1, "测试", NewPhone(), null, null, "陶村林场"]]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync(app.Anonymous(), file, token: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(await app.LoginAsync("sx-leader"), file)).StatusCode);
        var office = await app.LoginAsync("sx-office");
        var noColumns = await ImportAsync(office, Ledger.Xlsx(["单位", "职务"], [["某单位", "某职务"]]));
        Assert.Equal(HttpStatusCode.BadRequest, noColumns.StatusCode);
        Assert.Contains("姓名", (await noColumns.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        var wrongType = await ImportAsync(office, [1, 2, 3], "persons.txt");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        // Another county's office files nothing under this county: 陶村林场 is not in 洪江's scope.
        var hongjiang = await app.LoginAsync("hj-office");
        var phone = NewPhone();
        var foreign = await (await ImportAsync(hongjiang, Ledger.Xlsx(Headers, [[1, "外县" + phone[^4..], phone, null, null, "410325400"]]))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, foreign.GetProperty("created").GetInt32());
        Assert.Equal("所属区划", foreign.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    /// <summary>
    /// 所属区划 as ledgers write it: a village's short name (田湖村 for 田湖村村民委员会) in the 乡镇 column's township, or
    /// without a township anywhere in the county when only one village is called so; noted with the village taken. An
    /// unknown village is a row error naming the township's nearest names, a name two townships share one naming both.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task Import_takes_short_village_names_as_the_adit_ledger_does(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var tag = Guid.NewGuid().ToString("N")[..4];
        var phones = Enumerable.Range(0, 5).Select(_ => NewPhone()).ToArray();
        var file = Ledger.Xlsx(["姓名", "联系电话", "乡镇（林场）", "村（组）"],
        [
            ["甲" + tag, phones[0], "田湖镇", "田湖村"],
            ["乙" + tag, phones[1], null, "黄庄村"],
            ["丙" + tag, phones[2], "田湖镇", "樊庄村"],
            ["丁" + tag, phones[3], null, "杨湾村"],
            ["戊" + tag, phones[4], "田湖镇", null],
        ]);
        var response = await ImportAsync(office, file);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, result.GetProperty("created").GetInt32());
        var stored = await app.WithDbAsync(db => db.Set<Person>().Where(p => phones.Contains(p.Phone)).ToDictionaryAsync(p => p.Phone, p => p.DivisionCode));
        Assert.Equal("410325101200", stored[phones[0]]);
        Assert.Equal("410325209200", stored[phones[1]]);
        Assert.Equal("410325101", stored[phones[4]]);
        Assert.Equal(3, stored.Count);

        var errors = result.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(4, errors[0].GetProperty("row").GetInt32());
        Assert.Equal("所属区划", errors[0].GetProperty("field").GetString());
        Assert.Contains("樊庄村", errors[0].GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Contains("樊店村、张庄村、毛庄村", errors[0].GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Equal(5, errors[1].GetProperty("row").GetInt32());
        Assert.Contains("杨湾村", errors[1].GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Contains("多个可能", errors[1].GetProperty("message").GetString()!, StringComparison.Ordinal);
        var notes = result.GetProperty("notes").EnumerateArray().Select(n => (n.GetProperty("row").GetInt32(), n.GetProperty("message").GetString()!)).ToList();
        Assert.Contains(notes, n => n.Item1 == 2 && n.Item2.Contains("田湖村村民委员会", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Item1 == 3 && n.Item2.Contains("黄庄村村民委员会", StringComparison.Ordinal));

        // A township outside the caller's county is refused by its column; another county's office finds none of these.
        var hongjiang = await app.LoginAsync("hj-office");
        var phone = NewPhone();
        var foreign = await (await ImportAsync(hongjiang, Ledger.Xlsx(["姓名", "手机号码", "乡镇", "村"], [["外县" + tag, phone, "田湖镇", "田湖村"]])))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, foreign.GetProperty("created").GetInt32());
        Assert.Equal("乡镇", foreign.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Export_masks_phones_for_non_managers_and_every_export_is_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var phone = NewPhone();
        var name = "导出" + Guid.NewGuid().ToString("N")[..4];
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync("/api/persons", new { divisionCode = "410325400", name, phone })).StatusCode);

        List<SheetRow> Read(byte[] xlsx) => [.. SheetReader.Read(new MemoryStream(xlsx), "export.xlsx")];
        var full = Read(await office.GetByteArrayAsync($"/api/persons/export?q={Uri.EscapeDataString(name)}"));
        Assert.Equal("手机号码", full[0].Cells[1]);
        Assert.Equal(phone, Assert.Single(full.Skip(1)).Cells[1]);
        var leader = await app.LoginAsync("sx-leader");
        var masked = Read(await leader.GetByteArrayAsync($"/api/persons/export?q={Uri.EscapeDataString(name)}"));
        Assert.Equal(PhoneNumber.Mask(phone), Assert.Single(masked.Skip(1)).Cells[1]);
        var audits = await app.WithDbAsync(db => db.AuditRecords.Where(r => r.Action == "export" && r.EntityType == nameof(Person)).Select(r => new { r.ActorName, r.Changes }).ToListAsync());
        Assert.Contains(audits, r => r.ActorName == "sx-office" && r.Changes!.Contains("手机号码完整", StringComparison.Ordinal));
        Assert.Contains(audits, r => r.ActorName == "sx-leader" && r.Changes!.Contains("已遮蔽", StringComparison.Ordinal));

        // The one export: csv as well, with the same masking.
        var bytes = await leader.GetByteArrayAsync($"/api/persons/export?format=csv&q={Uri.EscapeDataString(name)}");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("姓名,手机号码", csv, StringComparison.Ordinal);
        Assert.Contains(PhoneNumber.Mask(phone), csv, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/persons/export?format=pdf")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/persons/export")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/persons/export?q=" + new string('长', 60))).StatusCode);
        // Another county's export does not contain this county's people.
        var hongjiang = Read(await (await app.LoginAsync("hj-office")).GetByteArrayAsync($"/api/persons/export?q={Uri.EscapeDataString(name)}"));
        Assert.Single(hongjiang);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_administrator_gives_a_person_a_log_in_linked_to_the_record(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var phone = NewPhone();
        var created = await office.PostAsJsonAsync("/api/persons", new { divisionCode = "410325400", name = "开通" + phone[^4..], phone });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var body = new { userName = "p" + phone, password = "Mg-Test-2026!x", roles = new[] { "responsible" } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync($"/api/persons/{id}/account", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/persons/{id}/account", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-admin")).PostAsJsonAsync($"/api/persons/{id}/account", body)).StatusCode);
        var admin = await app.LoginAsync("sx-admin");
        var bad = await admin.PostAsJsonAsync($"/api/persons/{id}/account", new { userName = "", password = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("userName", out _));
        var ok = await admin.PostAsJsonAsync($"/api/persons/{id}/account", body);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True((await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hasAccount").GetBoolean());
        var linked = await app.WithDbAsync(db => db.Set<Person>().Where(p => p.Id == id).Select(p => p.UserId).SingleAsync());
        var user = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == linked));
        Assert.Equal(phone, user.PhoneNumber);
        Assert.Equal("410325400", user.DivisionCode);
        // Twice is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/persons/{id}/account", body with { userName = "q" + phone })).StatusCode);
        // The new user signs in.
        await app.LoginAsync("p" + phone, "Mg-Test-2026!x");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_pages_list_search_add_with_a_checked_phone_and_show_the_menu_entry(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var home = await office.GetStringAsync("/persons");
        Assert.Contains("责任人名录", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/persons\"", home, StringComparison.Ordinal);

        var token = await TestApp.AntiForgeryTokenAsync(office, "/persons/edit");
        var name = "页面" + Guid.NewGuid().ToString("N")[..4];
        var bad = await office.PostAsync("/persons/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Phone"] = "123", ["Input.DivisionCode"] = "410325400", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var page = await bad.Content.ReadAsStringAsync();
        Assert.Contains("联系电话不正确", page, StringComparison.Ordinal);
        Assert.Contains("value=\"" + name + "\"", page, StringComparison.Ordinal); // nothing typed is lost
        var phone = NewPhone();
        var good = await office.PostAsync("/persons/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Phone"] = phone, ["Input.DivisionCode"] = "410325400", ["__RequestVerificationToken"] = token,
        }));
        Assert.True(good.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK);
        var found = await office.GetStringAsync($"/persons?q={Uri.EscapeDataString(name)}");
        Assert.Contains(name, found, StringComparison.Ordinal);
        Assert.Contains(phone, found, StringComparison.Ordinal);
        var leader = await app.LoginAsync("sx-leader");
        var seen = await leader.GetStringAsync($"/persons?q={Uri.EscapeDataString(name)}");
        Assert.Contains(PhoneNumber.Mask(phone), seen, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, seen, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{name}</td>", await (await app.LoginAsync("hj-office")).GetStringAsync($"/persons?q={Uri.EscapeDataString(name)}"), StringComparison.Ordinal);
        Assert.Contains($"<td>{name}</td>", found, StringComparison.Ordinal);
    }
}
