using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Features.Assignments;
using MineGuard.Features.Clues;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;
using Npgsql;

namespace MineGuard.Bench;

/// <summary>
/// Issue 12's load ("who answers, by when" at a province's size): adits, persons, open assignments and clues on the clock,
/// some overdue. Prints (1) the escalation job's rounds over everything due, against a hand-written set-based UPDATE that
/// claims the same deadlines (rolled back); (2) one person's inbox and (3) one county's overdue lists over HTTP, each
/// against hand-written SQL of the same query on the same connection string, timed alternately.
/// dotnet run -c Release --project bench/MineGuard.Bench -- spine [--adits 100000 --persons 200000 --open 500000
///   --overdue 20000 --iterations 200 --warmup 20]
/// </summary>
public static class SpineBench
{
    private const string City = "4103";
    private const string County = "410325";

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        var o = SpineOptions.Parse(args);
        Console.WriteLine($"MineGuard spine benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores: " +
            $"{o.Adits:N0} adits, {o.Persons:N0} persons, {o.Open:N0} open assignments and clues of which {o.Overdue:N0} overdue");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);
        // The hosted clock would start escalating the overdue set while the lists are timed; the round is timed below.
        var job = app.Services.GetRequiredService<DeadlineJob>();
        await job.StopAsync(CancellationToken.None);
        // The SMS outbox is delivered apart from the escalation (at the gateway's pace); it is not part of the timed round.
        await app.Services.GetRequiredService<MineGuard.Platform.Notifications.SmsSender>().StopAsync(CancellationToken.None);

        var seed = Stopwatch.StartNew();
        await BenchProgram.WithDbAsync(app, null, db => AditGenerator.InsertAsync(db, City, o.Adits, seed: 2026));
        var (inboxUser, townships) = await BenchProgram.WithDbAsync(app, null, db => SeedSpineAsync(db, o));
        // Bulk-loaded tables have no planner statistics until autovacuum gets to them; a running system has them.
        if (postgresServer is not null) await BenchProgram.WithDbAsync(app, null, db => db.Database.ExecuteSqlRawAsync("ANALYZE"));
        Console.WriteLine($"data generated and inserted in {seed.Elapsed.TotalSeconds:F1} s ({townships} townships of Luoyang; statistics analysed)");

        var today = await BenchProgram.WithDbAsync(app, null, db => Task.FromResult(DateOnly.FromDateTime(ChinaTime.ToLocal(db.Clock.GetUtcNow().UtcDateTime))));
        using var resp = await app.LoginAsync("sx-resp");
        using var office = await app.LoginAsync("sx-office");
        var inbox = await MeasureAsync(o, () => GetAsync(resp, "/api/inbox"), () => InboxSqlAsync(app, inboxUser));
        var overdueAssignments = await MeasureAsync(o, () => GetAsync(office, "/api/assignments/overdue"), () => OverdueAssignmentsSqlAsync(app, today));
        var overdueClues = await MeasureAsync(o, () => GetAsync(office, "/api/clues/overdue"), () => OverdueCluesSqlAsync(app));

        // The escalation round: first the hand-written claim of every due deadline in one UPDATE (rolled back), then the job.
        var sqlClaim = await ClaimSqlAsync(app);
        var deadlineOptions = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeadlineOptions>>().Value;
        var round = Stopwatch.StartNew();
        var r = await job.RunRoundAsync(CancellationToken.None);
        var jobSeconds = round.Elapsed.TotalSeconds;
        var (escalated, closed) = (r.Escalated, r.Closed);
        var handled = escalated + closed;
        var finished = handled >= sqlClaim.Rows;

        Console.WriteLine();
        Console.WriteLine($"{o.Iterations} timed requests after {o.Warmup} warm-up, alternating HTTP and SQL; ms");
        Console.WriteLine($"{"query",-34} {"rows",5} | {"HTTP med",8} {"p99",7} | {"SQL med",7} {"p99",7} | {"ratio p99",9}");
        Print("inbox of one person (/api/inbox)", inbox);
        Print("county overdue assignments", overdueAssignments);
        Print("county overdue clues", overdueClues);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"escalation: {sqlClaim.Rows:N0} deadlines due; hand-written set-based claim UPDATE {sqlClaim.Ms:F0} ms (rolled back)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"escalation job: {handled:N0} handled ({escalated:N0} escalated, {closed:N0} closed) in {jobSeconds:F1} s, " +
            $"{handled / Math.Max(jobSeconds, 0.001):F0}/s (batches of {deadlineOptions.BatchSize:N0}, {(postgresServer is null ? 1 : deadlineOptions.Workers)} at a time)" +
            $"{(finished ? "" : $"; NOT FINISHED: {r.Failed} failed")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"job / SQL claim: {jobSeconds * 1000 / Math.Max(sqlClaim.Ms, 0.001):F0}x"));
        return 0;
    }

    internal static void Print(string name, (int Rows, Stats Http, Stats Sql) m) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34} {m.Rows,5} | {m.Http.Median,8:F2} {m.Http.P99,7:F2} | {m.Sql.Median,7:F2} {m.Sql.P99,7:F2} | {m.Http.P99 / m.Sql.P99,9:F1}"));

    /// <summary>
    /// Persons in every township of Luoyang; open clues (verifying, a named verifier) and assignments (a named person) on the
    /// clock; <c>overdue</c> of them past due; and 30 of each kind for the person record of 嵩县's demo 包保责任人 (sx-resp),
    /// whose inbox is timed. Seeded, so every run builds the same set.
    /// </summary>
    private static async Task<(Guid InboxUser, int Townships)> SeedSpineAsync(AppDbContext db, SpineOptions o)
    {
        var random = new Random(12);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToLocal(now));
        var townships = await db.Divisions.AsNoTracking().Where(d => d.Code.StartsWith(City) && d.Level == MineGuard.Platform.Jurisdiction.DivisionLevel.Township)
            .Select(d => d.Code).OrderBy(c => c).ToListAsync();
        var adits = await db.Adits().AsNoTracking().Select(a => new { a.Id, a.DivisionCode }).ToListAsync();
        var aditsByTownship = adits.GroupBy(a => a.DivisionCode.Length >= 9 ? a.DivisionCode[..9] : a.DivisionCode).ToDictionary(g => g.Key, g => g.Select(a => a.Id).ToList());
        var respUser = await db.Users.AsNoTracking().Where(u => u.UserName == "sx-resp").Select(u => new { u.Id, u.DivisionCode }).SingleAsync();

        var persons = new List<Person>(o.Persons);
        for (var i = 0; i < o.Persons; i++)
        {
            persons.Add(Person.Create(townships[random.Next(townships.Count)], $"责任人{i:D6}", $"13{random.Next(100_000_000, 999_999_999)}", "乡镇人民政府", "包村干部", null, null, now));
        }
        var mine = Person.Create(respUser.DivisionCode, "基准包保责任人", "13900000000", "乡镇人民政府", "网格员", null, respUser.Id, now);
        persons.Add(mine);
        await InsertAsync(db, persons.Cast<object>().ToList());

        var rows = new List<object>();
        var clueShare = 0.3;
        for (var i = 0; i < o.Open + 60; i++)
        {
            var forMe = i >= o.Open;
            var overdue = !forMe && i < o.Overdue;
            var person = forMe ? mine : persons[random.Next(o.Persons)];
            var division = person.DivisionCode;
            var township = division.Length >= 9 ? division[..9] : division;
            Guid? adit = aditsByTownship.TryGetValue(township, out var list) && list.Count > 0 ? list[random.Next(list.Count)] : null;
            var isClue = forMe ? i % 2 == 0 : random.NextDouble() < clueShare;
            var dueDay = overdue ? today.AddDays(-random.Next(1, 30)) : today.AddDays(random.Next(1, 60));
            var received = now.AddDays(-random.Next(30, 90));
            if (isClue)
            {
                var clue = Clue.Receive(division, adit, $"基准线索 {i}：群众反映有人夜间挖矿", null, received);
                var due = AssignmentDesk.EndOf(dueDay);
                clue.AssignVerifier(person.Id, due, received);
                rows.Add(clue);
                rows.Add(Deadline.Create(Clue.ClockSubject, clue.Id, division, null, due, AnswerLevel.Person, received));
            }
            else
            {
                var a = Assignment.Open(division, adit, "rectification", "bench", null, $"基准督办 {i}：回填封堵", null, "乡镇人民政府", person.Id, null, null,
                    dueDay, null, null, received);
                rows.Add(a);
                rows.Add(Deadline.Create(Assignment.ClockSubject, a.Id, division, null, AssignmentDesk.EndOf(dueDay), AnswerLevel.Person, received));
            }
            if (rows.Count >= 50_000)
            {
                await InsertAsync(db, rows);
                rows.Clear();
            }
        }
        await InsertAsync(db, rows);
        return (respUser.Id, townships.Count);
    }

    internal static async Task InsertAsync(AppDbContext db, IReadOnlyList<object> rows)
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.InsertAsync(rows, CancellationToken.None);
        await tx.CommitAsync();
    }

    private static async Task<int> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.ValueKind == System.Text.Json.JsonValueKind.Array
            ? json.GetArrayLength()
            : json.EnumerateObject().Sum(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Array ? p.Value.GetArrayLength() : 0);
    }

    // The hand-written SQL: the same rows the handlers read (scope, state, order, limit), without the views' names.
    // The inbox as an index-friendly UNION: given to the account, or to one of the account's person records.
    private static Task<int> InboxSqlAsync(BenchApp app, Guid user) => SqlCountAsync(app, """
        SELECT count(*) FROM (
          SELECT u."Id" FROM (
            SELECT a."Id", a."DueOn" FROM "Assignments" a WHERE a."Status" <> 1 AND a."ResponsibleUserId" = @me
            UNION
            SELECT a."Id", a."DueOn" FROM "Assignments" a JOIN "Persons" p ON p."Id" = a."ResponsiblePersonId"
            WHERE a."Status" <> 1 AND p."UserId" = @me) u
          ORDER BY u."DueOn" LIMIT 500) x
        UNION ALL
        SELECT count(*) FROM (
          SELECT c."Id" FROM "Clues" c JOIN "Persons" p ON p."Id" = c."VerifierPersonId"
          WHERE c."State" = 1 AND p."UserId" = @me
          ORDER BY c."VerifyDueUtc" LIMIT 500) y
        """, ("me", user));

    private static Task<int> OverdueAssignmentsSqlAsync(BenchApp app, DateOnly today) => SqlCountAsync(app, """
        SELECT count(*) FROM (
          SELECT a."Id" FROM "Assignments" a
          WHERE a."DivisionCode" >= @lo AND a."DivisionCode" < @hi AND a."Status" = 0 AND a."DueOn" < @today AND a."HiddenBelow" IS NULL
          ORDER BY a."DueOn" LIMIT 500) x
        """, ("lo", County), ("hi", County + "~"), ("today", today));

    private static Task<int> OverdueCluesSqlAsync(BenchApp app) => SqlCountAsync(app, """
        SELECT count(*) FROM (
          SELECT c."Id" FROM "Clues" c
          WHERE c."DivisionCode" >= @lo AND c."DivisionCode" < @hi AND c."State" = 1 AND c."VerifyDueUtc" < @now
          ORDER BY c."VerifyDueUtc" LIMIT 500) x
        """, ("lo", County), ("hi", County + "~"), ("now", DateTime.UtcNow));

    private static async Task<(int Rows, double Ms)> ClaimSqlAsync(BenchApp app)
    {
        await using var connection = Open(app);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            UPDATE "Deadlines" SET "EscalateAtUtc" = NULL, "Escalations" = "Escalations" + 1, "Level" = "Level" + 1
            WHERE "ClosedUtc" IS NULL AND "EscalateAtUtc" IS NOT NULL AND "EscalateAtUtc" <= @now
            """;
        Add(command, app, "now", DateTime.UtcNow);
        var start = Stopwatch.GetTimestamp();
        var rows = await command.ExecuteNonQueryAsync();
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await tx.RollbackAsync();
        return (rows, ms);
    }

    internal static async Task<int> SqlCountAsync(BenchApp app, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = Open(app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, app, name, value);
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) total += Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
        return total;
    }

    internal static DbConnection Open(BenchApp app) =>
        app.IsPostgres ? new NpgsqlConnection(app.ConnectionString) : new Microsoft.Data.Sqlite.SqliteConnection(app.ConnectionString);

    // Values as each engine stores them: SQLite keeps Guids as upper-case text, dates and times as ISO text.
    internal static void Add(DbCommand command, BenchApp app, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = app.IsPostgres ? value : value switch
        {
            Guid g => g.ToString().ToUpperInvariant(),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
            _ => value,
        };
        command.Parameters.Add(p);
    }

    /// <summary>The HTTP call and the SQL timed alternately (<see cref="BenchProgram.MeasureAsync(int, int, Func{Task}, Func{Task})"/>), with the rows HTTP answered.</summary>
    private static async Task<(int Rows, Stats Http, Stats Sql)> MeasureAsync(SpineOptions o, Func<Task<int>> http, Func<Task<int>> sql)
    {
        var rows = 0;
        var (a, b) = await BenchProgram.MeasureAsync(o.Warmup, o.Iterations, async () => rows = await http(), sql);
        return (rows, a, b);
    }
}

internal sealed record SpineOptions(int Adits, int Persons, int Open, int Overdue, int Iterations, int Warmup)
{
    public static SpineOptions Parse(string[] args)
    {
        int Int(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        return new SpineOptions(Int("--adits", 100_000), Int("--persons", 200_000), Int("--open", 500_000), Int("--overdue", 20_000),
            Int("--iterations", 200), Int("--warmup", 20));
    }
}
