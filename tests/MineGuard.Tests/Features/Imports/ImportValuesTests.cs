using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Imports;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// The ledger's words: a value in an enumeration column the product does not know is listed with its row count, mapped
/// once to a known value, remembered for the county (audited, deletable), and asked no more.
/// </summary>
public sealed class ImportValuesTests
{
    private static readonly string[] Headers = ["矿硐编号", "所在乡镇", "东经", "北纬", "封堵情况", "封堵方式", "封堵时间"];

    private static object?[] Row(string number, string state)
    {
        var (lon, lat) = Spots.Songxian();
        return [number, "城关镇", Math.Round(lon, 6), Math.Round(lat, 6), state, "混凝土浇筑", new DateOnly(2024, 5, 6)];
    }

    /// <summary>A word nobody has mapped yet in any county (the shared app remembers mappings across tests).</summary>
    private static string Word() => "封口" + Spots.Unique("W");

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    private static List<(string Field, string Value, int Rows)> Unknown(JsonElement session) =>
        [.. session.GetProperty("summary").GetProperty("unknownValues").EnumerateArray()
            .Select(u => (u.GetProperty("field").GetString()!, u.GetProperty("value").GetString()!, u.GetProperty("rows").GetInt32()))];

    private static Task<HttpResponseMessage> MapAsync(HttpClient client, JsonElement session, string? field, string? value, string? known) =>
        client.PutAsJsonAsync($"/api/imports/sessions/{Id(session)}/values", new { values = new[] { new { field, value, known } } });

    [Theory, OnSqlite, OnPostgres]
    public async Task An_unknown_word_is_listed_with_its_count_mapped_once_imported_as_mapped_and_not_asked_again(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var word = Word();
        var n = Enumerable.Range(1, 5).Select(i => Spots.Unique($"V{i}")).ToArray();
        var file = Ledger.Xlsx(Headers,
        [
            Row(n[0], word), Row(n[1], word), Row(n[2], "已封"), Row(n[3], "封堵被破坏"), Row(n[4], word),
        ]);
        var session = await Ledger.SessionAsync(office, file, "嵩县台账.xlsx");
        // 已封 and 封堵被破坏 are the product's own synonyms; the county's word is not.
        Assert.Equal([("SealState", word, 3)], Unknown(session));
        Assert.Equal((2, 3), (session.GetProperty("summary").GetProperty("valid").GetInt32(), session.GetProperty("summary").GetProperty("invalid").GetInt32()));
        var column = Assert.Single(session.GetProperty("values").EnumerateArray());
        Assert.Equal(("封堵状态", "E", "封堵情况"), (column.GetProperty("fieldName").GetString(), column.GetProperty("column").GetString(), column.GetProperty("header").GetString()));
        Assert.Equal(["未封堵", "已封堵", "已验收", "发现破坏"], column.GetProperty("known").EnumerateArray().Select(k => k.GetString()));
        var listed = await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{Id(session)}/values");
        Assert.Equal(3, Assert.Single(listed[0].GetProperty("unknown").EnumerateArray()).GetProperty("rows").GetInt32());

        // Bad mappings: a column that is not an enumeration, a value the product does not have, a word it already knows.
        var notEnum = await MapAsync(office, session, "矿硐编号", word, "发现破坏");
        Assert.Equal(HttpStatusCode.BadRequest, notEnum.StatusCode);
        var problem = await notEnum.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("不是矿硐台账中可对应取值的列", problem.GetProperty("errors").GetProperty("field")[0].GetString(), StringComparison.Ordinal);
        var noSuch = await (await MapAsync(office, session, "SealState", word, "半封")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("“半封”不是系统中的封堵状态", noSuch.GetProperty("errors").GetProperty("known")[0].GetString(), StringComparison.Ordinal);
        var knownWord = await MapAsync(office, session, "封堵情况", "已封堵", "发现破坏");
        Assert.Equal(HttpStatusCode.BadRequest, knownWord.StatusCode);
        Assert.Contains("系统已能识别", (await knownWord.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("value")[0].GetString(), StringComparison.Ordinal);
        var empty = await office.PutAsJsonAsync($"/api/imports/sessions/{Id(session)}/values", new { values = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("values", out _));
        Assert.False(await app.WithDbAsync(db => db.Set<ImportValueMapping>().AnyAsync(m => m.Value == word)));

        // Nobody else: anonymous, another county, a read-only leader.
        Assert.Equal(HttpStatusCode.Unauthorized, (await MapAsync(app.Anonymous(), session, "SealState", word, "发现破坏")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/imports/sessions/{Id(session)}/values")).StatusCode);
        var other = await app.LoginAsync("hj-office");
        Assert.Equal(HttpStatusCode.NotFound, (await MapAsync(other, session, "SealState", word, "发现破坏")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/imports/sessions/{Id(session)}/values")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MapAsync(await app.LoginAsync("sx-leader"), session, "SealState", word, "发现破坏")).StatusCode);

        // Mapped once, by the file's own header: every row is valid, nothing is asked.
        var mapped = await MapAsync(office, session, "封堵情况", word, "发现破坏");
        var body = await mapped.Content.ReadAsStringAsync();
        Assert.True(mapped.StatusCode == HttpStatusCode.OK, body);
        var after = JsonDocument.Parse(body).RootElement;
        Assert.Empty(Unknown(after));
        Assert.Equal(0, after.GetProperty("values").GetArrayLength());
        Assert.Equal(5, after.GetProperty("summary").GetProperty("valid").GetInt32());
        var mapping = await app.WithDbAsync(db => db.Set<ImportValueMapping>().SingleAsync(m => m.Value == word));
        Assert.Equal(("adits", "410325", "SealState", "发现破坏"), (mapping.Kind, mapping.CountyCode, mapping.Field, mapping.Known));
        Assert.True(await app.WithDbAsync(db => db.AuditRecords.AnyAsync(r => r.EntityType == nameof(ImportValueMapping) && r.EntityId == mapping.Id.ToString())));

        var batch = Guid.Parse(Id(await Ledger.ConfirmAsync(office, session)));
        var states = await app.WithDbAsync(db => db.Adits().Where(a => a.ImportBatchId == batch).ToDictionaryAsync(a => a.Number, a => a.State));
        Assert.Equal(5, states.Count);
        Assert.All(new[] { n[0], n[1], n[4], n[3] }, number => Assert.Equal(SealState.Breached, states[number]));
        Assert.Equal(SealState.Sealed, states[n[2]]);

        // Next month's ledger with the same word asks nothing.
        var next = await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, [Row(Spots.Unique("M"), word)]), "嵩县台账（下月）.xlsx");
        Assert.Empty(Unknown(next));
        Assert.Equal(1, next.GetProperty("summary").GetProperty("valid").GetInt32());

        // The office sees its remembered mappings and may delete them; another county sees none and deletes nothing.
        var remembered = await office.GetFromJsonAsync<JsonElement>("/api/imports/values");
        var row = Assert.Single(remembered.EnumerateArray(), m => m.GetProperty("value").GetString() == word);
        Assert.Equal(("封堵状态", "发现破坏"), (row.GetProperty("fieldName").GetString(), row.GetProperty("known").GetString()));
        Assert.Contains(word, await office.GetStringAsync("/imports"), StringComparison.Ordinal);
        Assert.DoesNotContain((await other.GetFromJsonAsync<JsonElement>("/api/imports/values")).EnumerateArray(), m => m.GetProperty("value").GetString() == word);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/imports/values/{mapping.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().DeleteAsync($"/api/imports/values/{mapping.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await office.DeleteAsync($"/api/imports/values/{mapping.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.DeleteAsync($"/api/imports/values/{mapping.Id}")).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditRecords.CountAsync(r => r.EntityType == nameof(ImportValueMapping) && r.EntityId == mapping.Id.ToString())) >= 2);
        var again = await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, [Row(Spots.Unique("M"), word)]), "嵩县台账（再下月）.xlsx");
        Assert.Equal([("SealState", word, 1)], Unknown(again));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Key_person_words_are_the_office_and_police_share_and_a_blank_choice_forgets(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var word = "重点关注" + Spots.Unique("K");
        string[] headers = ["姓名", "身份证号", "乡镇", "管控等级"];
        var session = await Ledger.SessionAsync(office,
            Ledger.Xlsx(headers, [[KeyPersonFixtures.UniqueName(), TestIds.Next(), "饭坡镇", word]]), "重点人员.xlsx", "key-persons");
        Assert.Equal([("ControlLevel", word, 1)], Unknown(session));
        Assert.Equal(["一般", "重点", "严管"], session.GetProperty("values")[0].GetProperty("known").EnumerateArray().Select(k => k.GetString()));

        // The county's administrator is no key-person user: 403 on the session's words; the police may map them.
        var admin = await app.LoginAsync("sx-admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/api/imports/sessions/{Id(session)}/values")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MapAsync(admin, session, "管控等级", word, "重点")).StatusCode);
        var police = await app.LoginAsync("sx-police");
        var mapped = await MapAsync(police, session, "管控等级", word, "严管");
        Assert.True(mapped.StatusCode == HttpStatusCode.OK, await mapped.Content.ReadAsStringAsync());
        var id = await app.WithDbAsync(db => db.Set<ImportValueMapping>().Where(m => m.Value == word).Select(m => m.Id).SingleAsync());
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/api/imports/values")).EnumerateArray(), m => m.GetProperty("value").GetString() == word);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/imports/values/{id}")).StatusCode);

        var batch = Guid.Parse(Id(await Ledger.ConfirmAsync(office, session)));
        Assert.Equal(ControlLevel.Strict, await app.WithDbAsync(db => db.Set<KeyPerson>().Where(k => k.ImportBatchId == batch).Select(k => k.ControlLevel).SingleAsync()));

        // A blank choice forgets the word: the next ledger asks again.
        var next = await Ledger.SessionAsync(office,
            Ledger.Xlsx(headers, [[KeyPersonFixtures.UniqueName(), TestIds.Next(), "饭坡镇", word]]), "重点人员2.xlsx", "key-persons");
        Assert.Empty(Unknown(next));
        Assert.Equal(HttpStatusCode.OK, (await MapAsync(office, next, "ControlLevel", word, "")).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Set<ImportValueMapping>().AnyAsync(m => m.Value == word)));
        var reread = await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{Id(next)}");
        Assert.Equal([("ControlLevel", word, 1)], Unknown(reread));
    }
    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_first_mapping_saved_at_once_by_several_requests_is_stored_once_and_answers_200(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var word = Word();
        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, [Row(Spots.Unique("R"), word), Row(Spots.Unique("R"), word)]), "嵩县台账（同时）.xlsx");
        Assert.Equal([("SealState", word, 2)], Unknown(session));

        // Several first saves of the same word at once: each reads "not remembered yet" and inserts, and all but one
        // meet the unique index. Every one must end as the one remembered mapping, never a 500.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => MapAsync(office, session, "封堵情况", word, "发现破坏")));
        foreach (var response in responses) Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var stored = await app.WithDbAsync(db => db.Set<ImportValueMapping>().Where(m => m.Value == word).Select(m => m.Known).ToListAsync());
        Assert.Equal(["发现破坏"], stored);

        // Several changes at once of the now remembered word: one row still, holding the value asked for.
        responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MapAsync(office, session, "SealState", word, "已封堵")));
        foreach (var response in responses) Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        stored = await app.WithDbAsync(db => db.Set<ImportValueMapping>().Where(m => m.Value == word).Select(m => m.Known).ToListAsync());
        Assert.Equal(["已封堵"], stored);
        var reread = await office.GetFromJsonAsync<JsonElement>($"/api/imports/sessions/{Id(session)}");
        Assert.Equal(2, reread.GetProperty("summary").GetProperty("valid").GetInt32());
    }
}
