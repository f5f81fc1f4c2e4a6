using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Cases;
using MineGuard.Features.Clues;
using MineGuard.Features.Supervision;
using MineGuard.Features.Tips;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.PatrolBench;

namespace MineGuard.Bench;

/// <summary>
/// Issue 18's province benchmark: a province (河南省, the shipped division tree: its cities, counties and townships) with
/// 100,000 adits and 1,000,000 check-ins (<see cref="ProvinceYear"/>, seed 41), 20,000 cases (<see cref="CasesBench"/>'s
/// generator), 100,000 tips, 100,000 clues and 50,000 rectification items (seed 18), bulk loaded. Then the supervision
/// dashboard over HTTP for the province (a province leader made here) and for 嵩县 (sx-leader), timed alternately with
/// hand-written SQL computing the same figures per child (ledger, clues, tips, cases, rectification, check-ins), the
/// figures compared; the time of each section in the product; the trend over 12 months; the stage report generated and
/// printed as PDF through the API by the province's and the county's office; the peak working set.
/// dotnet run -c Release --project bench/MineGuard.Bench -- dashboard [--adits 100000 --check-ins 1000000 --tips 100000
///   --clues 100000 --cases 20000 --items 50000 --teams 2000 --iterations 50 --warmup 5 --from 2026-11-01 --to 2026-11-30]
///   [--reuse NAME] [--board-only]
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string. --reuse NAME (PostgreSQL): the
/// database NAME is kept, and when it exists already its data is not inserted again (use the same options as the run
/// that made it). --board-only: the dashboard and its sections only, no trend and no stage report.
/// </summary>
public static class DashboardBench
{
    private const string Province = "41";
    private const string County = "410325";
    private const int Seed = 18;

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        int Int(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        string Text(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var (adits, checkIns, tips, clues, cases, items, teams) = (Int("--adits", 100_000), Int("--check-ins", 1_000_000), Int("--tips", 100_000),
            Int("--clues", 100_000), Int("--cases", 20_000), Int("--items", 50_000), Int("--teams", 2_000));
        var (iterations, warmup, from, to) = (Int("--iterations", 50), Int("--warmup", 5), Text("--from", "2026-11-01"), Text("--to", "2026-11-30"));
        Console.WriteLine($"MineGuard province dashboard benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores: " +
            $"{adits:N0} adits, {checkIns:N0} check-ins, {tips:N0} tips, {clues:N0} clues, {cases:N0} cases, {items:N0} rectification items; period {from} – {to}");
        var reuse = Text("--reuse", "");
        if (reuse.Length > 0 && postgresServer is null) throw new ArgumentException("--reuse needs PostgreSQL (MINEGUARD_BENCH_POSTGRES)");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: args.Contains("--keep"), reuse.Length > 0 ? reuse : null);

        if (app.Reused)
            Console.WriteLine($"database {reuse} reused: the data and users an earlier run with the same options inserted (not checked)");
        else
        {
            var insert = Stopwatch.StartNew();
            var year = await ProvinceYear.InsertAsync(app.Services, adits, teams, checkIns);
            var yearSeconds = insert.Elapsed.TotalSeconds;
            await BenchProgram.WithDbAsync(app, null, db => CasesBench.SeedAsync(db, cases));
            await BenchProgram.WithDbAsync(app, null, async db =>
            {
                await SeedAsync(db, tips, clues, items);
                return 0;
            });
            await BenchProgram.WithDbAsync(app, null, db => db.Database.ExecuteSqlRawAsync(app.IsPostgres ? "VACUUM ANALYZE" : "ANALYZE"));
            await CreateUsersAsync(app);
            Console.WriteLine($"inserted in {insert.Elapsed.TotalSeconds:F1} s ({year.Adits:N0} adits, {year.Teams:N0} teams, {year.Patrols:N0} patrols, " +
                $"{year.CheckIns:N0} check-ins in {yearSeconds:F1} s; then cases, tips, clues, items); working set {Environment.WorkingSet / 1048576.0:F0} MB" +
                (reuse.Length > 0 ? $"; kept as database {reuse}" : ""));
        }
        var boardOnly = args.Contains("--board-only");

        var rows = new List<string>();
        var sections = new List<string>();
        foreach (var (label, code, leader, office) in new[] { ("province 河南省", Province, "prov-leader", "prov-office"), ("county 嵩县", County, "sx-leader", "sx-office") })
        {
            using var client = await app.LoginAsync(leader);
            var url = $"/api/dashboard?division={code}&from={from}&to={to}";
            var figures = Figures(await client.GetFromJsonAsync<JsonElement>(url));
            var sql = await SqlAsync(app, code, from, to);
            var differ = sql.Where(kv => figures.GetValueOrDefault(kv.Key, -1) != kv.Value).Select(kv => $"{kv.Key} HTTP {figures.GetValueOrDefault(kv.Key, -1)} SQL {kv.Value}").ToList();
            Console.WriteLine($"{label}: {sql.Count} figures checked against the hand-written SQL, {(differ.Count == 0 ? "all equal" : "DIFFER: " + string.Join("; ", differ))}; " +
                string.Join(", ", new[] { "ledger.known", "clues.received", "tips.received", "cases.filed", "rectification.open", "patrols.check-ins" }.Select(k => $"{k} {sql[k]:N0}")));
            var load = Load();
            var (http, hand) = await BenchProgram.MeasureAsync(warmup, iterations, () => GetAsync(client, url), () => SqlAsync(app, code, from, to));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"{label,-16} | {http.Median,8:F1} {http.P99,8:F1} | {hand.Median,7:F1} {hand.P99,7:F1} | {http.Median / hand.Median,9:F1} {http.P99 / hand.P99,5:F1} | {load} → {Load()}"));
            sections.Add($"{label}: " + string.Join(", ", (await SectionTimesAsync(app, leader, code, from, to)).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:F0}"))));

            if (boardOnly) continue;
            var trend = await TimesAsync(3, () => GetAsync(client, $"/api/dashboard/trend?division={code}&measure=ledger.breached&months=12"));
            var trendPatrols = await TimesAsync(3, () => GetAsync(client, $"/api/dashboard/trend?division={code}&measure=patrols.check-ins&months=12"));
            using var desk = await app.LoginAsync(office);
            var reports = new List<(double Generate, double Pdf, long Bytes)>();
            for (var i = 0; i < 3; i++) reports.Add(await ReportAsync(desk, code, from, to));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"{"",-16}   trend 12 months ledger.breached median of 3 {trend.Median:F0} ms (max {trend.Max:F0}); patrols.check-ins {trendPatrols.Median:F0} ms (max {trendPatrols.Max:F0})"));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"{"",-16}   stage report as {office}: generate {string.Join(" / ", reports.Select(r => r.Generate.ToString("F0", CultureInfo.InvariantCulture)))} ms, " +
                $"PDF {string.Join(" / ", reports.Select(r => r.Pdf.ToString("F0", CultureInfo.InvariantCulture)))} ms, total max {reports.Max(r => r.Generate + r.Pdf) / 1000:F1} s, {reports[0].Bytes:N0} bytes"));
        }
        Console.WriteLine();
        Console.WriteLine($"dashboard over HTTP ({iterations} timed after {warmup} warm-up, alternating with the hand-written SQL); ms; goals: province p99 < 1,000, county p99 < 200");
        Console.WriteLine($"{"node",-16} | {"HTTP p50",8} {"p99",8} | {"SQL p50",7} {"p99",7} | {"ratio p50",9} {"p99",5} | load (1 min)");
        foreach (var r in rows) Console.WriteLine(r);
        Console.WriteLine("sections in the product, one read after the runs (ms): ");
        foreach (var s in sections) Console.WriteLine("  " + s);
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB (the app and the loader in one process)");
        return 0;
    }

    /// <summary>Every measure's total of the dashboard's JSON, as "section.key" → value.</summary>
    private static Dictionary<string, long> Figures(JsonElement board) =>
        board.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("measures").EnumerateArray()
            .Select(m => (Key: s.GetProperty("key").GetString() + "." + m.GetProperty("key").GetString(), Value: (long)m.GetProperty("total").GetProperty("value").GetInt32())))
            .ToDictionary(x => x.Key, x => x.Value);

    private static async Task GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<(double Median, double Max)> TimesAsync(int count, Func<Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return (times[count / 2], times[^1]);
    }

    /// <summary>The stage report the way an office makes it: generate (POST /api/reports), then its PDF.</summary>
    private static async Task<(double Generate, double Pdf, long Bytes)> ReportAsync(HttpClient desk, string code, string from, string to)
    {
        var start = Stopwatch.GetTimestamp();
        using var created = await desk.PostAsJsonAsync("/api/reports", new
        {
            division = code, from, to, title = "打击盗采阶段报告（基准测试）", narrative = "本期工作情况。", clientId = Guid.NewGuid(),
        });
        var body = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"report: {(int)created.StatusCode} {body}");
        var generate = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        start = Stopwatch.GetTimestamp();
        var pdf = await desk.GetByteArrayAsync($"/api/reports/{id}.pdf");
        return (generate, Stopwatch.GetElapsedTime(start).TotalMilliseconds, pdf.LongLength);
    }

    /// <summary>The product's own read, once, in a scope as the leader: the time of each section.</summary>
    private static async Task<Dictionary<string, double>> SectionTimesAsync(BenchApp app, string userName, string code, string from, string to)
    {
        using var scope = app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName)
            ?? throw new InvalidOperationException(userName);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { User = principal, RequestServices = scope.ServiceProvider };
        try
        {
            var dashboard = scope.ServiceProvider.GetRequiredService<SupervisionDashboard>();
            var (view, errors) = await dashboard.ReadAsync(code, from, to, CancellationToken.None);
            if (view is null) throw new InvalidOperationException(string.Join("; ", errors.SelectMany(e => e.Value)));
            return new Dictionary<string, double>(dashboard.SectionTimes);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    /// <summary>A province leader and a province office (scope 河南省), as the demo users are made, with the demo password.</summary>
    private static async Task CreateUsersAsync(BenchApp app)
    {
        using var scope = app.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (name, role, display) in new[] { ("prov-leader", Roles.Leader, "河南省分管副省长"), ("prov-office", Roles.Office, "河南省打非办") })
        {
            var user = new AppUser
            {
                UserName = name, DisplayName = display, DivisionCode = Province, DepartmentCode = role == Roles.Leader ? "local-government" : "natural-resources",
                CreatedUtc = DateTime.UtcNow,
            };
            var created = await manager.CreateAsync(user, MineGuard.Features.Demo.DemoData.Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            await manager.AddToRoleAsync(user, role);
        }
    }

    /// <summary>
    /// Tips, clues and rectification items over the province's townships (round robin), received or given at a random
    /// moment of the year December 2025 – November 2026 (<see cref="ProvinceYear"/>'s year). Tips: two in five verified
    /// (true, partly true or false, one to twenty days later). Clues: one source each of a random type; one in four closed
    /// without action, one in ten still "received" long past. Items: due 10–60 days after being given; a third reported
    /// done, a third of those closed (销号).
    /// </summary>
    private static async Task SeedAsync(AppDbContext db, int tips, int clues, int items)
    {
        var random = new Random(Seed);
        var towns = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township && d.Code.StartsWith(Province))
            .OrderBy(d => d.Code).Select(d => d.Code).ToListAsync();
        var start = new DateTime(2025, 11, 30, 16, 0, 0, DateTimeKind.Utc);
        DateTime At() => start.AddSeconds(random.Next(365 * 86_400));
        var batch = new List<object>();
        async Task FlushAsync(bool force)
        {
            if (batch.Count == 0 || (!force && batch.Count < 20_000)) return;
            await SpineBench.InsertAsync(db, batch);
            batch.Clear();
        }
        var sources = ClueSourceTypes.Names.Keys.ToArray();
        for (var i = 0; i < tips; i++)
        {
            var town = towns[i % towns.Count];
            var at = At();
            var tip = Tip.Receive(town, town[..6], (TipChannel)random.Next(4), ["illegal-mining"], $"基准举报 {i}：后山有人夜间盗采", "后山", null, null, "夜间",
                new ReceiptHash($"B{i:D9}", "bench", "bench", 1), null, at);
            if (random.Next(5) < 2) tip.Verify((TipOutcome)(1 + random.Next(3)), "核查", null, at.AddDays(1 + random.Next(20)));
            batch.Add(tip);
            await FlushAsync(false);
        }
        for (var i = 0; i < clues; i++)
        {
            var town = towns[(i * 7) % towns.Count];
            var at = At();
            var clue = Clue.Receive(town, null, $"基准线索 {i}", null, at);
            batch.Add(clue);
            batch.Add(ClueSource.Create(clue.Id, town, sources[random.Next(sources.Length)], null, clue.Summary, at));
            if (random.Next(4) == 0) clue.Close(ClueOutcome.NoAction, "不需处理", null, null, null, null, null, at.AddDays(3));
            await FlushAsync(false);
        }
        for (var i = 0; i < items; i++)
        {
            var town = towns[(i * 13) % towns.Count];
            var at = At();
            var item = Assignment.Open(town, null, AssignmentKinds.Rectification, "problem", null, $"基准整改事项 {i}", "整改要求：清运矿石、恢复植被", "乡镇政府",
                null, null, null, DateOnly.FromDateTime(ChinaTime.ToLocal(at)).AddDays(10 + random.Next(50)), null, null, at);
            var roll = random.Next(9);
            if (roll < 3) item.Complete("已清运", null, at.AddDays(5));
            if (roll == 0) item.Verify("验收合格", null, at.AddDays(8));
            batch.Add(item);
            await FlushAsync(false);
        }
        await FlushAsync(true);
    }

    /// <summary>
    /// The hand-written SQL of the same figures: per child (the codes' prefix of the children's length), the ledger, the
    /// clues, the tips, the cases, the rectification items (those not hidden from the leader, whose scope is the node) and the check-ins of the period,
    /// one grouped statement each on one connection; returns the node's totals as "section.key" → value.
    /// </summary>
    private static async Task<Dictionary<string, long>> SqlAsync(BenchApp app, string code, string from, string to)
    {
        var (fromDay, toDay) = (DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var fromUtc = ChinaTime.ToUtc(fromDay.ToDateTime(TimeOnly.MinValue));
        var toUtc = ChinaTime.ToUtc(toDay.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        var length = code.Length switch { 2 => 4, 4 => 6, 6 => 9, _ => 12 };
        var result = new Dictionary<string, long>();
        await using var connection = SpineBench.Open(app);
        await connection.OpenAsync();
        async Task RunAsync(string section, string[] keys, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in new (string, object)[]
                     {
                         ("len", length), ("lo", code), ("hi", code + "~"), ("from", fromUtc), ("to", toUtc), ("firstDay", fromDay), ("lastDay", toDay),
                         ("now", now), ("today", today),
                         ("unsealed", (int)SealState.Unsealed), ("sealed", (int)SealState.Sealed), ("accepted", (int)SealState.Accepted),
                         ("breached", (int)SealState.Breached), ("loose", (int)SealMethod.LooseRocks),
                         ("ftrue", (int)ClueFinding.True), ("fpartly", (int)ClueFinding.PartlyTrue), ("ocase", (int)ClueOutcome.Case),
                         ("creceived", (int)ClueState.Received), ("cverifying", (int)ClueState.Verifying), ("cverified", (int)ClueState.Verified),
                         ("ttrue", (int)TipOutcome.True), ("tpartly", (int)TipOutcome.PartlyTrue), ("closed", (int)CaseStage.Closed),
                         ("kind", AssignmentKinds.Rectification), ("aopen", (int)AssignmentStatus.Open),
                         ("acompleted", (int)AssignmentStatus.Completed), ("aclosed", (int)AssignmentStatus.Closed),
                     })
                SpineBench.Add(command, app, name, value);
            var totals = new long[keys.Length];
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var k = 0; k < keys.Length; k++)
                    totals[k] += reader.IsDBNull(k + 1) ? 0 : (long)Math.Round(Convert.ToDouble(reader.GetValue(k + 1), CultureInfo.InvariantCulture));
            for (var k = 0; k < keys.Length; k++) result[section + "." + keys[k]] = totals[k];
        }
        await RunAsync("ledger", ["known", "unsealed", "sealed", "accepted", "breached", "repeat", "weak", "new"], """
            SELECT substr(a."DivisionCode", 1, @len) AS child, count(*),
              count(*) FILTER (WHERE a."State" = @unsealed), count(*) FILTER (WHERE a."State" = @sealed),
              count(*) FILTER (WHERE a."State" = @accepted), count(*) FILTER (WHERE a."State" = @breached),
              count(*) FILTER (WHERE a."BreachCount" >= 2),
              count(*) FILTER (WHERE a."State" IN (@sealed, @accepted) AND a."CurrentSealMethod" = @loose),
              count(*) FILTER (WHERE a."CreatedUtc" >= @from AND a."CreatedUtc" < @to)
            FROM "Adits" a WHERE a."DivisionCode" >= @lo AND a."DivisionCode" < @hi GROUP BY child
            """);
        await RunAsync("clues", ["received", "true", "case", "open", "overdue"], """
            SELECT substr(c."DivisionCode", 1, @len) AS child,
              count(*) FILTER (WHERE c."ReceivedUtc" >= @from AND c."ReceivedUtc" < @to),
              count(*) FILTER (WHERE c."ReceivedUtc" >= @from AND c."ReceivedUtc" < @to AND c."Finding" IN (@ftrue, @fpartly)),
              count(*) FILTER (WHERE c."ReceivedUtc" >= @from AND c."ReceivedUtc" < @to AND c."Outcome" = @ocase),
              count(*) FILTER (WHERE c."State" IN (@creceived, @cverifying, @cverified)),
              count(*) FILTER (WHERE c."State" = @cverifying AND c."VerifyDueUtc" < @now)
            FROM "Clues" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi GROUP BY child
            """);
        await RunAsync("tips", ["received", "true"], """
            SELECT substr(t."DivisionCode", 1, @len) AS child, count(*), count(*) FILTER (WHERE t."Outcome" IN (@ttrue, @tpartly))
            FROM "Tips" t WHERE t."DivisionCode" >= @lo AND t."DivisionCode" < @hi AND t."ReceivedUtc" >= @from AND t."ReceivedUtc" < @to GROUP BY child
            """);
        await RunAsync("cases", ["filed", "open", "transferred", "police-accepted", "police-refused", "fines"], """
            SELECT substr(c."DivisionCode", 1, @len) AS child, count(*), count(*) FILTER (WHERE c."Stage" <> @closed),
              count(*) FILTER (WHERE c."HandedOverUtc" IS NOT NULL), count(*) FILTER (WHERE c."PoliceDecision" = 'accepted'),
              count(*) FILTER (WHERE c."PoliceDecision" = 'refused'),
              sum(CASE WHEN c."DecisionOn" IS NOT NULL AND c."FineYuan" IS NOT NULL THEN c."FineYuan" ELSE 0 END)
            FROM "Cases" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi AND c."FiledOn" >= @firstDay AND c."FiledOn" <= @lastDay GROUP BY child
            """);
        await RunAsync("rectification", ["new", "open", "overdue", "completed", "closed"], """
            SELECT substr(a."DivisionCode", 1, @len) AS child,
              count(*) FILTER (WHERE a."CreatedUtc" >= @from AND a."CreatedUtc" < @to), count(*) FILTER (WHERE a."Status" = @aopen),
              count(*) FILTER (WHERE a."Status" = @aopen AND a."DueOn" < @today), count(*) FILTER (WHERE a."Status" = @acompleted),
              count(*) FILTER (WHERE a."Status" = @aclosed)
            FROM "Assignments" a WHERE a."DivisionCode" >= @lo AND a."DivisionCode" < @hi AND a."Kind" = @kind
              AND (a."HiddenBelow" IS NULL OR length(a."HiddenBelow") >= length(@lo) OR substr(@lo, 1, length(a."HiddenBelow")) <> a."HiddenBelow")
            GROUP BY child
            """);
        await RunAsync("patrols", ["check-ins", "flagged"], """
            SELECT substr(c."DivisionCode", 1, @len) AS child, count(*), count(*) FILTER (WHERE c."Flags" IS NOT NULL)
            FROM "CheckIns" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi AND c."AtUtc" >= @from AND c."AtUtc" < @to GROUP BY child
            """);
        return result;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
