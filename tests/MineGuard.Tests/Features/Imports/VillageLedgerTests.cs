using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.KeyPersons;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Tests.Features.KeyPersons;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>
/// The national village level: a ledger's village names, long or short, import with their 12-digit codes (the
/// county's villages loaded on first need); a name no village of the township has is refused naming the nearest ones;
/// an administrator's village is kept; loading twice adds nothing.
/// </summary>
public sealed class VillageLedgerTests
{
    // 田湖镇, 嵩县, and villages of it as the statistical codes (2022) name them.
    private const string Tianhu = "田湖镇";
    private static readonly string[] Headers = ["编号", "乡镇（林场）", "村（组）", "硐口东经", "北纬"];

    private static object?[] Row(string number, string? village, (double Lon, double Lat) spot) => [number, Tianhu, village, spot.Lon, spot.Lat];

    [Theory, OnSqlite, OnPostgres]
    public async Task Long_and_short_village_names_import_with_their_codes_and_the_near_matches_are_noted(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var numbers = Enumerable.Range(0, 7).Select(_ => Spots.Unique("VL")).ToArray();
        (string Written, string Code, bool Noted)[] villages =
        [
            ("樊店村村民委员会", "410325101201", false), // the statistical name itself
            ("田湖村", "410325101200", true),             // 田湖村村民委员会
            ("屏凤庄村", "410325101228", true),           // 屏凤庄村民委员会
            ("杨湾村", "410325101229", true),             // 杨湾村民委员会
            ("凤阳社区", "410325101001", true),           // 凤阳社区居民委员会
            ("张庄", "410325101209", true),               // 张庄村村民委员会
        ];
        var spots = new List<(double Lon, double Lat)>();
        for (var i = 0; i < numbers.Length; i++) spots.Add(await Spots.FreeAsync(app));
        var rows = villages.Select((v, i) => Row(numbers[i], v.Written, spots[i])).ToList();
        rows.Add(Row(numbers[6], "樊庄村", spots[6])); // no such village in 田湖镇

        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(Headers, rows, title: "嵩县矿硐台账"), "villages.xlsx");
        var summary = session.GetProperty("summary");
        Assert.True(summary.GetProperty("valid").GetInt32() == 6, summary.GetProperty("errors").ToString());
        var error = Assert.Single(summary.GetProperty("errors").EnumerateArray());
        Assert.Equal(rows.Count + 2, error.GetProperty("row").GetInt32());
        Assert.Equal("村", error.GetProperty("field").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("樊庄村", message, StringComparison.Ordinal);
        Assert.Contains("樊店村、张庄村、毛庄村", message, StringComparison.Ordinal);
        var notes = summary.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("message").GetString()!).ToList();
        Assert.Equal(villages.Count(v => v.Noted), notes.Count);
        Assert.Contains(notes, n => n.Contains("“田湖村”", StringComparison.Ordinal) && n.Contains("田湖村村民委员会", StringComparison.Ordinal));

        var batch = await Ledger.ConfirmAsync(office, session);
        var report = await office.GetFromJsonAsync<JsonElement>($"/api/imports/{batch.GetProperty("id").GetString()}");
        Assert.Equal(notes.Count, report.GetProperty("notes").GetArrayLength());
        var stored = await app.WithDbAsync(db => db.Adits().Where(a => numbers.Contains(a.Number)).ToDictionaryAsync(a => a.Number, a => a.VillageCode));
        Assert.Equal(6, stored.Count);
        for (var i = 0; i < villages.Length; i++) Assert.Equal(villages[i].Code, stored[numbers[i]]);
        Assert.False(stored.ContainsKey(numbers[6]));
        // No village was made up for the unknown name in 田湖镇 (410325101); other counties' villages, loaded by other
        // tests at the same time, may well be called 樊庄村.
        Assert.False(await app.WithDbAsync(db => db.Divisions.AnyAsync(d => d.Code.StartsWith("410325101") && d.Name.StartsWith("樊庄"))));
        // The batch page shows the notes.
        var page = await office.GetStringAsync($"/imports/batches/{batch.GetProperty("id").GetString()}");
        Assert.Contains("屏凤庄村民委员会", page, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_key_person_ledger_matches_short_village_names_too(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        string[] headers = ["姓名", "身份证号", "乡镇", "村", "管控等级"];
        var (named, unknown) = (KeyPersonFixtures.UniqueName("村"), KeyPersonFixtures.UniqueName("村"));
        var response = await Ledger.UploadAsync(office, Ledger.Xlsx(headers,
        [
            [named, TestIds.Next(), Tianhu, "田湖村", "一般"],
            [unknown, TestIds.Next(), Tianhu, "樊庄村", "一般"],
        ]), "重点人员.xlsx", "key-persons");
        var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        var summary = session.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("valid").GetInt32());
        var error = Assert.Single(summary.GetProperty("errors").EnumerateArray());
        Assert.Equal("村", error.GetProperty("field").GetString());
        Assert.Contains("樊店村", error.GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Contains("田湖村村民委员会", Assert.Single(summary.GetProperty("notes").EnumerateArray()).GetProperty("message").GetString()!, StringComparison.Ordinal);

        await Ledger.ConfirmAsync(office, session);
        var stored = await app.WithDbAsync(db => db.Set<KeyPerson>().Where(p => p.Name == named).Select(p => p.DivisionCode).SingleAsync());
        Assert.Equal("410325101200", stored);
    }

    /// <summary>A county of the province nobody has needed the villages of yet in this database, with villages in the shipped file.</summary>
    private static Task<string> FreshCountyAsync(TestApp app, string province) => app.WithDbAsync(async db =>
    {
        var loaded = await db.Divisions.Where(d => d.Level == DivisionLevel.Village).Select(d => d.Code.Substring(0, 6)).Distinct().ToListAsync();
        var counties = await db.Divisions.Where(d => d.Level == DivisionLevel.County && d.Code.StartsWith(province)).Select(d => d.Code).ToListAsync();
        return counties.Except(loaded).Where(c => Villages.OfCounty(c).Count > 0).OrderBy(_ => Random.Shared.Next()).First();
    });

    [Theory, OnSqlite, OnPostgres]
    public async Task A_county_loads_once_and_keeps_the_village_an_administrator_added_with_the_same_code(string provider)
    {
        var app = await TestApp.Shared(provider);
        var county = await FreshCountyAsync(app, "62");
        var shipped = Villages.OfCounty(county);
        var first = shipped[0];
        var byHand = "管理员加的" + Spots.Unique("");
        await app.WithDbAsync(async db =>
        {
            var township = await db.Divisions.SingleAsync(d => d.Code == first.TownshipCode);
            db.Add(Division.Village(township, first.Code, byHand, false, db.Clock.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });

        var added = await app.WithDbAsync(db => Villages.EnsureCountyAsync(db, county, null, CancellationToken.None));
        Assert.Equal(shipped.Count(v => v.Code != first.Code), added);
        var again = await app.WithDbAsync(db => Villages.EnsureCountyAsync(db, county, null, CancellationToken.None));
        Assert.Equal(0, again);

        var rows = await app.WithDbAsync(db => db.Divisions.Where(d => d.Code.StartsWith(county) && d.Level == DivisionLevel.Village)
            .Select(d => new { d.Code, d.Name, d.ParentCode }).ToListAsync());
        Assert.Equal(shipped.Count, rows.Count);
        Assert.Equal(byHand, Assert.Single(rows, r => r.Code == first.Code).Name);
        var last = shipped[^1];
        Assert.Contains(rows, r => r.Code == last.Code && r.Name == last.Name && r.ParentCode == last.TownshipCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_command_loads_a_county_and_adds_nothing_the_second_time(string provider)
    {
        var app = await TestApp.Shared(provider);
        var county = await FreshCountyAsync(app, "63");
        var first = await Cli.RunAsync(provider, app.ConnectionString, "divisions", "villages", "--county", county);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains($"loaded {Villages.OfCounty(county).Count} villages", first.Output, StringComparison.Ordinal);
        var second = await Cli.RunAsync(provider, app.ConnectionString, "divisions", "villages", "--county", county);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("loaded 0 villages", second.Output, StringComparison.Ordinal);
        var refused = await Cli.RunAsync(provider, app.ConnectionString, "divisions", "villages");
        Assert.NotEqual(0, refused.ExitCode);
    }
}
