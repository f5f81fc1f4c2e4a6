using System.Net.Http.Json;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Cases;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Bench;

/// <summary>
/// Issue 14's load: cases in a province (100,000 cases, 300,000 parties, 1,000,000 evidence items, a seizure on most,
/// a fixed seeded generator, bulk loaded), then as 嵩县's office over HTTP: the search by a party's name, by a vehicle's
/// plate, and the county's statistics, each against hand-written SQL of the same query run in the same process on the
/// same database, timed alternately. Prints p50/p99 and the load average beside them (the machine is shared). Goal: p99
/// under 100 ms over HTTP.
/// dotnet run -c Release --project bench/MineGuard.Bench -- cases [--rows 100000 --iterations 200 --warmup 20]
/// (--rows: cases; parties are three times and evidence ten times as many)
/// </summary>
public static class CasesBench
{
    private const string Province = "41";
    private const string County = "410325";
    private static readonly string[] Surnames = [.. "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤".Select(c => c.ToString())];
    private const string Given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏飞建国志宏海波晓东春梅俊峰文斌浩宇子涵欣怡雪梅金凤德胜永福";

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        int Int(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var (rows, iterations, warmup) = (Int("--rows", 100_000), Int("--iterations", 200), Int("--warmup", 20));
        Console.WriteLine($"MineGuard cases benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores: " +
            $"{rows:N0} cases, {rows * 3:N0} parties, {rows * 10:N0} evidence items in province {Province}");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);

        var seed = Stopwatch.StartNew();
        var (counties, name, plate) = await BenchProgram.WithDbAsync(app, null, db => SeedAsync(db, rows));
        if (postgresServer is not null) await BenchProgram.WithDbAsync(app, null, db => db.Database.ExecuteSqlRawAsync("ANALYZE"));
        Console.WriteLine($"generated and inserted in {seed.Elapsed.TotalSeconds:F1} s over {counties} counties; searching 嵩县 for {name} and {plate}");

        using var office = await app.LoginAsync("sx-office");
        var results = new List<(string Name, int Rows, Stats Http, Stats Sql, string Load)>();
        async Task MeasureAsync(string label, string url, Func<Task<int>> sql)
        {
            var load = Load();
            var count = 0;
            var (http, db) = await BenchProgram.MeasureAsync(warmup, iterations, async () => count = await TotalAsync(office, url), sql);
            results.Add((label, count, http, db, $"{load} → {Load()}"));
        }
        await MeasureAsync("search by party name", "/api/cases?q=" + Uri.EscapeDataString(name), () => SearchSqlAsync(app, name));
        await MeasureAsync("search by plate", "/api/cases?q=" + Uri.EscapeDataString(plate), () => SearchSqlAsync(app, plate));
        await MeasureAsync("county statistics", "/api/cases/stats?division=" + County, () => StatsSqlAsync(app));

        var pdf = await DecisionPdfAsync(app, office, Math.Max(10, iterations / 10));

        Console.WriteLine();
        Console.WriteLine($"{iterations} timed requests after {warmup} warm-up, alternating HTTP and SQL; ms (goal: HTTP p99 < 100)");
        Console.WriteLine($"{"query",-24} {"rows",5} | {"HTTP p50",8} {"p99",7} | {"SQL p50",7} {"p99",7} | {"ratio p99",9} | load average (1 min) before → after");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-24} {r.Rows,5} | {r.Http.Median,8:F2} {r.Http.P99,7:F2} | {r.Sql.Median,7:F2} {r.Sql.P99,7:F2} | {r.Http.P99 / r.Sql.P99,9:F1} | {r.Load}"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"行政处罚决定书 PDF over HTTP, {pdf.Count} prints alternating with the case's JSON detail (goal: < 1,000 ms): PDF p50 {pdf.Pdf.Median:F1} p99 {pdf.Pdf.P99:F1} ms, " +
            $"detail p50 {pdf.Detail.Median:F1} p99 {pdf.Detail.P99:F1} ms, ratio p99 {pdf.Pdf.P99 / pdf.Detail.P99:F1}; {pdf.Bytes:N0} bytes; load {pdf.Load}"));
        return 0;
    }

    /// <summary>
    /// A decided case of 嵩县 filed through the API (two officers, a party, a seizure, notice and decision), then its
    /// 行政处罚决定书 printed again and again, each print timed beside a read of the case's detail.
    /// </summary>
    private static async Task<(int Count, Stats Pdf, Stats Detail, long Bytes, string Load)> DecisionPdfAsync(BenchApp app, HttpClient office, int count)
    {
        static async Task<System.Text.Json.JsonElement> OkAsync(Task<HttpResponseMessage> call)
        {
            var r = await call;
            var body = await r.Content.ReadAsStringAsync();
            if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)r.StatusCode} {body}");
            return System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(body);
        }
        var officers = await BenchProgram.WithDbAsync(app, null, db => db.Users.Where(u => u.DivisionCode == County && u.DepartmentCode == "natural-resources")
            .OrderBy(u => u.UserName).Select(u => u.Id).Take(2).ToListAsync());
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = await OkAsync(office.PostAsJsonAsync("/api/cases", new
        {
            type = "unlicensed", title = "基准测试：后山盗采金矿", divisionCode = "410325400", departmentCode = "natural-resources", officerIds = officers,
            sourceNote = "基准测试", filedOn = Day(today.AddDays(-30)),
        }));
        var id = created.GetProperty("id").GetGuid();
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/parties", new { kind = "person", name = "王某某", role = "实际控制人" }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/seizures", new
        {
            kind = "ore", description = "金矿石", weight = 2300, unit = "kg", valueYuan = 46000, valuedBy = "价格认定", storagePlace = "县局仓库", keeper = "王敏",
        }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/notice", new { noticeOn = Day(today.AddDays(-20)), text = "拟没收矿产品并处罚款 80000 元" }));
        await OkAsync(office.PostAsJsonAsync($"/api/cases/{id}/decision", new { decidedOn = Day(today.AddDays(-5)), text = "没收矿产品，罚款 80000 元", fineYuan = 80000 }));
        var url = $"/api/cases/{id}/documents/penalty-decision.pdf";
        var bytes = (await office.GetByteArrayAsync(url)).LongLength;
        var load = Load();
        var (pdf, detail) = await BenchProgram.MeasureAsync(2, count, () => office.GetByteArrayAsync(url),
            () => office.GetByteArrayAsync($"/api/cases/{id}"));
        return (count, pdf, detail, bytes, $"{load} → {Load()}");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>What a figure or a list answered: a list's total, or the statistics' 案件总数 (its first row, first column).</summary>
    private static async Task<int> TotalAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.TryGetProperty("total", out var total) ? total.GetInt32() : (int)json.GetProperty("rows")[0].GetProperty("values")[0].GetDouble();
    }

    /// <summary>
    /// The cases, spread over the province's counties (round robin, a random township), of every type and stage with the
    /// stage's own facts (a fine, a transfer and the police's answer); three persons each (a name from 100 surnames and
    /// two given characters, the last four of an ID number), ten evidence items (one in ten naming a person), a seizure
    /// on seven in ten (ore, or a vehicle with its own plate). Returns a name and a plate of a 嵩县 case to search for.
    /// </summary>
    internal static async Task<(int Counties, string Name, string Plate)> SeedAsync(AppDbContext db, int total)
    {
        var random = new Random(14);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var divisions = await db.Divisions.AsNoTracking().Where(d => d.Code.StartsWith(Province) && (d.Level == DivisionLevel.County || d.Level == DivisionLevel.Township))
            .Select(d => new { d.Code, d.Level, d.ParentCode }).ToListAsync();
        var counties = divisions.Where(d => d.Level == DivisionLevel.County).Select(d => d.Code).Order(StringComparer.Ordinal).ToList();
        var townships = divisions.Where(d => d.Level == DivisionLevel.Township).GroupBy(d => d.ParentCode!).ToDictionary(g => g.Key, g => g.Select(d => d.Code).ToArray());
        var types = CaseTypes.Names.Keys.ToArray();
        var stages = Enum.GetValues<CaseStage>();
        var seq = new Dictionary<string, int>();
        string? name = null, plate = null;
        var batch = new List<object>();
        for (var i = 0; i < total; i++)
        {
            var county = counties[i % counties.Count];
            var division = townships.TryGetValue(county, out var t) ? t[random.Next(t.Length)] : county;
            var filedOn = today.AddDays(-random.Next(0, 700));
            var n = seq[county] = seq.GetValueOrDefault(county, 1000) + 1; // after the demo cases' numbers
            var c = Case.File(division, filedOn.Year, n, $"B{county}〔{filedOn.Year}〕{n}号", types[random.Next(types.Length)], $"基准案件 {i}", null,
                "natural-resources", "superior", "基准数据", null, filedOn, null, now.AddDays(-(today.DayNumber - filedOn.DayNumber)));
            Advance(c, stages[random.Next(stages.Length)], filedOn, now, random);
            batch.Add(c);
            for (var p = 0; p < 3; p++)
            {
                var person = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)] + Given[random.Next(Given.Length)];
                batch.Add(CaseParty.Person(c, person, null, null, null, random.Next(0, 10000).ToString("D4", CultureInfo.InvariantCulture), "当事人", now));
                if (county == County && name is null && i > total / 2) name = person;
            }
            for (var e = 0; e < 10; e++)
                batch.Add(CaseEvidence.Create(c, $"证据 {e + 1}", "执法人员", now, "现场", random.Next(10) == 0 ? "某某" : null, now));
            var roll = random.Next(10);
            if (roll < 4)
                batch.Add(CaseSeizure.Create(c, "ore", "矿石", random.Next(100, 50_000), random.Next(1_000, 500_000), "价格认定", null, null, "仓库", "保管员", null, now));
            else if (roll < 7)
            {
                var p = $"豫{(char)('A' + (i % 20))}{i:D5}";
                batch.Add(CaseSeizure.Create(c, "vehicle", "货车", null, null, null, p, 1, "停车场", "保管员", null, now));
                if (county == County && plate is null && i > total / 2) plate = p;
            }
            if (batch.Count >= 50_000)
            {
                await FlushAsync(db, batch);
                batch.Clear();
            }
        }
        await FlushAsync(db, batch);
        return (counties.Count, name ?? "王伟", plate ?? "豫A00000");
    }

    /// <summary>Takes a filed case to <paramref name="stage"/> through the entity's own steps, with the stage's facts.</summary>
    private static void Advance(Case c, CaseStage stage, DateOnly filedOn, DateTime now, Random random)
    {
        if (stage is CaseStage.Investigation) return;
        if (stage is >= CaseStage.TransferReported)
        {
            c.ReportTransfer(now);
            c.OnStage(CaseStage.TransferReported, null);
            if (stage == CaseStage.TransferReported) return;
            c.DecideTransfer(true, "负责人", null, now);
            c.OnStage(CaseStage.TransferApproved, null);
            if (stage == CaseStage.TransferApproved) return;
            c.HandOver("县公安局", "transfer-letter,investigation-report,evidence-list,valuation-report", now);
            c.OnStage(CaseStage.Transferred, null);
            c.Receipt("回执", now);
            if (stage == CaseStage.Transferred) return;
            c.PoliceDecide(random.Next(3) == 0 ? "refused" : "accepted", "公安案号", now);
            c.OnStage(CaseStage.PoliceDecided, null);
            if (stage == CaseStage.PoliceDecided || c.PoliceDecision != "refused") return;
            c.Appeal(now);
            c.OnStage(CaseStage.Appealed, null);
            return;
        }
        c.Notice(filedOn, filedOn.AddDays(5), "告知");
        c.OnStage(CaseStage.PenaltyNotice, null);
        if (stage == CaseStage.PenaltyNotice) return;
        c.Decide(filedOn.AddDays(random.Next(6, 80)), "决定", random.Next(1, 100) * 1000);
        c.OnStage(CaseStage.Decision, null);
        if (stage == CaseStage.Decision) return;
        c.Execute(c.DecisionOn!.Value, "已缴纳");
        c.OnStage(CaseStage.Execution, null);
        if (stage == CaseStage.Execution) return;
        c.Close(now);
        c.OnStage(CaseStage.Closed, null);
    }

    private static async Task FlushAsync(AppDbContext db, List<object> rows)
    {
        if (rows.Count == 0) return;
        await SpineBench.InsertAsync(db, rows);
    }

    // The hand-written SQL of the same questions: the county's cases (the office sees every department's), the keyword on
    // the same columns, the total and the first page of 50 newest first; the statistics' groups and the ore sums.
    private static Task<int> SearchSqlAsync(BenchApp app, string q) => SpineBench.SqlCountAsync(app, """
        SELECT count(*) FROM "Cases" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi AND (c."Number" LIKE @p OR c."Title" LIKE @p
          OR EXISTS (SELECT 1 FROM "CaseParties" x WHERE x."CaseId" = c."Id" AND (x."Name" LIKE @p OR x."IdNumberLast4" = @q))
          OR EXISTS (SELECT 1 FROM "CaseSeizures" s WHERE s."CaseId" = c."Id" AND s."Plate" LIKE @p)
          OR EXISTS (SELECT 1 FROM "CaseLinks" l JOIN "Adits" a ON a."Id" = l."TargetId" WHERE l."CaseId" = c."Id" AND l."Kind" = 'adit' AND a."Number" LIKE @p))
        UNION ALL
        SELECT 0 * count(*) FROM (SELECT c."Id" FROM "Cases" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi AND (c."Number" LIKE @p OR c."Title" LIKE @p
          OR EXISTS (SELECT 1 FROM "CaseParties" x WHERE x."CaseId" = c."Id" AND (x."Name" LIKE @p OR x."IdNumberLast4" = @q))
          OR EXISTS (SELECT 1 FROM "CaseSeizures" s WHERE s."CaseId" = c."Id" AND s."Plate" LIKE @p)
          OR EXISTS (SELECT 1 FROM "CaseLinks" l JOIN "Adits" a ON a."Id" = l."TargetId" WHERE l."CaseId" = c."Id" AND l."Kind" = 'adit' AND a."Number" LIKE @p))
          ORDER BY c."FiledUtc" DESC, c."Id" LIMIT 50) page
        """, ("lo", County), ("hi", County + "~"), ("p", "%" + q + "%"), ("q", q));

    private static Task<int> StatsSqlAsync(BenchApp app) => SpineBench.SqlCountAsync(app, """
        SELECT sum(n) FROM (
          SELECT c."Type", c."Stage", count(*) AS n,
            sum(CASE WHEN c."HandedOverUtc" IS NOT NULL THEN 1 ELSE 0 END) AS transferred,
            sum(CASE WHEN c."PoliceDecision" = 'accepted' THEN 1 ELSE 0 END) AS accepted,
            sum(CASE WHEN c."PoliceDecision" = 'refused' THEN 1 ELSE 0 END) AS refused,
            sum(CASE WHEN c."AppealedUtc" IS NOT NULL THEN 1 ELSE 0 END) AS appealed,
            sum(CASE WHEN c."DecisionOn" IS NOT NULL AND c."FineYuan" IS NOT NULL THEN c."FineYuan" ELSE 0 END) AS fined,
            sum(CASE WHEN c."ExecutedOn" IS NOT NULL AND c."FineYuan" IS NOT NULL THEN c."FineYuan" ELSE 0 END) AS paid
          FROM "Cases" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi GROUP BY c."Type", c."Stage") g
        UNION ALL
        SELECT 0 * count(*) FROM (
          SELECT sum(s."WeightKg") AS kg, sum(s."ValueYuan") AS yuan FROM "CaseSeizures" s
          WHERE s."Kind" = 'ore' AND s."CaseId" IN (SELECT c."Id" FROM "Cases" c WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi)) o
        """, ("lo", County), ("hi", County + "~"));
}
