using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Features.Tips;
using MineGuard.Platform.Files;
using MineGuard.Platform.Hosting;
using Npgsql;

// Times durable tip submissions: N posts of the public /report form, each with its own 1 MB photo, C at a time, over
// HTTP against the real app on Kestrel (proof-of-work solved beforehand, as the phone's script would, and each post
// from its own address, as villagers are); then the same rows (tip, stored photo, attachment, audit) inserted directly
// through the app's DbContext, the same C at a time, as the baseline. On SQLite, and on PostgreSQL when
// MINEGUARD_BENCH_POSTGRES holds a connection string.
//   dotnet run -c Release --project bench/MineGuard.TipsBench [-- --tips 200 --concurrency 8] [--engines sqlite,postgres]
var tips = Option("--tips", 200);
var concurrency = Option("--concurrency", 8);
var engines = BenchDatabase.Engines(args);
Console.WriteLine($"MineGuard tip submission benchmark: {tips} tips with a 1 MB photo, {concurrency} concurrent, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

var results = new List<string>();
foreach (var engine in engines)
{
    var (connectionString, drop) = await BenchDatabase.CreateAsync(engine, "tipsbench");
    try
    {
        await using var app = Host(engine, connectionString);
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        var bits = app.Services.GetRequiredService<PublicGuard>().PowBits;

        // Unmeasured: challenges fetched and solved (the phone's work), photos made, one warm-up post.
        var challenges = new List<(string Challenge, string Nonce)>();
        for (var i = 0; i < tips + 1; i++)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/report");
            get.Headers.Add("X-Forwarded-For", Address(100_000 + i));
            using var page = await http.SendAsync(get);
            var html = await page.Content.ReadAsStringAsync();
            if (page.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {baseUrl}/report: {(int)page.StatusCode}");
            var challenge = Regex.Match(html, "data-pow=\"([^\"]+)\"").Groups[1].Value;
            challenges.Add((challenge, PublicGuard.Solve(challenge, bits)));
        }
        var photos = Enumerable.Range(0, tips + 1).Select(Photo).ToList();
        await PostAsync(http, challenges[tips], photos[tips], Address(99_999), "warm-up");

        // Baseline rows: the same tip, photo and attachment; receipt hashes made beforehand (their cost is shown apart).
        var receipts = app.Services.GetRequiredService<ReceiptCodes>();
        var hashes = Enumerable.Range(0, tips).Select(_ => receipts.Create().Stored).ToList();
        var directPhotos = Enumerable.Range(tips + 1, tips).Select(Photo).ToList();

        // The two paths alternate in rounds, so both meet the same database size and the same background load.
        var before = await CountAsync(app);
        var httpRuns = new List<Run>();
        var directRuns = new List<Run>();
        const int rounds = 4;
        var per = tips / rounds;
        for (var r = 0; r < rounds; r++)
        {
            var from = r * per;
            var count = r == rounds - 1 ? tips - from : per;
            directRuns.Add(await RunAsync(count, concurrency, i => InsertAsync(app, hashes[from + i], directPhotos[from + i], $"bench direct {from + i}")));
            httpRuns.Add(await RunAsync(count, concurrency, i => PostAsync(http, challenges[from + i], photos[from + i], Address(from + i), $"bench http {from + i}")));
        }
        var httpRun = Run.Combine(httpRuns);
        var directRun = Run.Combine(directRuns);
        var afterDirect = await CountAsync(app);
        if (afterDirect.Tips - before.Tips != 2 * tips || afterDirect.Attachments - before.Attachments != 2 * tips)
            throw new InvalidOperationException($"stored {afterDirect.Tips - before.Tips} tips / {afterDirect.Attachments - before.Attachments} photos, expected {2 * tips}");

        var pbkdf2 = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++) receipts.Create();
        var hashMs = pbkdf2.Elapsed.TotalMilliseconds / 5;

        results.Add(Line(engine, "HTTP /report (form + photo)", httpRun, httpRun.PerSecond / directRun.PerSecond, directRun));
        results.Add(Line(engine, "direct insert (baseline)", directRun, 1, directRun));
        var scheme = receipts.Iterations == 0 ? "salted SHA-256" : $"PBKDF2-SHA256, {receipts.Iterations:N0} iterations";
        results.Add($"{engine,-9} receipt hash ({scheme}): {hashMs:F3} ms per submission; " +
                    $"stored: {afterDirect.Tips - before.Tips} tips, {afterDirect.Attachments - before.Attachments} photos");
        await app.StopAsync();
    }
    finally
    {
        await drop();
    }
}
Console.WriteLine();
Console.WriteLine($"{"engine",-9} {"path",-30} {"tips/s",8} {"p50 ms",8} {"p99 ms",8} {"vs direct",10}");
foreach (var line in results) Console.WriteLine(line);
return 0;

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

static string Line(string engine, string path, Run run, double ratio, Run baseline) =>
    $"{engine,-9} {path,-30} {run.PerSecond,8:F1} {run.P50,8:F0} {run.P99,8:F0} {ratio,9:F2}x" +
    (run == baseline ? "" : $"  (p99 {run.P99 / baseline.P99:F1}x the direct p99)");

static string Address(int i) => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";

// A 1 MB photo, different for every tipster (no shared storage): a real 1×1 JPEG carrying 1 MB of seeded random
// bytes in comment segments, as a phone's photo carries metadata (the server must read it as an image, then re-encodes it).
static byte[] Photo(int seed)
{
    var tiny = Convert.FromBase64String("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");
    var random = new Random(seed);
    var photo = new List<byte>(1024 * 1024 + tiny.Length) { 0xFF, 0xD8 };
    for (var left = 1024 * 1024; left > 0; left -= 60_000)
    {
        var chunk = new byte[Math.Min(60_000, left)];
        random.NextBytes(chunk);
        photo.AddRange([0xFF, 0xFE, (byte)((chunk.Length + 2) >> 8), (byte)((chunk.Length + 2) & 0xFF), .. chunk]);
    }
    photo.AddRange(tiny.Skip(2));
    return [.. photo];
}

static async Task PostAsync(HttpClient http, (string Challenge, string Nonce) pow, byte[] photo, string source, string text)
{
    using var form = new MultipartFormDataContent
    {
        { new StringContent("431281101"), "Input.DivisionCode" },
        { new StringContent("digging"), "Input.Kinds" },
        { new StringContent(text), "Input.Description" },
        { new StringContent("黔城镇某村后山"), "Input.Place" },
        { new StringContent(pow.Challenge), "Input.Pow" },
        { new StringContent(pow.Nonce), "Input.Nonce" },
        { new ByteArrayContent(photo), "Files", "photo.jpg" },
    };
    using var request = new HttpRequestMessage(HttpMethod.Post, "/report") { Content = form };
    request.Headers.Add("X-Forwarded-For", source);
    using var response = await http.SendAsync(request);
    var html = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK || !html.Contains("id=\"receipt-code\"", StringComparison.Ordinal))
        throw new InvalidOperationException($"submission refused: {(int)response.StatusCode} {response.Headers} {response.Content.Headers} {html[..Math.Min(html.Length, 2000)]}");
}

static async Task InsertAsync(WebApplication app, ReceiptHash receipt, byte[] photo, string text)
{
    using var scope = app.Services.CreateScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    db.CurrentUser.ActAsSystem("bench");
    var now = db.Clock.GetUtcNow().UtcDateTime;
    var tip = Tip.Receive("431281101", "431281", TipChannel.Web, ["digging"], text, "黔城镇某村后山", null, null, null, receipt, null, now);
    db.Add(tip);
    var fileId = await db.StoreAsync(photo, "image/jpeg", "tip.jpg", default);
    db.Add(TipAttachment.Create(tip.Id, fileId, "image/jpeg", photo.Length, null, null, null));
    await db.SaveChangesAsync();
}

static async Task<Run> RunAsync(int count, int concurrency, Func<int, Task> one)
{
    var latencies = new ConcurrentBag<double>();
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var t = Stopwatch.StartNew();
            await one(i);
            latencies.Add(t.Elapsed.TotalMilliseconds);
        }
    })));
    return new Run(count, clock.Elapsed.TotalSeconds, [.. latencies]);
}

static async Task<(int Tips, int Attachments)> CountAsync(WebApplication app)
{
    using var scope = app.Services.CreateScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    db.CurrentUser.ActAsSystem("bench");
    return (await db.Set<Tip>().CountAsync(), await db.Set<TipAttachment>().CountAsync());
}

static WebApplication Host(string engine, string connectionString)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = engine == "postgres" ? "Postgres" : "Sqlite",
        [engine == "postgres" ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"] = connectionString,
        ["Demo:Enabled"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Urls"] = "http://127.0.0.1:0",
    });
    builder.Configuration.AddInMemoryCollection(BenchDatabase.OwnAuditFiles());
    builder.AddMineGuard();
    // The app's Razor pages live in MineGuard.dll; this executable is the entry assembly, so name it as a part.
    builder.Services.AddRazorPages().AddApplicationPart(typeof(TipSubmission).Assembly);
    var app = builder.Build();
    app.UseMineGuard();
    return app;
}

internal sealed record Run(int Count, double Seconds, double[] Latencies)
{
    public double PerSecond => Count / Seconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    private double Percentile(double p)
    {
        var sorted = Latencies.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * p) - 1, 0, sorted.Count - 1)];
    }

    public static Run Combine(IReadOnlyList<Run> runs) => new(runs.Sum(r => r.Count), runs.Sum(r => r.Seconds), [.. runs.SelectMany(r => r.Latencies)]);
}
