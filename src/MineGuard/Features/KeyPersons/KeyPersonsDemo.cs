using MineGuard.Platform.People;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Hosting;

namespace MineGuard.Features.KeyPersons;

/// <summary>演示重点人员, after the demo transaction: encrypting ID numbers may create a key-ring entry, which another connection writes.</summary>
public sealed class KeyPersonsDemo : IDemoData
{
    public int Order => DemoLoader.AfterCommit;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"];

    /// <summary>
    /// A few 重点人员 per county with made-up names and ID numbers that pass the check digit but belong to nobody
    /// (born on the 1st of a month, sequence 9xx), each linked to adits of their township and visited once.
    /// </summary>
    public async Task SeedAsync(IServiceProvider services, AppDbContext db, IReadOnlyDictionary<string, Guid> users, CancellationToken ct)
    {
        var commands = services.GetRequiredService<KeyPersonCommands>();
        foreach (var (county, seed) in new[] { ("410325", 9026), ("431281", 2026) })
        {
            var random = new Random(seed);
            var adits = await db.Adits().AsNoTracking().Where(a => a.CountyCode == county && a.IsDemo && a.BreachCount > 0)
                .OrderBy(a => a.Number).Take(16).ToListAsync(ct);
            for (var i = 0; i < 8; i++)
            {
                var adit = adits[i * 2 % adits.Count];
                var born = new DateOnly(1960 + random.Next(35), 1 + random.Next(12), 1);
                var first17 = $"{county}{born:yyyyMMdd}9{i:D2}";
                var id = first17 + IdNumber.CheckCharacter(first17);
                var level = i < 2 ? "严管" : i < 5 ? "重点" : "一般";
                var input = new KeyPersonInput($"{Surnames[random.Next(Surnames.Length)]}某{i + 1}（演示）", id, $"1390000{random.Next(1000, 9999)}",
                    adit.TownshipCode, null, "曾在废弃金矿硐从事采挖（演示）", i < 3 ? "2023 年因盗采矿产资源被行政处罚（演示）" : null, level);
                var (person, errors) = await commands.ValidateAndCreateAsync(input, null, isDemo: true, ct);
                if (person is null) throw new InvalidOperationException("demo key person refused: " + string.Join("；", errors.Values.SelectMany(v => v)));
                await db.SaveChangesAsync(ct);
                await commands.LinkAditAsync(person, new AditLinkInput(adit.Number, i % 2 == 0 ? "曾在此硐盗采" : "居住在附近"), ct);
                await commands.AddHomeVisitAsync(person, new HomeVisitInput(commands.Today.AddDays(-random.Next(10, 200)), "乡镇包保干部、派出所民警（演示）",
                    "已上门宣传诫训，本人签订承诺书（演示）"), ct);
            }
        }
    }
}
