using MineGuard.Platform.People;
using MineGuard.Platform.Imports;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Imports;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// 重点人员台账: imported with the form's checks, by the office and the police only, with the ID number never kept
/// or shown in clear outside the encrypted column; exported masked; undone only while untouched.
/// </summary>
public sealed class KeyPersonLedgerTests
{
    private static readonly string[] Headers = ["人员姓名", "公民身份号码", "手机", "所在乡镇", "住址村", "家庭住址", "涉矿经历", "违法记录", "等级"];

    private static object?[] Row(string name, string id, string level = "重点", string? village = null) =>
        [name, id, "13800000000", "饭坡镇", village, "某村三组", "曾在金矿打工", null, level];

    private static async Task<JsonElement> UploadAsync(HttpClient client, byte[] file, string name = "重点人员.xlsx")
    {
        var response = await Ledger.UploadAsync(client, file, name, "key-persons");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    /// <summary>A number with a valid check character but no such day (13th month).</summary>
    private static string BadBirthDate()
    {
        var first17 = $"41032519901332{Random.Shared.Next(100, 999)}";
        return first17 + TestIds.Check(first17);
    }

    private static void AssertNoPlain(string text, IEnumerable<string> ids, string where)
    {
        foreach (var id in ids) Assert.False(text.Contains(id, StringComparison.OrdinalIgnoreCase), $"{where} holds the ID number {id}");
    }

    private static async Task<(Guid Batch, string[] Names, string[] Ids)> ImportTwoAsync(HttpClient client)
    {
        string[] names = [KeyPersonFixtures.UniqueName("导"), KeyPersonFixtures.UniqueName("导")];
        string[] ids = [TestIds.Next(), TestIds.Next()];
        var session = await UploadAsync(client, Ledger.Xlsx(Headers, [Row(names[0], ids[0]), Row(names[1], ids[1], "一般")]));
        var batch = await Ledger.ConfirmAsync(client, session);
        return (Guid.Parse(Id(batch)), names, ids);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Office_imports_with_the_forms_checks_and_no_ID_number_is_kept_in_clear(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var started = app.Clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
        var existing = await KeyPersonFixtures.CreateAsync(office);
        var village = await app.WithDbAsync(db => db.Divisions.Where(d => d.ParentCode == KeyPersonFixtures.Fanpo && d.Level == DivisionLevel.Village)
            .Select(d => new { d.Code, d.Name }).FirstOrDefaultAsync());
        var (good, goodX) = (TestIds.Next(), TestIds.NextEndingInX());
        var wrongCheck = TestIds.WithWrongCheck(TestIds.Next());
        var badDate = BadBirthDate();
        string[] names = [.. Enumerable.Range(0, 6).Select(_ => KeyPersonFixtures.UniqueName("台账"))];
        var file = Ledger.Xlsx(Headers,
        [
            Row(names[0], good, village: village?.Name),
            Row(names[1], wrongCheck),
            Row(names[2], badDate),
            Row(names[3], good),
            Row(names[4], existing.IdNumber),
            Row(names[5], goodX.ToLowerInvariant(), "严管"),
        ], title: "嵩县涉矿重点人员台账");
        string[] plain = [good, goodX, wrongCheck, badDate, existing.IdNumber];

        var response = await Ledger.UploadAsync(office, file, "重点人员.xlsx", "key-persons");
        var sessionJson = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, sessionJson);
        AssertNoPlain(sessionJson, plain, "the session");
        var session = JsonDocument.Parse(sessionJson).RootElement;
        Assert.Equal(2, session.GetProperty("headerRow").GetInt32());
        Assert.Equal<IEnumerable<string?>>(["Name", "IdNumber", "Phone", "Township", "Village", "Address", "History", "PriorCases", "ControlLevel"],
            session.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal("**************" + good[^4..], session.GetProperty("columns")[1].GetProperty("sample").GetString());
        var summary = session.GetProperty("summary");
        Assert.Equal((6, 2, 4), (summary.GetProperty("rowsRead").GetInt32(), summary.GetProperty("valid").GetInt32(), summary.GetProperty("invalid").GetInt32()));
        var errors = summary.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Field: e.GetProperty("field").GetString(),
                Message: e.GetProperty("message").GetString()))
            .ToList();
        Assert.Equal(
        [
            (4, "B", "身份证号", "身份证号校验位不正确"),
            (5, "B", "身份证号", "身份证号中的出生日期（第 7–14 位）无效"),
            (6, "B", "身份证号", "该身份证号已登记（与本批前面的一行重复）"),
            (7, "B", "身份证号", $"该身份证号已登记（{existing.Name}）"),
        ], errors);

        // Nothing of the check stayed in the context: the preview registered nobody.
        Assert.False(await app.WithDbAsync(db => db.Set<KeyPerson>().AnyAsync(p => names.Contains(p.Name))));

        var id = Guid.Parse(Id(session));
        var fileId = await app.WithDbAsync(db => db.Set<ImportSession>().Where(s => s.Id == id).Select(s => s.FileId).SingleAsync());
        Assert.NotNull(fileId);
        var confirm = await office.PostAsync($"/api/imports/sessions/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.Created, confirm.StatusCode);
        var batchId = Guid.Parse(Id(await confirm.Content.ReadFromJsonAsync<JsonElement>()));

        var reportJson = await office.GetStringAsync($"/api/imports/{batchId}");
        AssertNoPlain(reportJson, plain, "the batch report");
        Assert.Contains("身份证号校验位不正确", reportJson, StringComparison.Ordinal);
        var afterJson = await office.GetStringAsync($"/api/imports/sessions/{id}");
        AssertNoPlain(afterJson, plain, "the closed session");

        var (stored, sessionRow, batchRow, audit) = await app.WithDbAsync(async db => (
            await db.Set<KeyPerson>().AsNoTracking().Where(p => names.Contains(p.Name)).OrderBy(p => p.Name).ToListAsync(),
            await db.Set<ImportSession>().AsNoTracking().SingleAsync(s => s.Id == id),
            await db.Set<ImportBatch>().AsNoTracking().SingleAsync(b => b.Id == batchId),
            await db.AuditRecords.AsNoTracking().Where(r => r.AtUtc >= started).Select(r => r.Changes ?? "").ToListAsync()));
        AssertNoPlain(sessionRow.PreviewJson + sessionRow.LayoutJson, plain, "the stored session");
        AssertNoPlain(batchRow.ReportJson, plain, "the stored batch");
        AssertNoPlain(string.Join("\n", audit), plain, "the audit trail");
        Assert.Contains(audit, c => c.Contains("导入重点人员台账", StringComparison.Ordinal));

        // Stored encrypted with its keyed hash, in the batch, with the township (or the village) as home.
        Assert.Equal(new[] { names[0], names[5] }.Order(StringComparer.Ordinal), stored.Select(p => p.Name).Order(StringComparer.Ordinal));
        var protection = app.Services.GetRequiredService<IdNumberProtection>();
        foreach (var (person, number) in new[] { (stored.Single(p => p.Name == names[0]), good), (stored.Single(p => p.Name == names[5]), goodX) })
        {
            Assert.DoesNotContain(number, person.IdNumberProtected, StringComparison.Ordinal);
            Assert.Equal(number, protection.Unprotect(person.IdNumberProtected));
            Assert.Equal(await protection.HashAsync(number, default), person.IdNumberHash);
            Assert.Equal(number[^4..], person.IdNumberLast4);
            Assert.Equal(batchId, person.ImportBatchId);
            Assert.False(person.IsDemo);
        }
        Assert.Equal(village?.Code ?? KeyPersonFixtures.Fanpo, stored.Single(p => p.Name == names[0]).DivisionCode);
        Assert.Equal(ControlLevel.Strict, stored.Single(p => p.Name == names[5]).ControlLevel);

        // The uploaded file is gone with the import.
        Assert.Null(sessionRow.FileId);
        Assert.False(await app.WithDbAsync(db => db.Set<StoredFile>().AnyAsync(f => f.Id == fileId)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_cancelled_key_person_import_keeps_neither_rows_nor_file(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var name = KeyPersonFixtures.UniqueName("取消");
        var session = await UploadAsync(office, Ledger.Xlsx(Headers, [Row(name, TestIds.Next())]));
        var id = Guid.Parse(Id(session));
        var fileId = await app.WithDbAsync(db => db.Set<ImportSession>().Where(s => s.Id == id).Select(s => s.FileId).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await office.PostAsync($"/api/imports/sessions/{id}/cancel", null)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Set<StoredFile>().AnyAsync(f => f.Id == fileId)));
        Assert.False(await app.WithDbAsync(db => db.Set<KeyPerson>().AnyAsync(p => p.Name == name)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Only_office_and_police_may_import_key_persons_while_others_still_import_adits(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var session = await UploadAsync(office, Ledger.Xlsx(Headers, [Row(KeyPersonFixtures.UniqueName(), TestIds.Next())]));
        var (batch, _, _) = await ImportTwoAsync(office);

        foreach (var user in new[] { "sx-admin", "sx-patrol" })
        {
            var client = await app.LoginAsync(user);
            var upload = await Ledger.UploadAsync(client, Ledger.Xlsx(Headers, [Row(KeyPersonFixtures.UniqueName(), TestIds.Next())]), "k.xlsx", "key-persons");
            Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
            // The county's admin finds the session and the batch but may not touch them; the patrol member (a forest
            // farm's node) does not even find the county's, which is a 404 like anything outside one's jurisdiction.
            var refused = user == "sx-admin" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            Assert.Equal(refused, (await client.GetAsync($"/api/imports/sessions/{Id(session)}")).StatusCode);
            Assert.Equal(refused, (await client.PutAsJsonAsync($"/api/imports/sessions/{Id(session)}/mapping", new { fields = new string?[9] })).StatusCode);
            Assert.Equal(refused, (await client.PostAsync($"/api/imports/sessions/{Id(session)}/confirm", null)).StatusCode);
            Assert.Equal(refused, (await client.PostAsync($"/api/imports/sessions/{Id(session)}/cancel", null)).StatusCode);
            Assert.Equal(refused, (await client.GetAsync($"/api/imports/{batch}")).StatusCode);
            Assert.Equal(refused, (await client.PostAsync($"/api/imports/{batch}/undo", null)).StatusCode);
            if (user == "sx-admin")
            {
                // Pages send the browser to the access-denied page, as every page does.
                foreach (var page in new[] { $"/imports/{Id(session)}", $"/imports/batches/{batch}" })
                {
                    var denied = await client.GetAsync(page);
                    Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
                    Assert.Contains("/denied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
                }
            }
            var list = await client.GetFromJsonAsync<JsonElement>("/api/imports");
            Assert.DoesNotContain(list.EnumerateArray(), b => b.GetProperty("kind").GetString() == "key-persons");
            Assert.DoesNotContain("重点人员台账", await client.GetStringAsync("/imports"), StringComparison.Ordinal);

            // Adits as before.
            var p = Spots.Next();
            var adits = Ledger.Xlsx(["编号", "乡镇", "经度", "纬度"], [[Spots.Unique("K"), "德亭镇", p.Lon, p.Lat]]);
            if (user == "sx-admin") await Ledger.ConfirmAsync(client, await Ledger.SessionAsync(client, adits, "a.xlsx"));
            else Assert.Equal(HttpStatusCode.Created, (await Ledger.UploadAsync(client, adits, "a.xlsx")).StatusCode);
        }
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<KeyPerson>().CountAsync(k => k.ImportBatchId == batch)));
        Assert.Equal(ImportSessionStatus.Pending,
            await app.WithDbAsync(db => db.Set<ImportSession>().Where(s => s.Id == Guid.Parse(Id(session))).Select(s => s.Status).SingleAsync()));

        // The police may.
        var police = await app.LoginAsync("sx-police");
        var (policeBatch, names, _) = await ImportTwoAsync(police);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<KeyPerson>().CountAsync(k => k.ImportBatchId == policeBatch && names.Contains(k.Name))));
        Assert.Contains("重点人员台账", await police.GetStringAsync("/imports"), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Undo_deletes_the_batch_and_is_refused_once_a_person_changed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (batch, names, _) = await ImportTwoAsync(office);
        var undo = await office.PostAsync($"/api/imports/{batch}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Set<KeyPerson>().AnyAsync(p => names.Contains(p.Name))));
        var record = await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityId == batch.ToString() && a.Action == "undo-import"));
        Assert.Contains("删除 2 个重点人员", record.Changes, StringComparison.Ordinal);

        // A home visit, then an edit: either makes the batch someone's work.
        var (visited, visitedNames, _) = await ImportTwoAsync(office);
        var person = await app.WithDbAsync(db => db.Set<KeyPerson>().Where(p => p.Name == visitedNames[1]).Select(p => p.Id).SingleAsync());
        var visit = await office.PostAsJsonAsync($"/api/key-persons/{person}/home-visits",
            new { visitedOn = new DateOnly(2025, 1, 2), visitedBy = "张三", outcome = "宣传诫训，本人表示不再涉矿" });
        Assert.Equal(HttpStatusCode.Created, visit.StatusCode);
        var refused = await office.PostAsync($"/api/imports/{visited}/undo", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ImportChangedSince", problem.GetProperty("code").GetString());
        Assert.Contains($"有 1 人在导入后已有变更（如 {visitedNames[1]}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<KeyPerson>().CountAsync(p => visitedNames.Contains(p.Name))));

        var (edited, editedNames, editedIds) = await ImportTwoAsync(office);
        var editedId = await app.WithDbAsync(db => db.Set<KeyPerson>().Where(p => p.Name == editedNames[0]).Select(p => p.Id).SingleAsync());
        var update = await office.PutAsJsonAsync($"/api/key-persons/{editedId}",
            KeyPersonFixtures.Body(editedNames[0], editedIds[0], level: "严管"));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsync($"/api/imports/{edited}/undo", null)).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Set<ImportBatch>().Where(b => b.Id == edited).Select(b => b.UndoneUtc).SingleAsync()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Export_masks_ID_numbers_stays_in_the_county_and_is_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var prefix = KeyPersonFixtures.UniqueName("出");
        var mine = await KeyPersonFixtures.CreateAsync(office, prefix + "甲", level: "严管");
        await KeyPersonFixtures.CreateAsync(office, prefix + "乙", level: "一般");
        var hongjiang = await app.LoginAsync("hj-office");
        await KeyPersonFixtures.CreateAsync(hongjiang, prefix + "丙", KeyPersonFixtures.Qiancheng);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/key-persons/export.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-admin")).GetAsync("/api/key-persons/export.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-patrol")).GetAsync("/api/key-persons/template.xlsx")).StatusCode);
        var bad = await office.GetAsync("/api/key-persons/export.xlsx?controlLevel=很高");
        Assert.Equal("管控等级只能是一般、重点或严管", KeyPersonFixtures.FirstError(await KeyPersonFixtures.ErrorsAsync(bad), "controlLevel"));

        var response = await office.GetAsync($"/api/key-persons/export.xlsx?name={Uri.EscapeDataString(prefix)}&sort=name");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MineGuard.Platform.Excel.ExportFormat.Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        var rows = SheetReader.Read(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), "export.xlsx").ToList();
        Assert.Equal(["姓名", "身份证号", "联系电话", "乡镇", "村", "住址", "从业经历", "前科", "管控等级", "常用车辆", "最近走访日期"], rows[0].Cells);
        Assert.Equal([prefix + "乙", prefix + "甲"], rows.Skip(1).Select(r => r.Cells[0]));
        var first = rows.Single(r => r.Cells[0] == prefix + "甲");
        Assert.Equal("**************" + mine.IdNumber[^4..], first.Cells[1]);
        Assert.Equal("饭坡镇", first.Cells[3]);
        Assert.Equal("严管", first.Cells[8]);
        Assert.DoesNotContain(rows.SelectMany(r => r.Cells), c => c.Contains(mine.IdNumber, StringComparison.Ordinal));

        var filtered = SheetReader.Read(new MemoryStream(await office.GetByteArrayAsync(
            $"/api/key-persons/export.xlsx?name={Uri.EscapeDataString(prefix)}&controlLevel=一般")), "e.xlsx").ToList();
        Assert.Equal([prefix + "乙"], filtered.Skip(1).Select(r => r.Cells[0]));
        var audit = await app.WithDbAsync(db => db.AuditRecords.Where(r => r.Action == "export" && r.EntityType == nameof(KeyPerson) && r.ActorName == "sx-office")
            .Select(r => r.Changes).ToListAsync());
        Assert.Contains(audit, c => c!.Contains("导出重点人员台账 2 人", StringComparison.Ordinal) && c.Contains(prefix, StringComparison.Ordinal));

        // The police may export too; the list page links the export with its filters.
        var police = await app.LoginAsync("sx-police");
        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync("/api/key-persons/export.xlsx")).StatusCode);
        var page = await office.GetStringAsync($"/key-persons?name={Uri.EscapeDataString(prefix)}&level=%E4%B8%A5%E7%AE%A1");
        Assert.Contains($"/api/key-persons/export.xlsx?divisionCode=&amp;controlLevel=%E4%B8%A5%E7%AE%A1&amp;name={Uri.EscapeDataString(prefix)}", page, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_template_maps_back_onto_the_import(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var template = await office.GetByteArrayAsync("/api/key-persons/template.xlsx");
        var rows = SheetReader.Read(new MemoryStream(template), "t.xlsx").ToList();
        Assert.Equal(KeyPersonLedger.KeyPersonFields.Select(f => f.Required ? f.Header + "*" : f.Header), rows[0].Cells);
        Assert.Equal("示例", rows[1].Cells[0]);
        var blank = await UploadAsync(office, template, "模板.xlsx");
        Assert.Equal(KeyPersonLedger.KeyPersonFields.Select(f => f.Key), blank.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal(0, blank.GetProperty("summary").GetProperty("rowsRead").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_ledger_carries_plates_in_and_out_normalised_as_the_checkpoints_store_them(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var prefix = KeyPersonFixtures.UniqueName("车");
        string[] headers = [.. Headers, "车牌号"];
        var file = Ledger.Xlsx(headers,
        [
            [.. Row(prefix + "甲", TestIds.Next()), "豫c·12345、豫cd67890"],
            [.. Row(prefix + "乙", TestIds.Next()), "12345"],
            [.. Row(prefix + "丙", TestIds.Next()), null],
        ]);
        var session = await UploadAsync(office, file);
        Assert.Equal("Plates", session.GetProperty("columns")[9].GetProperty("field").GetString());
        var errors = session.GetProperty("summary").GetProperty("errors");
        Assert.True(errors.GetArrayLength() == 1, errors.ToString());
        var error = errors[0];
        Assert.Equal((3, "J", "常用车辆"), (error.GetProperty("row").GetInt32(), error.GetProperty("column").GetString(), error.GetProperty("field").GetString()));
        Assert.Contains("格式不正确", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await Ledger.ConfirmAsync(office, session);
        var stored = await app.WithDbAsync(db => db.Set<KeyPerson>().AsNoTracking().Where(p => p.Name.StartsWith(prefix)).OrderBy(p => p.Name)
            .Select(p => new { p.Name, p.Plates }).ToListAsync());
        Assert.Equal([(prefix + "丙", (string?)null), (prefix + "甲", "豫C12345，豫CD67890")], stored.Select(p => (p.Name, p.Plates)).OrderBy(p => p.Item2 is null ? 0 : 1));

        // Exported in 常用车辆, as stored; another county's office exports none of them.
        var rows = SheetReader.Read(new MemoryStream(await office.GetByteArrayAsync($"/api/key-persons/export.xlsx?name={Uri.EscapeDataString(prefix)}&sort=name")), "e.xlsx").ToList();
        var column = rows[0].Cells.ToList().IndexOf("常用车辆");
        Assert.Equal("豫C12345，豫CD67890", rows.Single(r => r.Cells[0] == prefix + "甲").Cells[column]);
        Assert.True(string.IsNullOrEmpty(rows.Single(r => r.Cells[0] == prefix + "丙").Cells.ElementAtOrDefault(column)));
        var other = SheetReader.Read(new MemoryStream(await (await app.LoginAsync("hj-office")).GetByteArrayAsync($"/api/key-persons/export.xlsx?name={Uri.EscapeDataString(prefix)}")), "o.xlsx").ToList();
        Assert.DoesNotContain(other.SelectMany(r => r.Cells), c => c.Contains("豫CD67890", StringComparison.Ordinal));
    }
}
