using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>序号 in a Chinese ledger counts the rows; it must never become the adit's number (issue 11).</summary>
public sealed class RowCounterTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_ledger_with_序号_and_编号_takes_the_number_from_编号(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var numbers = new[] { Spots.Unique("R"), Spots.Unique("R") };
        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(["序号", "编号", "乡镇", "经度", "纬度"],
        [
            [1, numbers[0], "城关镇", p1.Lon, p1.Lat],
            [2, numbers[1], "城关镇", p2.Lon, p2.Lat],
        ]), "带序号.xlsx");
        var mapping = session.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Equal<IEnumerable<string?>>([null, "Number", "Township", "Lon", "Lat"], mapping);

        var batch = await Ledger.ConfirmAsync(office, session);
        var batchId = Guid.Parse(batch.GetProperty("id").GetString()!);
        var stored = await app.WithDbAsync(db => db.Adits().Where(a => a.ImportBatchId == batchId).Select(a => a.Number).ToListAsync());
        Assert.Equal(numbers.Order(), stored.Order());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_ledger_with_序号_only_gets_generated_numbers_not_the_row_count(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (p1, p2) = (Spots.Next(), Spots.Next());
        var session = await Ledger.SessionAsync(office, Ledger.Xlsx(["序号", "所在乡镇", "东经", "北纬"],
        [
            [1, "城关镇", p1.Lon, p1.Lat],
            [2, "城关镇", p2.Lon, p2.Lat],
        ]), "只有序号.xlsx");
        var columns = session.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, columns[0].GetProperty("field").ValueKind);
        Assert.Equal(2, session.GetProperty("summary").GetProperty("valid").GetInt32());

        var batch = await Ledger.ConfirmAsync(office, session);
        var batchId = Guid.Parse(batch.GetProperty("id").GetString()!);
        var stored = await app.WithDbAsync(db => db.Adits().Where(a => a.ImportBatchId == batchId).Select(a => a.Number).ToListAsync());
        Assert.Equal(2, stored.Count);
        // The county's own numbering (县代码-序号 of the registry), never "1" and "2" from the row counter.
        Assert.All(stored, n => Assert.Matches("^410325-\\d{5}$", n));
        Assert.DoesNotContain("1", stored);
        Assert.DoesNotContain("2", stored);
    }
}
