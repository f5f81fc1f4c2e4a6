using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Analysis;
using MineGuard.Features.Mines;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;
using Npgsql;
using MeterReadings = MineGuard.Features.Monitoring.MeterReadings;

namespace MineGuard.AlertBench;

/// <summary>
/// A province's year of meter readings (issue 16, Performance): N meters at licensed mines (one in five stopped, a few of
/// those working at night) × hourly interval readings over D days, stored day by day through
/// <see cref="MeterReadings.StoreAsync"/> the way they arrive (each block the 24 hours up to the 02:00 scan hour, China
/// time), against a raw bulk insert of the first week's rows in the same run (binary COPY on PostgreSQL, a prepared
/// 100-row INSERT on SQLite). Then the product's daily job (<see cref="MeterScanJob.RunOnceAsync"/>): a whole re-scan of
/// the year with nothing kept (the first run after a start), then each of the next three days' block and the daily scan of it
/// (what it kept, the new readings only). Peak memory per phase (VmHWM, reset before each phase).
/// dotnet run -c Release --project bench/MineGuard.AlertBench -- meter-scale [--meters 1000] [--days 365] [--engines sqlite,postgres]
/// </summary>
internal static class MeterScaleBench
{
    private static readonly DateOnly FirstDay = new(2025, 12, 1);
    private const int DailyDays = 3;

    private sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;
        public override DateTimeOffset GetUtcNow() => now;
        public void Set(DateTime utc) => now = new DateTimeOffset(utc, TimeSpan.Zero);
    }

    public static async Task<List<string>> RunAsync(string engine, string cs, int meters, int days)
    {
        var lines = new List<string>();
        var clock = new BenchClock(new DateTimeOffset(MeterDetector.DayStartUtc(FirstDay), TimeSpan.Zero));
        await using var app = await StartAsync(engine, cs, clock);
        var services = app.Services;

        // Meters at mines: twenty meters a mine, one mine in five stopped (停产).
        var (ids, producing) = await WithDbAsync(services, async db =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var (key, _) = ApiKey.Create("压测电力平台", "410325", null, now);
            db.ApiKeys.Add(key);
            var mines = Enumerable.Range(0, Math.Max(1, meters / 20)).Select(i => LicensedMine.Register(new LicensedMine.Licence($"压测矿山{i}",
                "压测矿业", $"BENCH-MINE-{i:D6}", Mineral.Gold, new DateOnly(2020, 1, 1), new DateOnly(2035, 1, 1),
                i % 5 == 4 ? MineStatus.Suspended : MineStatus.Producing), "410325", "410325400", "{}", (111.9, 34.0, 111.91, 34.01), now)).ToList();
            db.AddRange(mines);
            var list = Enumerable.Range(0, meters).Select(i => Device.Register(new Device.Spec(DeviceKind.Meter, $"BENCH-METER-{i:D6}", $"压测电表{i}",
                key.Id, "410325400", null, mines[i % mines.Count].Id, null, null, null, null, null, 0), now)).ToList();
            db.AddRange(list);
            await db.SaveChangesAsync();
            return (list.Select(d => d.Id).ToList(), Enumerable.Range(0, meters).Select(i => mines[i % mines.Count].Status == MineStatus.Producing).ToArray());
        });
        var random = new Random(16);
        var level = ids.Select(_ => 2 + random.NextDouble() * 20).ToArray();
        // Block b: the hours from 02:00 of day b to 02:00 of day b + 1 (the first block from 00:00 of the first day).
        var origin = MeterDetector.DayStartUtc(FirstDay);
        DateTime BlockEnd(int b) => origin.AddDays(b + 1).AddHours(2);
        List<MeterReadingInput> Block(int b)
        {
            var from = b == 0 ? origin : BlockEnd(b - 1);
            var hours = (int)(BlockEnd(b) - from).TotalHours;
            var list = new List<MeterReadingInput>(ids.Count * hours);
            for (var m = 0; m < ids.Count; m++)
            {
                for (var h = 0; h < hours; h++)
                {
                    var utc = from.AddHours(h);
                    var local = ChinaTime.ToLocal(utc);
                    var noise = 1 + ((HashCode.Combine(m, utc.Ticks) & 1023) / 1023.0 - 0.5) * 0.2;
                    double kwh;
                    if (producing[m])
                        kwh = level[m] * (local.Hour is >= 8 and < 18 ? 1 : 0.3) * (local.DayOfWeek is DayOfWeek.Sunday ? 0.6 : 1) * noise;
                    else // a stopped mine: a trickle; one meter in twenty works at night in the second half
                        kwh = m % 20 == 4 && local.DayOfYear % 30 > 25 && MeterDetector.IsNightHour(local.Hour) ? 8 * noise : 0.1 * noise;
                    list.Add(new MeterReadingInput(ids[m], "410325400", utc, Math.Round(kwh, 3), MeterReadingKind.Interval));
                }
            }
            return list;
        }
        var yearBlocks = days - DailyDays; // the last blocks are the daily scans'
        var rows = Enumerable.Range(0, yearBlocks).Sum(b => (long)ids.Count * (int)(BlockEnd(b) - (b == 0 ? origin : BlockEnd(b - 1))).TotalHours);

        // Raw bulk insert of the first week's blocks, then emptied.
        var rawBlocks = Math.Min(7, yearBlocks);
        long rawRows = 0;
        ResetPeak();
        var raw = Stopwatch.StartNew();
        for (var b = 0; b < rawBlocks; b++)
        {
            var readings = Block(b);
            rawRows += readings.Count;
            await WithDbAsync(services, async db =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var transaction = tx.GetDbTransaction();
                if (db.IsPostgres) await MeterBench.CopyAsync((NpgsqlConnection)transaction.Connection!, readings);
                else MeterBench.InsertMultiRow(transaction, readings);
                await tx.CommitAsync();
                return 0;
            });
        }
        raw.Stop();
        var rawRate = rawRows / raw.Elapsed.TotalSeconds;
        await WithDbAsync(services, db => db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "TRUNCATE \"MeterReadings\"" : "DELETE FROM \"MeterReadings\""));

        // The year through the storage path, block by block as the clock moves.
        ResetPeak();
        var store = Stopwatch.StartNew();
        for (var b = 0; b < yearBlocks; b++) await StoreAsync(services, clock, Block(b), BlockEnd(b));
        store.Stop();
        var storePeak = Peak();
        var storeRate = rows / store.Elapsed.TotalSeconds;
        lines.Add($"{engine,-9} {meters:N0} meters x {yearBlocks} days hourly = {rows:N0} readings (mines: {producing.Count(p => !p):N0} meters at stopped ones), one transaction per day ({meters * 24:N0} rows)");
        lines.Add($"{engine,-9} ingest (MeterReadings.StoreAsync) {store.Elapsed.TotalSeconds,8:F1} s {storeRate,10:N0} rows/s {storeRate / rawRate,5:F2}x raw; raw {(engine == "postgres" ? "binary COPY" : "prepared 100-row INSERT")} of the first {rawBlocks} days {rawRows:N0} rows {raw.Elapsed.TotalSeconds:F1} s {rawRate:N0} rows/s; peak {storePeak} MB");

        // A whole re-scan of the year: nothing kept (the first daily run after a start).
        var job = services.GetServices<IHostedService>().OfType<MeterScanJob>().Single();
        var kept = services.GetRequiredService<MeterBaselines>();
        kept.Clear();
        clock.Set(BlockEnd(yearBlocks - 1));
        ResetPeak();
        var full = Stopwatch.StartNew();
        var fullRound = await job.RunOnceAsync(clock.GetUtcNow().UtcDateTime.AddDays(-2), default);
        full.Stop();
        lines.Add($"{engine,-9} whole re-scan of the year (MeterScanJob, nothing kept): {fullRound.Meters:N0} meters {full.Elapsed.TotalSeconds,7:F1} s ({rows / full.Elapsed.TotalSeconds:N0} readings/s), {fullRound.Found:N0} findings, {fullRound.Clues:N0} clues; peak {Peak()} MB; kept {kept.Count:N0} baselines");

        // The next days: each day's block stored, then the daily scan of it (what was kept, the new readings only); the
        // first of them also compiles the incremental path's queries, so the later days are the steady state.
        for (var b = yearBlocks; b < yearBlocks + DailyDays; b++)
        {
            var day = Block(b);
            var dayIngest = Stopwatch.StartNew();
            await StoreAsync(services, clock, day, BlockEnd(b));
            dayIngest.Stop();
            ResetPeak();
            var daily = Stopwatch.StartNew();
            var dailyRound = await job.RunOnceAsync(clock.GetUtcNow().UtcDateTime.AddDays(-2), default);
            daily.Stop();
            lines.Add($"{engine,-9} daily scan {b - yearBlocks + 1} of a day's {day.Count:N0} readings (MeterScanJob, incremental): {daily.Elapsed.TotalSeconds,6:F2} s for {dailyRound.Meters:N0} meters " +
                      $"= {daily.Elapsed.TotalSeconds / full.Elapsed.TotalSeconds:P1} of the whole re-scan, {dailyRound.Found:N0} new findings; peak {Peak()} MB (that day stored in {dayIngest.Elapsed.TotalSeconds:F2} s)");
        }
        return lines;
    }

    private static async Task StoreAsync(IServiceProvider services, BenchClock clock, List<MeterReadingInput> readings, DateTime at)
    {
        clock.Set(at);
        await WithDbAsync(services, async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await MeterReadings.StoreAsync(db, readings, MeterReadings.Ingest, at, default);
            await tx.CommitAsync();
            return 0;
        });
    }

    /// <summary>Resets the process's peak resident set (Linux: /proc/self/clear_refs 5), so that each phase reports its own.</summary>
    private static void ResetPeak()
    {
        GC.Collect();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Peak resident set since the last reset in MB (VmHWM), else the process's peak working set.</summary>
    private static long Peak()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576;
        }
    }

    private static Task<WebApplication> StartAsync(string engine, string cs, TimeProvider clock) => BenchHost.StartAsync(engine, cs, builder =>
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Meters:RunJob"] = "false" });
        builder.Services.AddSingleton(clock);
    });

    private static Task<T> WithDbAsync<T>(IServiceProvider services, Func<AppDbContext, Task<T>> work) => BenchHost.WithDbAsync(services, work);
}
