using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Tests.Features.Imports;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Data;

/// <summary>A bulk-inserted row must be the row SaveChanges would have written, column for column, on both engines.</summary>
public sealed class BulkInsertTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Bulk_inserted_rows_read_back_exactly_like_saved_ones(string provider)
    {
        var app = await TestApp.Shared(provider);
        var resp = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "sx-resp").Select(u => u.Id).SingleAsync());
        var (saved, bulk) = await app.WithDbAsync(async db =>
        {
            var now = db.Clock.GetUtcNow().UtcDateTime;
            Adit Make(string number)
            {
                var p = Spots.Next();
                var adit = Adit.Register(number, new Adit.Place("410325", "410325100", null, "410325100G001"), p.Lon, p.Lat,
                    new Adit.Details("后沟“2号”硐", 812.5, Mineral.Molybdenum, AditOrigin.NormalClosure, "某矿业公司", null, resp, "备注\n第二行"),
                    now, importBatchId: null);
                adit.Seal(new Adit.SealWork(new DateOnly(2025, 2, 28), SealMethod.SteelPlate, "县标准", "封堵队", null, "据台账"), null, now);
                adit.RecordBreach(new DateOnly(2025, 7, 1), "村民", "群众举报", null, null, now);
                return adit;
            }
            var one = Make(Spots.Unique("BS"));
            db.Add(one);
            await db.SaveChangesAsync();
            var two = Make(Spots.Unique("BB"));
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.InsertAsync([two, .. two.Events], default);
            await tx.CommitAsync();
            return (one.Id, two.Id);
        });

        var (a, b) = await app.WithDbAsync(async db =>
        {
            var rows = await db.Adits().AsNoTracking().Include(x => x.Events).Where(x => x.Id == saved || x.Id == bulk).ToListAsync();
            return (rows.Single(x => x.Id == saved), rows.Single(x => x.Id == bulk));
        });
        var model = await app.WithDbAsync(db => Task.FromResult(db.Model));
        foreach (var p in model.FindEntityType(typeof(Adit))!.GetProperties().Where(p => p.Name is not (nameof(Adit.Id) or nameof(Adit.Number) or nameof(Adit.Lon) or nameof(Adit.Lat) or nameof(Adit.MapX) or nameof(Adit.MapY))))
            Assert.True(Equals(p.GetGetter().GetClrValue(a), p.GetGetter().GetClrValue(b)), $"Adit.{p.Name}: {p.GetGetter().GetClrValue(a)} ≠ {p.GetGetter().GetClrValue(b)}");
        Assert.Equal(2, b.Events.Count);
        foreach (var (x, y) in a.Events.OrderBy(e => e.Kind).Zip(b.Events.OrderBy(e => e.Kind)))
        {
            foreach (var p in model.FindEntityType(typeof(SealingEvent))!.GetProperties().Where(p => p.Name is not (nameof(SealingEvent.Id) or nameof(SealingEvent.AditId))))
                Assert.True(Equals(p.GetGetter().GetClrValue(x), p.GetGetter().GetClrValue(y)), $"SealingEvent.{p.Name}");
        }
        Assert.Equal((SealState.Breached, 1, "后沟“2号”硐", "备注\n第二行"), (b.State, b.BreachCount, b.Name, b.Description));
    }

    [Theory, OnSqlite]
    public async Task Bulk_insert_needs_the_callers_transaction(string provider)
    {
        var app = await TestApp.Shared(provider);
        await app.WithDbAsync(async db =>
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.InsertAsync([new object()], default));
            return 0;
        });
    }
}
