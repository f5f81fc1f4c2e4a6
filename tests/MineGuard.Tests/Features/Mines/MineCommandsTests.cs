using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Mines;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Mines.MineData;

namespace MineGuard.Tests.Features.Mines;

/// <summary>The per-row contract the Excel import relies on: validate and build a mine without saving it.</summary>
public sealed class MineCommandsTests
{
    private static MineInput Row(string licence, string? county = "嵩县", string township = "饭坡") =>
        new(Unique("导入金矿"), "嵩县某矿业有限公司", licence, "金矿", township, Square(112.12, 34.12), "2024.01.31", "2029年1月30日", "生产",
            county, null);

    [Theory, OnSqlite, OnPostgres]
    public async Task Rows_are_validated_without_saving_and_a_number_repeated_in_the_same_file_is_caught(string provider)
    {
        var app = await TestApp.Shared(provider);
        var batch = Guid.NewGuid();
        var licence = Licence();
        var (first, second, noCounty, saved) = await app.WithDbAsync(async db =>
        {
            var mines = new MineCommands(db);
            var (mine, errors) = await mines.ValidateAndCreateAsync(Row(licence), batch, isDemo: true, CancellationToken.None);
            Assert.True(errors.Ok, string.Join("; ", errors.SelectMany(e => e.Value)));
            Assert.Empty(db.ChangeTracker.Entries()); // nothing attached: the import decides what to keep
            db.Add(mine!);
            var (repeat, repeatErrors) = await mines.ValidateAndCreateAsync(Row(licence.ToLowerInvariant()), batch, true, CancellationToken.None);
            var (_, countyErrors) = await mines.ValidateAndCreateAsync(Row(Licence(), county: null), batch, true, CancellationToken.None);
            var stored = await db.Set<LicensedMine>().CountAsync(m => m.LicenceNumber == licence);
            return (mine!, (repeat, repeatErrors), countyErrors, stored);
        });

        Assert.Equal(batch, first.ImportBatchId);
        Assert.True(first.IsDemo);
        Assert.Equal("410325109", first.DivisionCode);
        Assert.Equal("410325", first.CountyCode);
        Assert.Null(second.repeat);
        Assert.Contains("本次导入中重复", second.repeatErrors["LicenceNumber"][0], StringComparison.Ordinal);
        // Acting as the system (scope: everything), a row must say which county it belongs to.
        Assert.Equal("请填写所在县（市、区）", noCounty["County"][0]);
        Assert.Equal(0, saved);
    }
}
