using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Platform.People;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// The ledger's 包保责任人 become responsible persons: found by phone, else by name, else created once per phone from
/// the row, and removed with the import unless something else names them by then.
/// </summary>
public sealed class LedgerPeopleTests
{
    private const string Township = "陶村林场";
    private const string TownshipCode = "410325400";
    private static readonly string[] Headers = ["编号", "乡镇", "经度", "纬度", "包保责任人", "联系电话", "责任人职务"];

    /// <summary>A mobile number nobody else in the test run has.</summary>
    private static string NewPhone() => "139" + Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string NewName() => "测" + Spots.Unique("");

    private static object?[] Row(string number, string? name, string? phone, string? post = null)
    {
        var spot = Spots.Songxian();
        return [number, Township, spot.Lon, spot.Lat, name, phone, post];
    }

    private static Task<Guid> AddPersonAsync(TestApp app, string name, string phone) =>
        app.WithDbAsync(async db =>
        {
            var person = Person.Create(TownshipCode, name, phone, null, null, null, null, db.Clock.GetUtcNow().UtcDateTime);
            db.Add(person);
            await db.SaveChangesAsync();
            return person.Id;
        });

    private static IEnumerable<JsonElement> ErrorsOf(JsonElement session) => session.GetProperty("summary").GetProperty("errors").EnumerateArray();

    [Theory, OnSqlite, OnPostgres]
    public async Task Twenty_rows_naming_one_new_person_create_one_and_known_people_are_found_by_phone_and_by_name(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (known, knownPhone) = (NewName(), NewPhone());
        var knownId = await AddPersonAsync(app, known, knownPhone);
        var byName = NewName();
        var byNameId = await AddPersonAsync(app, byName, NewPhone());
        var (fresh, freshPhone) = (NewName(), NewPhone());
        var numbers = Enumerable.Range(0, 22).Select(_ => Spots.Unique("LP")).ToArray();
        List<object?[]> rows = [.. numbers.Take(20).Select((n, i) => Row(n, fresh, i % 2 == 0 ? freshPhone : $"{freshPhone[..3]}-{freshPhone[3..7]}-{freshPhone[7..]}", "包村干部"))];
        rows.Add(Row(numbers[20], known, $"+86 {knownPhone}"));
        rows.Add(Row(numbers[21], byName, null));

        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, rows), "people.xlsx");
        Assert.Equal("ResponsiblePhone", session.GetProperty("columns")[5].GetProperty("field").GetString());
        Assert.Equal(22, session.GetProperty("summary").GetProperty("valid").GetInt32());
        var batch = (await Ledger.ConfirmAsync(office, session)).GetProperty("id").GetGuid();

        var created = await app.WithDbAsync(db => db.Set<Person>().Where(p => p.Phone == freshPhone).ToListAsync());
        var person = Assert.Single(created);
        Assert.Equal((fresh, TownshipCode, "包村干部", batch), (person.Name, person.DivisionCode, person.Post, person.ImportBatchId));
        Assert.Null(person.UserId);
        var adits = await app.WithDbAsync(db => db.Adits().Where(a => numbers.Contains(a.Number)).ToDictionaryAsync(a => a.Number, a => a.ResponsiblePersonId));
        Assert.All(numbers.Take(20), n => Assert.Equal(person.Id, adits[n]));
        Assert.Equal(knownId, adits[numbers[20]]);
        Assert.Equal(byNameId, adits[numbers[21]]);
        // The known people were found, not made again.
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Person>().CountAsync(p => p.Name == known)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Person>().CountAsync(p => p.Name == byName)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_person_with_an_account_gives_the_adit_their_user_too(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (name, phone) = (NewName(), NewPhone());
        var personId = await AddPersonAsync(app, name, phone);
        // A log-in of their own (not a demo user's: the shared app's other tests read those users' persons).
        var account = await (await app.LoginAsync("sx-admin")).PostAsJsonAsync($"/api/persons/{personId}/account",
            new { userName = "p" + phone, password = "Mg-Test-2026!x", roles = new[] { "responsible" } });
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        var user = await app.WithDbAsync(db => db.Set<Person>().Where(p => p.Id == personId).Select(p => p.UserId!.Value).SingleAsync());
        var number = Spots.Unique("LA");

        await Ledger.ConfirmAsync(office, await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, [Row(number, name, phone)]), "account.xlsx"));

        var adit = await app.WithDbAsync(db => db.Adits().SingleAsync(a => a.Number == number));
        Assert.Equal((personId, user), (adit.ResponsiblePersonId, adit.ResponsibleUserId));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_ambiguous_name_and_a_bad_phone_are_row_errors_naming_the_people_masked_and_the_column(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var twin = NewName();
        var (phone1, phone2) = (NewPhone(), NewPhone());
        await AddPersonAsync(app, twin, phone1);
        await AddPersonAsync(app, twin, phone2);
        var (other, otherPhone) = (NewName(), NewPhone());
        await AddPersonAsync(app, other, otherPhone);
        var file = Ledger.Xlsx(Headers,
        [
            Row(Spots.Unique("LB"), twin, null),
            Row(Spots.Unique("LB"), NewName(), "12345"),
            Row(Spots.Unique("LB"), NewName(), otherPhone),
            Row(Spots.Unique("LB"), null, NewPhone()),
            Row(Spots.Unique("LB"), twin, phone2),
        ]);

        var session = await Ledger.SessionAsync(office, file, "bad-people.xlsx");
        var summary = session.GetProperty("summary");
        Assert.Equal((1, 4), (summary.GetProperty("valid").GetInt32(), summary.GetProperty("invalid").GetInt32()));
        var errors = ErrorsOf(session).ToList();

        var ambiguous = Assert.Single(errors, e => e.GetProperty("row").GetInt32() == 2);
        Assert.Equal(("E", "包保责任人"), (ambiguous.GetProperty("column").GetString(), ambiguous.GetProperty("header").GetString()));
        var message = ambiguous.GetProperty("message").GetString()!;
        Assert.Contains($"有 2 人名为“{twin}”", message, StringComparison.Ordinal);
        Assert.Contains(PhoneNumber.Mask(phone1), message, StringComparison.Ordinal);
        Assert.Contains(PhoneNumber.Mask(phone2), message, StringComparison.Ordinal);
        Assert.DoesNotContain(phone1, message, StringComparison.Ordinal);

        var badPhone = Assert.Single(errors, e => e.GetProperty("row").GetInt32() == 3);
        Assert.Equal(("F", "联系电话", "联系电话"), (badPhone.GetProperty("column").GetString(), badPhone.GetProperty("header").GetString(), badPhone.GetProperty("field").GetString()));
        Assert.Contains("联系电话“12345”不是有效的电话号码", badPhone.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Another name on a registered phone, and a phone without a name, are refused rather than guessed.
        Assert.Contains($"在本县责任人名录中是“{other}”", Assert.Single(errors, e => e.GetProperty("row").GetInt32() == 4).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("没有填包保责任人的姓名", Assert.Single(errors, e => e.GetProperty("row").GetInt32() == 5).GetProperty("message").GetString(), StringComparison.Ordinal);
        // The twin named with a phone is found.
        Assert.DoesNotContain(errors, e => e.GetProperty("row").GetInt32() == 6);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Undo_removes_the_persons_the_import_created_but_keeps_one_given_an_assignment_since(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (unused, unusedPhone) = (NewName(), NewPhone());
        var (used, usedPhone) = (NewName(), NewPhone());
        var (known, knownPhone) = (NewName(), NewPhone());
        var knownId = await AddPersonAsync(app, known, knownPhone);
        var file = Ledger.Xlsx(Headers,
            [Row(Spots.Unique("LU"), unused, unusedPhone), Row(Spots.Unique("LU"), used, usedPhone), Row(Spots.Unique("LU"), known, knownPhone)]);
        var batch = (await Ledger.ConfirmAsync(office, await Ledger.SessionAsync(office, file, "undo-people.xlsx"))).GetProperty("id").GetGuid();
        var usedId = await app.WithDbAsync(db => db.Set<Person>().Where(p => p.Phone == usedPhone).Select(p => p.Id).SingleAsync());
        var due = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(5)).ToString("yyyy-MM-dd");
        var assignment = await office.PostAsJsonAsync("/api/assignments",
            new { divisionCode = TownshipCode, kind = "rectification", title = $"整改 {used}", responsiblePersonId = usedId, dueOn = due });
        Assert.Equal(HttpStatusCode.Created, assignment.StatusCode);

        var undo = await office.PostAsync($"/api/imports/{batch}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);

        Assert.False(await app.WithDbAsync(db => db.Set<Person>().AnyAsync(p => p.Phone == unusedPhone)));
        var kept = await app.WithDbAsync(db => db.Set<Person>().SingleAsync(p => p.Id == usedId));
        Assert.Equal(batch, kept.ImportBatchId);
        Assert.True(await app.WithDbAsync(db => db.Set<Person>().AnyAsync(p => p.Id == knownId)));
        var record = await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityId == batch.ToString() && a.Action == "undo-import"));
        Assert.Contains("删除 3 个矿硐；删除本次导入新建的责任人 1 人，保留 1 人", record.Changes, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_mine_ledger_names_its_responsible_persons_the_same_way(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (lon, lat) = Spots.Songxian();
        var square = string.Join('\n', new[] { (lon, lat), (lon + 0.004, lat), (lon + 0.004, lat + 0.004), (lon, lat + 0.004) }
            .Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Item1:0.######},{p.Item2:0.######}")));
        var (name, phone) = (NewName(), NewPhone());
        var licence = MineGuard.Tests.Features.Mines.MineData.Licence();
        var file = Ledger.Xlsx(["矿山名称", "采矿权人", "许可证号", "矿种", "乡镇", "拐点坐标", "坐标系", "有效期起", "有效期止", "生产状态", "包保责任人", "责任人电话", "责任人单位"],
            [["测" + licence[^6..] + "矿", "嵩县某某矿业有限公司", licence, "金", "城关镇", square, "WGS84", "2024-01-01", "2029-12-31", "生产", name, phone, "城关镇安监站"]]);

        var session = await Ledger.SessionAsync(office, file, "矿山.xlsx", "mines");
        Assert.True(session.GetProperty("summary").GetProperty("valid").GetInt32() == 1, session.GetProperty("summary").GetRawText());
        var batch = (await Ledger.ConfirmAsync(office, session)).GetProperty("id").GetGuid();

        var person = await app.WithDbAsync(db => db.Set<Person>().SingleAsync(p => p.Phone == phone));
        Assert.Equal((name, "城关镇安监站", batch), (person.Name, person.Unit, person.ImportBatchId));
        Assert.StartsWith("410325", person.DivisionCode, StringComparison.Ordinal);
        Assert.Equal(person.Id, await app.WithDbAsync(db => db.Set<MineGuard.Features.Mines.LicensedMine>()
            .Where(m => m.LicenceNumber == licence).Select(m => m.ResponsiblePersonId).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsync($"/api/imports/{batch}/undo", null)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Set<Person>().AnyAsync(p => p.Phone == phone)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_page_tells_which_new_persons_an_undo_kept(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        Assert.Contains("有 2 人在导入后已被其他记录引用", await office.GetStringAsync("/imports?done=undone&kept=2"), StringComparison.Ordinal);
        Assert.DoesNotContain("予以保留", await office.GetStringAsync("/imports?done=undone"), StringComparison.Ordinal);
        Assert.Contains("联系电话", await office.GetStringAsync("/imports"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_explains_the_phone_column()
    {
        var kind = MineGuard.Features.Imports.LedgerKind.Find("adits")!;
        Assert.Contains("包保责任人填姓名和联系电话", (string)kind.Example[^1]!, StringComparison.Ordinal);
        foreach (var each in MineGuard.Features.Imports.LedgerKind.All)
        {
            Assert.Equal(each.Fields.Count, each.Example.Count);
            if (each.Field("ResponsiblePhone") is not null)
                Assert.Equal("13812345678", each.Example[each.Fields.ToList().FindIndex(f => f.Key == "ResponsiblePhone")]);
        }
    }
}
