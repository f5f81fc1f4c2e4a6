using MineGuard.Platform.Imports;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Features.Imports;

/// <summary>An import is undone as a whole, or not at all once any of its adits has a life of its own.</summary>
public sealed class ImportUndoTests
{
    private static async Task<(Guid Batch, string[] Numbers)> ImportTwoAsync(HttpClient office)
    {
        var (p1, p2) = (Spots.Next(), Spots.Next());
        string[] numbers = [Spots.Unique("U"), Spots.Unique("U")];
        var file = Ledger.Xlsx(["编号", "乡镇", "经度", "纬度", "封堵状态", "封堵方式", "封堵日期"],
        [
            [numbers[0], "德亭镇", p1.Lon, p1.Lat, "已封堵", "浆砌石", new DateOnly(2025, 3, 1)],
            [numbers[1], "德亭镇", p2.Lon, p2.Lat, null, null, null],
        ]);
        var batch = await Ledger.ConfirmAsync(office, await Ledger.SessionAsync(office, file, "undo.xlsx"));
        return (Guid.Parse(batch.GetProperty("id").GetString()!), numbers);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Undo_removes_every_row_of_the_batch_and_is_audited(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (batch, numbers) = await ImportTwoAsync(office);
        Assert.Equal(1, await app.WithDbAsync(db => db.SealingEvents().CountAsync(e => db.Adits().Any(a => a.Id == e.AditId && a.ImportBatchId == batch))));

        var undo = await office.PostAsync($"/api/imports/{batch}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await undo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("undoneUtc").ValueKind);
        Assert.False(await app.WithDbAsync(db => db.Adits().AnyAsync(a => numbers.Contains(a.Number))));
        Assert.Equal(0, await app.WithDbAsync(db => db.SealingEvents().CountAsync(e => !db.Adits().Any(a => a.Id == e.AditId))));
        var record = await app.WithDbAsync(db => db.AuditRecords.SingleAsync(a => a.EntityId == batch.ToString() && a.Action == "undo-import"));
        Assert.Equal("sx-office", record.ActorName);
        Assert.Contains("删除 2 个矿硐", record.Changes, StringComparison.Ordinal);

        var again = await office.PostAsync($"/api/imports/{batch}/undo", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("该批次已经撤销", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Undo_is_refused_once_an_imported_adit_was_changed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var office = await app.LoginAsync("sx-office");
        var (batch, numbers) = await ImportTwoAsync(office);
        // Someone corrects one imported adit's description after the import.
        await app.WithDbAsync(async db =>
        {
            var adit = await db.Adits().SingleAsync(a => a.Number == numbers[1]);
            var errors = await new AditCommands(db).UpdateAsync(adit, new AditInput
            {
                Number = adit.Number, Township = adit.TownshipCode, Lon = adit.Lon.ToString("R"), Lat = adit.Lat.ToString("R"),
                Description = "现场核实：硐口已塌陷",
            }, default);
            Assert.True(errors.Ok, string.Join("；", errors.Values.SelectMany(v => v)));
            return 0;
        });

        var undo = await office.PostAsync($"/api/imports/{batch}/undo", null);
        Assert.Equal(HttpStatusCode.Conflict, undo.StatusCode);
        var problem = await undo.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ImportChangedSince", problem.GetProperty("code").GetString());
        Assert.Contains($"有 1 个在导入后已有变更（如 {numbers[1]}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Adits().CountAsync(a => numbers.Contains(a.Number))));
        Assert.Null(await app.WithDbAsync(db => db.Set<ImportBatch>().Where(b => b.Id == batch).Select(b => b.UndoneUtc).SingleAsync()));
    }
}
