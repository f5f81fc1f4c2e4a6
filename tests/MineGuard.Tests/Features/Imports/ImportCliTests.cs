using MineGuard.Platform.Imports;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary><c>mineguard import adits FILE --county 410325 [--dry-run]</c>, run as an operator runs it.</summary>
public sealed class ImportCliTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Import_verb_checks_imports_and_exits_non_zero_when_nothing_was_imported(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        var dir = Directory.CreateTempSubdirectory("mineguard-cli-");
        try
        {
            var (p1, p2) = (Spots.Next(), Spots.Next());
            var ledger = Path.Combine(dir.FullName, "嵩县台账.xlsx");
            await File.WriteAllBytesAsync(ledger, Ledger.Xlsx(["矿硐编号", "所在乡镇", "东经", "北纬", "是否封堵", "封堵方式", "封堵时间"],
            [
                ["C-1", "车村镇", p1.Lon, p1.Lat, "是", "回填", new DateOnly(2024, 4, 1)],
                ["C-2", "白河镇", p2.Lon, p2.Lat, "否", null, null],
                ["C-3", "白河镇", Spots.OutsideSongxian.Lon, Spots.OutsideSongxian.Lat, "否", null, null],
            ]));

            var dry = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--dry-run");
            Assert.True(dry.ExitCode == 0, dry.Output);
            Assert.Contains("B   所在乡镇 → 乡镇", dry.Output, StringComparison.Ordinal);
            Assert.Contains("rows read: 3", dry.Output, StringComparison.Ordinal);
            Assert.Contains("would import: 2", dry.Output, StringComparison.Ordinal);
            Assert.Contains("rejected: 1", dry.Output, StringComparison.Ordinal);
            Assert.Contains("第 4 行 / row 4 · 经度（C 列“东经”）: 坐标（112.550000, 34.050000）不在嵩县境内", dry.Output, StringComparison.Ordinal);
            Assert.Equal(0, await QueryAsync(provider, cs, db => db.Adits().CountAsync()));

            var real = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325000000");
            Assert.True(real.ExitCode == 0, real.Output);
            Assert.Contains("imported: 2", real.Output, StringComparison.Ordinal);
            Assert.Equal(["C-1", "C-2"], await QueryAsync(provider, cs, db => db.Adits().OrderBy(a => a.Number).Select(a => a.Number).ToListAsync()));
            var batch = await QueryAsync(provider, cs, db => db.Set<ImportBatch>().SingleAsync());
            Assert.Equal((3, 2, 1, "410325", (Guid?)null), (batch.RowsRead, batch.RowsImported, batch.RowsRejected, batch.DivisionCode, batch.CreatedById));
            var record = await QueryAsync(provider, cs, db => db.AuditRecords.SingleAsync(a => a.EntityId == batch.Id.ToString()));
            Assert.Equal(("import", "cli:import adits"), (record.Action, record.ActorName));

            // The same file again: every row is already registered, so nothing is imported and the exit code says so.
            var again = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325");
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("imported: 0", again.Output, StringComparison.Ordinal);
            Assert.Contains("编号“C-1”已被使用", again.Output, StringComparison.Ordinal);
            Assert.Equal(1, await QueryAsync(provider, cs, db => db.Set<ImportBatch>().CountAsync()));

            var unknown = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "999999");
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("未知的县级区划代码", unknown.Output, StringComparison.Ordinal);
            var missing = await Cli.RunAsync(provider, cs, "import", "adits", Path.Combine(dir.FullName, "none.xlsx"), "--county", "410325");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("文件不存在", missing.Output, StringComparison.Ordinal);

            // Coordinates read off 高德: the whole file declared GCJ-02 on the command line, stored as WGS84.
            var p3 = Spots.Next();
            var g = MineGuard.Platform.Geo.Gcj02.FromWgs84(p3.Lon, p3.Lat);
            var gaode = Path.Combine(dir.FullName, "高德.xlsx");
            await File.WriteAllBytesAsync(gaode, Ledger.Xlsx(["矿硐编号", "所在乡镇", "东经", "北纬"], [["C-4", "车村镇", g.Lon, g.Lat]]));
            var badCrs = await Cli.RunAsync(provider, cs, "import", "adits", gaode, "--county", "410325", "--crs", "北京54");
            Assert.NotEqual(0, badCrs.ExitCode);
            Assert.Contains("坐标系“北京54”无法识别", badCrs.Output, StringComparison.Ordinal);
            var shifted = await Cli.RunAsync(provider, cs, "import", "adits", gaode, "--county", "410325", "--crs", "GCJ-02");
            Assert.True(shifted.ExitCode == 0, shifted.Output);
            Assert.Contains("file's coordinate system: gcj02", shifted.Output, StringComparison.Ordinal);
            var stored = await QueryAsync(provider, cs, db => db.Adits().Where(a => a.Number == "C-4").Select(a => new { a.Lon, a.Lat }).SingleAsync());
            Assert.True(Math.Abs(stored.Lon - p3.Lon) < 2e-6 && Math.Abs(stored.Lat - p3.Lat) < 2e-6, $"{stored} for {p3}");
        }
        finally
        {
            dir.Delete(recursive: true);
            await drop();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Values_file_maps_the_ledger_words_as_json_or_csv_and_a_bad_file_imports_nothing(string provider)
    {
        var (cs, drop) = await Databases.CreateAsync(provider);
        var dir = Directory.CreateTempSubdirectory("mineguard-cli-");
        try
        {
            var (p1, p2, p3) = (Spots.Songxian(), Spots.Songxian(), Spots.Songxian());
            var ledger = Path.Combine(dir.FullName, "嵩县台账.xlsx");
            await File.WriteAllBytesAsync(ledger, Ledger.Xlsx(["矿硐编号", "所在乡镇", "东经", "北纬", "封堵情况", "封堵方式", "封堵时间"],
            [
                ["W-1", "车村镇", p1.Lon, p1.Lat, "封口被毁", "水泥封堵", new DateOnly(2024, 4, 1)],
                ["W-2", "白河镇", p2.Lon, p2.Lat, "封口被毁", "水泥封堵", new DateOnly(2024, 4, 2)],
                ["W-3", "白河镇", p3.Lon, p3.Lat, "否", null, null],
            ]));

            // Without mappings the words are listed with their counts and what they may be mapped to.
            var dry = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--dry-run");
            Assert.True(dry.ExitCode == 0, dry.Output);
            Assert.Contains("would import: 1", dry.Output, StringComparison.Ordinal);
            Assert.Contains("封堵状态（E 列“封堵情况”），可对应为 / known: 未封堵、已封堵、已验收、发现破坏", dry.Output, StringComparison.Ordinal);
            Assert.Contains("“封口被毁” × 2", dry.Output, StringComparison.Ordinal);

            // A bad file: every mistake named, nothing imported.
            var bad = Path.Combine(dir.FullName, "values-bad.json");
            await File.WriteAllTextAsync(bad, """{"封堵情况": {"封口被毁": "半封"}, "矿硐编号": {"W-1": "金"}}""");
            var refused = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--values", bad);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("“半封”不是系统中的封堵状态", refused.Output, StringComparison.Ordinal);
            Assert.Contains("“矿硐编号”不是矿硐台账中可对应取值的列", refused.Output, StringComparison.Ordinal);
            var broken = Path.Combine(dir.FullName, "values-broken.json");
            await File.WriteAllTextAsync(broken, "{\"封堵情况\": ");
            var unreadable = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--values", broken);
            Assert.NotEqual(0, unreadable.ExitCode);
            Assert.Contains("不是有效的 JSON", unreadable.Output, StringComparison.Ordinal);
            var none = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--values", Path.Combine(dir.FullName, "none.json"));
            Assert.Contains("取值对应文件不存在", none.Output, StringComparison.Ordinal);
            Assert.Equal(0, await QueryAsync(provider, cs, db => db.Adits().CountAsync()));

            // CSV (GB18030, with a header row): a dry run with both words mapped would import every row.
            var csv = Path.Combine(dir.FullName, "values.csv");
            await File.WriteAllBytesAsync(csv, Ledger.GB18030.GetBytes("列,原值,系统取值\n封堵情况,封口被毁,发现破坏\n封堵方式,水泥封堵,混凝土浇筑\n"));
            var csvDry = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--dry-run", "--values", csv);
            Assert.True(csvDry.ExitCode == 0, csvDry.Output);
            Assert.Contains("would import: 3", csvDry.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("无法识别的取值", csvDry.Output, StringComparison.Ordinal);

            // JSON, naming columns by the field's name: the rows import with the mapped values.
            var json = Path.Combine(dir.FullName, "values.json");
            await File.WriteAllTextAsync(json, """{"封堵状态": {"封口被毁": "发现破坏"}, "SealMethod": {"水泥封堵": "混凝土浇筑"}}""");
            var real = await Cli.RunAsync(provider, cs, "import", "adits", ledger, "--county", "410325", "--values", json);
            Assert.True(real.ExitCode == 0, real.Output);
            Assert.Contains("imported: 3", real.Output, StringComparison.Ordinal);
            var adits = await QueryAsync(provider, cs, db => db.Adits().OrderBy(a => a.Number).Select(a => new { a.Number, a.State, a.CurrentSealMethod }).ToListAsync());
            Assert.Equal([("W-1", SealState.Breached, (SealMethod?)SealMethod.Concrete), ("W-2", SealState.Breached, SealMethod.Concrete), ("W-3", SealState.Unsealed, null)],
                adits.Select(a => (a.Number, a.State, a.CurrentSealMethod)));
        }
        finally
        {
            dir.Delete(recursive: true);
            await drop();
        }
    }

    private static async Task<T> QueryAsync<T>(string provider, string cs, Func<MineGuard.Data.AppDbContext, Task<T>> query)
    {
        await using var db = SchemaSnapshot.Context(provider, cs);
        db.CurrentUser.ActAsSystem("test");
        return await query(db);
    }
}
