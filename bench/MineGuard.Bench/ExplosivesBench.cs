using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Explosives;

namespace MineGuard.Bench;

/// <summary>
/// Issue 20's benchmark: a province's year of explosives records (default 1,000,000 movements carrying 10,000,000
/// detonator code rows, 1,000 holders over Henan's counties), inserted with <see cref="BulkInsert"/>, a few gaps planted
/// (a detonator cycle without its issue, a stock count 3 kg short). Then the gap check (<see cref="GapCheck.FindAsync"/>,
/// acting as the system) timed against a baseline measured in the same run: reading the same movement columns and
/// grouping the detonator codes once (what any check must at least read). Prints both, their ratio, the gaps found
/// against those planted, and the process's peak working set.
/// dotnet run -c Release --project bench/MineGuard.Bench -- explosives [--movements 1000000 --codes-per-box 30 --holders 1000]
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string (the issue's goal is on PostgreSQL).
/// </summary>
public static class ExplosivesBench
{
    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        int Int(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var (movements, box, holders) = (Int("--movements", 1_000_000), Int("--codes-per-box", 30), Int("--holders", 1000));
        Console.WriteLine($"MineGuard explosives gap-check benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores; " +
                          $"scale {movements / 1_000_000.0:0.###} of the issue's year (1,000,000 movements, 10,000,000 codes)");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);
        var insert = Stopwatch.StartNew();
        var seeded = await BenchProgram.WithDbAsync(app, null, db => SeedAsync(db, movements, box, holders));
        if (postgresServer is not null) await BenchProgram.WithDbAsync(app, null, db => db.Database.ExecuteSqlRawAsync("ANALYZE"));
        Console.WriteLine($"{seeded.Movements:N0} movements, {seeded.Codes:N0} detonator code rows, {holders:N0} holders inserted in {insert.Elapsed.TotalSeconds:F1} s; " +
                          $"planted: {seeded.MissingIssues:N0} codes used without issue, {seeded.ShortCounts:N0} short stock counts");

        var load = Load();
        var baseline = await TimeAsync(app, async db =>
        {
            var rows = await db.Set<ExplosiveMovement>().AsNoTracking()
                .Select(m => new { m.Id, m.HolderId, m.Kind, m.Material, m.Quantity, m.Utc, m.ArrivalUtc, m.RouteHours, m.SiteDivisionCode, m.PermitNumber })
                .ToListAsync();
            var codes = await db.Set<ExplosiveDetonator>().AsNoTracking().GroupBy(d => d.Code).Select(g => g.Count()).CountAsync();
            return rows.Count + codes;
        });
        var (checkSeconds, found) = (0.0, new List<GapFinding>());
        var check = await TimeAsync(app, async db =>
        {
            found = await GapCheck.FindAsync(db, CancellationToken.None);
            return found.Count;
        });
        checkSeconds = check.Seconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine();
        Console.WriteLine($"load (1 min) {load} → {Load()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline (read the movements, group the codes once): {baseline.Seconds,7:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gap check (GapCheck.FindAsync):                     {checkSeconds,7:F1} s = {checkSeconds / baseline.Seconds:F2}× the baseline; goal < 60 s at full scale"));
        Console.WriteLine($"gaps found: {string.Join(", ", found.GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"))}");
        Console.WriteLine($"  detonator-not-issued {found.Count(f => f.Kind == "detonator-not-issued"):N0} of {seeded.MissingIssues:N0} planted; " +
                          $"balance {found.Count(f => f.Kind == "balance"):N0} of {seeded.ShortCounts:N0} planted");
        Console.WriteLine($"peak working set of the process: {peak / 1048576.0:F0} MB");
        return 0;
    }

    private static async Task<(double Seconds, int Result)> TimeAsync(BenchApp app, Func<AppDbContext, Task<int>> work)
    {
        var watch = Stopwatch.StartNew();
        var result = await BenchProgram.WithDbAsync(app, null, work);
        return (watch.Elapsed.TotalSeconds, result);
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private sealed record Seeded(int Movements, long Codes, int MissingIssues, int ShortCounts);

    /// <summary>
    /// Holders spread over the province's counties, each with blasting permits valid all year and a monthly need large
    /// enough; per holder, cycles over the last 335 days alternating a detonator cycle (purchase, issue, use of one box of codes)
    /// and an explosives cycle (purchase, transport, issue, use, return, stock count). Every 997th detonator cycle skips
    /// its issue; every 991st explosives count is 3 kg short.
    /// </summary>
    private static async Task<Seeded> SeedAsync(AppDbContext db, int movements, int box, int holderCount)
    {
        var counties = await db.Divisions.AsNoTracking().Where(d => d.Code.StartsWith("41") && d.Code.Length == 6).OrderBy(d => d.Code).Select(d => d.Code).ToListAsync();
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var holders = Enumerable.Range(0, holderCount).Select(i =>
        {
            var county = counties[i % counties.Count];
            var h = ExplosiveHolder.Register(county, $"基准涉爆单位{i}", "blasting", null, county, 1_000_000, null, null, now);
            h.AddPermit("blasting", $"BP{i:00000}", "全县", new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31), "公安局");
            h.AddPermit("purchase", $"GM{i:00000}", "全县", new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31), "公安局");
            h.AddPermit("transport", $"YS{i:00000}", "全县", new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31), "公安局");
            return h;
        }).ToList();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.InsertAsync([.. holders, .. holders.SelectMany(h => h.Permits)], CancellationToken.None);
            await tx.CommitAsync();
        }

        var perHolder = Math.Max(9, movements / holderCount);
        var cycles = perHolder / 9; // a detonator cycle (3) and an explosives cycle (6)
        var span = TimeSpan.FromDays(330) / Math.Max(1, cycles - 1);
        var start = now.Date.AddDays(-335); // the last cycles fall within the last days: no holder has stopped reporting
        var (count, codes, missing, shortCounts, serial) = (0, 0L, 0, 0, 0L);
        var rows = new List<object>(50_000);
        var details = new ExplosiveMovement.Details(null, null, null, null, null, null, null, null, null);
        for (var c = 0; c < cycles; c++)
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            foreach (var (h, hi) in holders.Select((h, i) => (h, i)))
            {
                var t = start + (span * c) + TimeSpan.FromMinutes(hi % 600);
                var site = new ExplosiveMovement.Details(null, null, null, null, h.DivisionCode, "采场", "爆破员", "爆破组", null);
                ExplosiveMovement Add(string kind, string material, double qty, DateTime at, ExplosiveMovement.Details d)
                {
                    var m = ExplosiveMovement.Record(Guid.CreateVersion7(), h, kind, material, qty, at, d, "bench", now);
                    rows.Add(m);
                    count++;
                    return m;
                }
                var boxCodes = Enumerable.Range(0, box).Select(_ => Code(serial++)).ToList();
                var skipIssue = (((long)c * holderCount) + hi) % 997 == 0;
                var moves = new List<ExplosiveMovement> { Add("purchase", "detonator", box, t, details) };
                if (!skipIssue) moves.Add(Add("issue", "detonator", box, t.AddHours(1), site));
                else missing += box;
                moves.Add(Add("use", "detonator", box, t.AddHours(2), site));
                if (skipIssue) Add("stock", "detonator", 0, t.AddHours(3), details); // keep the cycle's movement count
                foreach (var m in moves)
                foreach (var code in boxCodes)
                {
                    rows.Add(new ExplosiveDetonator(m, code));
                    codes++;
                }
                var shortCount = (((long)c * holderCount) + hi) % 991 == 0;
                if (shortCount) shortCounts++;
                Add("purchase", "explosive", 100, t.AddHours(3), details);
                Add("transport", "explosive", 100, t.AddHours(3.5), new ExplosiveMovement.Details(t.AddHours(5), 2, "豫C12345", "仓库—采场", null, null, null, null, null));
                Add("issue", "explosive", 40, t.AddHours(6), site);
                Add("use", "explosive", 38, t.AddHours(7), site);
                Add("return", "explosive", 2, t.AddHours(8), details);
                Add("stock", "explosive", (60.0 * (c + 1)) - (shortCount ? 3 : 0), t.AddHours(9), details);
                if (rows.Count < 40_000) continue;
                await db.InsertAsync(rows, CancellationToken.None);
                rows.Clear();
            }
            if (rows.Count > 0) await db.InsertAsync(rows, CancellationToken.None);
            rows.Clear();
            await tx.CommitAsync();
        }
        return new Seeded(count, codes, missing, shortCounts);
    }

    /// <summary>A 13-character shell code: maker 61, year 6, month and day from the serial's high part, feature A, serial.</summary>
    private static string Code(long serial)
    {
        var day = serial / 100_000;
        return string.Create(CultureInfo.InvariantCulture, $"61{day / 336 % 10}{(day / 28 % 12) + 1:00}{(day % 28) + 1:00}A{serial % 100_000:00000}");
    }
}
