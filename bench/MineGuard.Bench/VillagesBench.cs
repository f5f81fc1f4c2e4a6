using System.Diagnostics;
using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Bench;

/// <summary>
/// Issue 13's village level: the whole country's villages (620,573, the shipped gzip CSV) loaded into a fresh database
/// (the app's own start: four levels and the demo data), against a baseline of reading the file alone (decompressing,
/// and decompressing and splitting the rows); then the same load again (must add nothing), and one county's villages
/// read from the file on first need (the last county in the file: a scan of all of it).
/// dotnet run -c Release --project bench/MineGuard.Bench -- villages
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string.
/// </summary>
public static class VillagesBench
{
    public static async Task<int> RunAsync(string? postgresServer)
    {
        Console.WriteLine($"MineGuard village level benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores");
        using var resource = typeof(Villages).Assembly.GetManifestResourceStream("divisions/" + Villages.File)!;
        Console.WriteLine($"shipped file: {resource.Length / 1024.0 / 1024.0:F2} MB gzip");

        var bytes = 0L;
        var decompress = Time(() =>
        {
            using var gzip = new GZipStream(typeof(Villages).Assembly.GetManifestResourceStream("divisions/" + Villages.File)!, CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gzip.Read(buffer)) > 0) bytes += n;
        });
        var rows = 0;
        var read = Time(() => rows = Villages.Read().Count());
        Console.WriteLine($"baseline: decompress {bytes / 1024.0 / 1024.0:F1} MB in {decompress:F2} s; decompress and split {rows:N0} rows in {read:F2} s");
        var lastCounty = Villages.Read().Last().Code[..6];
        var county = Time(() => rows = Villages.Read(lastCounty).Count());
        Console.WriteLine($"one county from the file (the last, {lastCounty}: {rows} villages): {county:F2} s");

        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);
        var before = await BenchProgram.WithDbAsync(app, null, db => db.Divisions.CountAsync(d => d.Level == DivisionLevel.Village));
        var watch = Stopwatch.StartNew();
        var added = await BenchProgram.WithDbAsync(app, null, db => Villages.LoadAllAsync(db, CancellationToken.None));
        var load = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"whole country: {added:N0} villages added ({before:N0} were there) in {load:F2} s = {load / read:F1} x reading the file");
        watch.Restart();
        var again = await BenchProgram.WithDbAsync(app, null, db => Villages.LoadAllAsync(db, CancellationToken.None));
        Console.WriteLine($"again: {again} added in {watch.Elapsed.TotalSeconds:F2} s");
        var total = await BenchProgram.WithDbAsync(app, null, db => db.Divisions.CountAsync(d => d.Level == DivisionLevel.Village));
        Console.WriteLine($"villages in the database: {total:N0}");
        return total >= 620_000 && again == 0 ? 0 : 1;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
