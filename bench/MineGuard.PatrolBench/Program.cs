using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Bench;
using MineGuard.Data;
using MineGuard.Features.Patrols;

using MineGuard.Platform.Files;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;

// Patrol benchmark, on SQLite and (when MINEGUARD_BENCH_POSTGRES holds a server connection string) PostgreSQL:
//  1. a province-sized year (ProvinceYear: 100,000 adits, 2,000 teams, ~1,000,000 check-ins with tracks) is loaded;
//  2. a month's compliance is computed for the province and for one county, against the baseline of counting the
//     same month's check-ins in the same scope (the least any answer must read);
//  3. one day's patrol (a track of a few thousand fixes in the app's 20-point chunks, 20 check-ins, 40 photos) is
//     synced over HTTP as the field app sends it (the chunks queued since the last send go in one request:
//     DayOfPatrol.Requests), against the raw write of the same rows (BulkInsert in one transaction): a walked day (an
//     honest track, the common case) and a generated one (flagged as program-made; DayKind). The day ends with the
//     patrol's end, which judges the whole day in its request: each sync includes the day's judgement.
//   dotnet run -c Release --project bench/MineGuard.PatrolBench [-- --check-ins 1000000] [--engines sqlite,postgres]
// The proof-of-presence red team (issue 15, PresenceRedTeam): labelled honest and faked patrols through the field API:
//   dotnet run -c Release --project bench/MineGuard.PatrolBench -- presence [--seed N] [--patrols N]
namespace MineGuard.PatrolBench;

// Not top-level statements: the app under test owns the name Program (WebApplicationFactory<Program>).
public static class PatrolBenchProgram
{
    // Every day of patrol built gets its own seed: photos differ between runs (the file store keeps one copy per content).
    private static int run;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "presence")
        {
            string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            return await PresenceRedTeam.RunAsync(int.Parse(Arg("--seed") ?? "15"), int.Parse(Arg("--patrols") ?? "240"));
        }

        var checkIns = args.SkipWhile(a => a != "--check-ins").Skip(1).Select(int.Parse).DefaultIfEmpty(1_000_000).First();
        var engines = BenchDatabase.Engines(args).Select(e => e == "sqlite" ? null : Environment.GetEnvironmentVariable("MINEGUARD_BENCH_POSTGRES")).ToList();
        Console.WriteLine($"MineGuard patrol benchmark: seed {ProvinceYear.Seed}, {checkIns:N0} check-ins, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var lines = new List<string>();
        var perKind = new Dictionary<string, double>();
        foreach (var server in engines)
        {
            var engine = server is null ? "sqlite" : "postgres";
            await using var app = await BenchApp.StartAsync(server, keep: false);
            var load = Stopwatch.StartNew();
            var (adits, teams, patrols, loaded) = await ProvinceYear.InsertAsync(app.Services, 100_000, 2_000, checkIns);
            Console.WriteLine($"{engine}: loaded {adits:N0} adits, {teams:N0} teams, {patrols:N0} patrols, {loaded:N0} check-ins in {load.Elapsed.TotalSeconds:F0} s");

            foreach (var (label, code) in new[] { ("province 河南省", "41"), ("county 嵩县", "410325") })
            {
                var month = new DateOnly(2026, 11, 1);
                var baseline = await MedianAsync(5, () => InScopeAsync(app, async db =>
                {
                    var from = ChinaTime.ToUtc(month.ToDateTime(TimeOnly.MinValue));
                    var to = ChinaTime.ToUtc(month.AddMonths(1).ToDateTime(TimeOnly.MinValue));
                    var scope = JurisdictionScope.Of(code);
                    return $"{await db.CheckIns().Within(scope, c => c.DivisionCode).CountAsync(c => c.AtUtc >= from && c.AtUtc < to):N0} check-ins";
                }));
                var compliance = await MedianAsync(5, () => InScopeAsync(app, async db =>
                {
                    var report = await new PatrolCompliance(db).ComputeAsync(month, code, 2000, default);
                    return $"{report.Teams.Count:N0} teams, {report.Teams.Count(t => !t.Ok):N0} short, {report.BlindSpotCount:N0} blind spots of {report.AditCount:N0}";
                }));
                lines.Add($"{engine,-9} {"compliance 2026-11 " + label,-34} {compliance.Ms,9:F0} ms {baseline.Ms,9:F1} ms {compliance.Ms / baseline.Ms,8:F1}x   {compliance.Note} (baseline: {baseline.Note})");
            }

            var member = await app.LoginAsync("sx-patrol");
            var bundle = await member.GetFromJsonAsync<JsonElement>("/api/field/bundle");
            var teamId = bundle.GetProperty("teams")[0].GetProperty("id").GetGuid();
            // A day's round: the 20 adits of the member's bundle nearest to its first, each time to the nearest not yet visited.
            var inBundle = bundle.GetProperty("adits").EnumerateArray().Select(a => (Id: a.GetProperty("id").GetGuid(), Lat: a.GetProperty("lat").GetDouble(), Lon: a.GetProperty("lon").GetDouble())).ToList();
            var near = inBundle.OrderBy(a => ProofOfPresence.Metres(inBundle[0].Lat, inBundle[0].Lon, a.Lat, a.Lon)).Take(20).ToList();
            var targets = new List<(Guid Id, double Lat, double Lon)> { near[0] };
            while (targets.Count < near.Count)
                targets.Add(near.Except(targets).MinBy(a => ProofOfPresence.Metres(targets[^1].Lat, targets[^1].Lon, a.Lat, a.Lon)));
            foreach (var kind in new[] { DayKind.Walked, DayKind.Generated })
            {
                // Each side is timed from its first write to its last: the day (its track and 40 photos) is made, and the
                // member and team looked up, before the clock starts on either side.
                async Task<(string Note, double Ms)> RawAsync()
                {
                    var day = DayOfPatrol.Build(teamId, targets, Interlocked.Increment(ref run), kind);
                    var timed = 0.0;
                    var note = await InScopeAsync(app, async db =>
                    {
                        var userId = await db.Users.Where(u => u.UserName == "sx-patrol").Select(u => u.Id).SingleAsync();
                        var team = await db.PatrolTeams().IgnoreQueryFilters().SingleAsync(t => t.Id == teamId);
                        var rows = day.Rows(team, userId, DateTime.UtcNow);
                        var clock = Stopwatch.StartNew();
                        await using (var tx = await db.Database.BeginTransactionAsync())
                        {
                            await db.InsertAsync(rows, default);
                            await tx.CommitAsync();
                        }

                        timed = clock.Elapsed.TotalMilliseconds;
                        return $"{rows.Count:N0} rows";
                    });
                    return (note, timed);
                }

                var (cpu, allocated, gen2) = (new List<double>(), new List<double>(), new List<int>());
                var synced = new List<Guid>();
                async Task<(string Note, double Ms)> SyncAsync()
                {
                    var day = DayOfPatrol.Build(teamId, targets, Interlocked.Increment(ref run), kind);
                    synced.Add(day.PatrolId);
                    var requests = day.Requests();
                    var clock = Stopwatch.StartNew();
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var (allocatedBefore, gen2Before) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(2));
                    for (var i = 0; i < requests.Count; i++)
                    {
                        using var message = requests[i]();
                        var url = message.RequestUri!.OriginalString;
                        var what = url.Contains("/track") ? "track" : url.Contains("/photos/") ? "photo" : url.Contains("/check-ins/") ? "check-in"
                            : url.EndsWith("/sync", StringComparison.Ordinal) ? "batch" : i == 0 ? "patrol start" : "patrol end";
                        var watch = Stopwatch.StartNew();
                        var response = await member.SendAsync(message);
                        perKind[$"{kind} {what}"] = perKind.GetValueOrDefault($"{kind} {what}") + watch.Elapsed.TotalMilliseconds;
                        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{message.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }

                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6);
                    gen2.Add(GC.CollectionCount(2) - gen2Before);
                    return ($"{requests.Count:N0} requests, {day.Fixes:N0} fixes", clock.Elapsed.TotalMilliseconds);
                }

                // A server runs all day: the rounds are measured once the runtime has stopped recompiling the sync's hot code
                // (three warm-ups were not enough: the JIT's thread took 40-50 % of the CPU through the measured rounds,
                // tiering up methods first called in them).
                var (raw, sync, ratio, low, high, warm, jit) = await PairedAsync(5, 3, RawAsync, SyncAsync);
                // What the server made of the synced days (after the timing): the walked day's check-ins are verified; all
                // are flagged as uploaded late, since each day lies 2 days per run in the past (one member's days must not
                // overlap), a flag that does not change as the day arrives.
                var verdicts = await InScopeAsync(app, async db =>
                {
                    var all = await db.CheckIns().IgnoreQueryFilters().Where(c => synced.Contains(c.PatrolId)).Select(c => new { c.Verified, c.Flags }).ToListAsync();
                    return $"{all.Count(c => c.Verified):N0} of {all.Count:N0} check-ins verified, {all.Count(c => c.Flags != null):N0} flagged";
                });
                var label = kind == DayKind.Walked ? "sync of a walked day over HTTP" : "sync of a generated day over HTTP";
                lines.Add($"{engine,-9} {label,-34} {sync.Ms,9:F0} ms {raw.Ms,9:F1} ms {ratio,8:F1}x   {sync.Note}; {verdicts} (baseline: raw write of {raw.Note}; ratio: median of 5 rounds after {warm} warm-ups, each the raw write then the sync, {low:F1}-{high:F1}x; JIT in them {jit:F0} ms)");
                // The CPU this process spent on a sync (server and client; SQLite's work too, not PostgreSQL's): steadier than
                // the wall time on a shared machine, for comparing builds.
                cpu = cpu.TakeLast(5).Order().ToList(); // the measured rounds'
                allocated = allocated.TakeLast(5).Order().ToList();
                lines.Add($"{engine,-9} {"  CPU of this process per sync",-34} {cpu[cpu.Count / 2],9:F0} ms {"",12} {"",9}   median of {cpu.Count} syncs ({cpu[0]:F0}-{cpu[^1]:F0} ms); "
                    + $"allocated {allocated[allocated.Count / 2]:F0} MB per sync, {gen2.TakeLast(5).Sum()} full collections in the {cpu.Count}");
            }
        }

        Console.WriteLine("sync: as the field app sends it: track chunks of <= 20 fixes, the chunks queued since the last send in one request (at a check-in, or 50 chunks, or 30 min)");
        Console.WriteLine(string.Join(", ", perKind.Select(k => $"{k.Key} {k.Value:F0} ms")));
        Console.WriteLine();
        Console.WriteLine($"{"engine",-9} {"measure",-34} {"time",12} {"baseline",12} {"ratio",9}");
        foreach (var line in lines) Console.WriteLine(line);
        return 0;
    }

    private static async Task<string> InScopeAsync(BenchApp app, Func<AppDbContext, Task<string>> work)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("bench");
        return await work(db);
    }

    // Unmeasured warm-ups of each, at least <paramref name="warmUps"/> and on until a round spent under 5 % of its time
    // compiling (the runtime tiers hot code up in the background for a while after it is first called; at most 30), then
    // n rounds of the baseline and the measured run back to back, each timing itself: the medians of each, the median
    // (and range) of the rounds' ratios, the warm-ups it took and the JIT time within the measured rounds. The raw
    // write's own time swings up to 2.5x between runs on a shared machine (fsync); a ratio within one round sees the same
    // conditions on both sides.
    private static async Task<((double Ms, string Note) Baseline, (double Ms, string Note) Measured, double Ratio, double Low, double High, int WarmUps, double JitMs)> PairedAsync(
        int n, int warmUps, Func<Task<(string Note, double Ms)>> baseline, Func<Task<(string Note, double Ms)>> measured)
    {
        var warm = 0;
        while (warm < 30)
        {
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            var clock = Stopwatch.StartNew();
            await baseline();
            await measured();
            warm++;
            if (warm >= warmUps && (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds < 0.05 * clock.Elapsed.TotalMilliseconds) break;
        }

        var jitStart = System.Runtime.JitInfo.GetCompilationTime();
        var (baseTimes, measuredTimes, ratios) = (new List<double>(), new List<double>(), new List<double>());
        var (baseNote, measuredNote) = ("", "");
        for (var i = 0; i < n; i++)
        {
            (baseNote, var baseMs) = await baseline();
            baseTimes.Add(baseMs);
            (measuredNote, var measuredMs) = await measured();
            measuredTimes.Add(measuredMs);
            ratios.Add(measuredTimes[^1] / baseTimes[^1]);
        }

        var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitStart).TotalMilliseconds;
        baseTimes.Sort();
        measuredTimes.Sort();
        ratios.Sort();
        return ((baseTimes[n / 2], baseNote), (measuredTimes[n / 2], measuredNote), ratios[n / 2], ratios[0], ratios[^1], warm, jitMs);
    }

    // One unmeasured warm-up, then the median of n runs.
    private static async Task<(double Ms, string Note)> MedianAsync(int n, Func<Task<string>> run)
    {
        await run();
        var times = new List<double>();
        var note = "";
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            note = await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[n / 2], note);
    }
}
