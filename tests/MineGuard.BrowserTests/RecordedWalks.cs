using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MineGuard.Data;
using MineGuard.Features.Adits;

namespace MineGuard.BrowserTests;

/// <summary>Runs only when MINEGUARD_RECORD_WALKS names a directory (and Chromium is installed): it records fixtures, it tests nothing.</summary>
public sealed class RecordWalksFactAttribute : FactAttribute
{
    public const string Variable = "MINEGUARD_RECORD_WALKS";

    public override string? Skip
    {
        get => base.Skip ?? (!File.Exists(BrowserFactAttribute.Chromium) ? "Chromium not installed at /usr/bin/chromium"
            : string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) ? $"records walks only when {Variable}=<dir> is set" : null);
        set => base.Skip = value;
    }
}

/// <summary>
/// The recorder of issue 15's walk fixtures: the real field app in a phone-sized Chromium walks four patrols to an adit
/// from 300 m or more and checks in with a photo, while Chromium's geolocation override (the sensor emulation) is moved
/// every 1–5 s of the phone's clock with an error that wanders (first-order autoregressive, a few metres) and an
/// accuracy that varies. Every request the app sends to /api/field/* is written, in order, to one JSON file per walk in
/// the directory MINEGUARD_RECORD_WALKS names. What is real in a fixture is the app's own behaviour (its timing, the 5 s /
/// 5 m filter, chunks of 20, pause markers, request order, its photo and capture signature); the positions are emulated.
/// </summary>
public sealed class RecordedWalks(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>One step of a walk, in metres east/north of the adit.</summary>
    private abstract record Step;
    private sealed record Go(double X, double Y, double Speed) : Step;
    private sealed record Stand(double Seconds) : Step;
    private sealed record PauseButton(double Seconds) : Step;
    private sealed record LostSignal(double Seconds) : Step;
    private sealed record CheckIn : Step;

    private sealed record Walk(string Name, string Description, double Lon, (double X, double Y) Start, Step[] Steps, int Seed, double Tau, double Sigma);

    private static readonly Walk[] Walks =
    [
        new("forest-path", "林间小路：弯道多，中途停留两分钟看路，从西南约 1.1 公里走到矿硐签到，再走开一段", 112.0500, (-700, -900),
            [new Go(-620, -700, 1.0), new Go(-500, -640, 1.1), new Go(-420, -450, 0.9), new Go(-300, -380, 1.0), new Stand(120), new Go(-180, -250, 1.1),
             new Go(-150, -140, 0.9), new Go(-60, -120, 1.0), new Go(-20, -40, 0.8), new Go(3, -2, 0.7), new CheckIn(), new Go(40, 60, 1.0), new Go(120, 90, 1.1)],
            11, 60, 3.0),
        new("valley-road", "沟谷土路：沿沟底的路较直较快，精度较差（山谷遮挡），从北约 1.5 公里走到矿硐签到", 112.0620, (60, 1500),
            [new Go(80, 1300, 1.4), new Go(40, 1100, 1.35), new Go(70, 900, 1.4), new Go(20, 700, 1.3), new Go(40, 420, 1.4), new Go(20, 250, 1.3),
             new Go(25, 90, 1.35), new Go(-2, 3, 1.0), new CheckIn(), new Go(-30, -120, 1.3)], 23, 90, 4.5),
        new("lunch-pause", "午饭暂停：走到半路用APP的“暂停”按钮暂停 35 分钟吃午饭，再“继续”走到矿硐签到", 112.0740, (-1000, 200),
            [new Go(-800, 150, 1.2), new Go(-600, 180, 1.1), new Go(-400, 60, 1.0), new Go(-250, 60, 1.2), new Go(-200, 30, 1.0), new PauseButton(35 * 60),
             new Go(-100, 10, 1.1), new Go(2, 3, 0.9), new CheckIn(), new Go(60, -80, 1.1)], 37, 45, 2.5),
        new("lost-signal", "信号丢失：在沟里定位停止更新 3 分钟（位置不再变化），恢复后继续走到矿硐签到", 112.0860, (900, -700),
            [new Go(700, -600, 1.2), new Go(500, -450, 1.1), new Go(350, -300, 1.0), new Go(200, -200, 1.2), new Go(150, -120, 1.1), new LostSignal(180),
             new Go(60, -70, 1.0), new Go(-2, 2, 0.9), new CheckIn(), new Go(-90, 40, 1.2)], 41, 75, 3.5),
    ];

    [RecordWalksFact]
    public async Task Record_the_four_walks()
    {
        var dir = Environment.GetEnvironmentVariable(RecordWalksFactAttribute.Variable)!;
        Directory.CreateDirectory(dir);
        // Each walk shoots at another moment of the emulated camera's video: the same frame would be the same JPEG bytes,
        // which the reused-photo rule rightly calls one photo at two adits.
        for (var i = 0; i < Walks.Length; i++) await RecordAsync(Walks[i], dir, 0.5 + (1.7 * i));
    }

    private async Task RecordAsync(Walk walk, string dir, double videoSeconds)
    {
        const double aditLat = 34.0400;
        var (aditId, aditNumber, aditLon) = await SeedAsync(aditLat, walk.Lon);
        var random = new Random(walk.Seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var cos = Math.Cos(aditLat * Math.PI / 180);
        (double Lat, double Lon) ToLatLon(double x, double y) => (aditLat + (y / 111_320), aditLon + (x / (111_320 * cos)));

        // The phone's clock: started back by the walk's length, so it ends near the server's.
        var total = Duration(walk);
        var context = await app.NewContextAsync(new()
        {
            Locale = "zh-CN", ViewportSize = new() { Width = 400, Height = 800 }, IsMobile = true, HasTouch = true,
            Permissions = ["geolocation", "camera"], ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        // Chromium does not hand a Blob upload's bytes to Playwright: the photo's bytes are kept by a wrapper of fetch.
        await context.AddInitScriptAsync("""
            (() => {
              const send = window.fetch;
              window.__photoBodies = {};
              window.fetch = function (input, init) {
                if (init && init.body instanceof Blob && String(input).startsWith('/api/field/photos/')) {
                  const url = String(input);
                  init.body.arrayBuffer().then(b => {
                    let s = '';
                    for (const x of new Uint8Array(b)) s += String.fromCharCode(x);
                    window.__photoBodies[url] = btoa(s);
                  });
                }
                return send.apply(this, arguments);
              };
            })();
            """);
        var page = await context.NewPageAsync();
        await page.Clock.InstallAsync(new() { TimeDate = DateTime.UtcNow.AddSeconds(-total - 120) });
        var cdp = await context.NewCDPSessionAsync(page);
        var (x, y) = walk.Start;
        var (ex, ey) = (Gauss() * walk.Sigma, Gauss() * walk.Sigma);
        var accuracy = 8.0;
        async Task FixAsync(double dt)
        {
            // The error wanders: AR(1) with the walk's correlation time, plus a little white noise; accuracy drifts too.
            var phi = Math.Exp(-dt / walk.Tau);
            var drive = walk.Sigma * Math.Sqrt(1 - (phi * phi));
            (ex, ey) = ((phi * ex) + (drive * Gauss()), (phi * ey) + (drive * Gauss()));
            accuracy = Math.Clamp((0.9 * accuracy) + (0.1 * (walk.Sigma * 2.5)) + (Gauss() * 1.2), 3, 30);
            var (lat, lon) = ToLatLon(x + ex + (Gauss() * 0.3), y + ey + (Gauss() * 0.3));
            await cdp.SendAsync("Emulation.setGeolocationOverride", new Dictionary<string, object>
            {
                ["latitude"] = lat, ["longitude"] = lon, ["accuracy"] = Math.Round(accuracy, 1),
            });
            await page.WaitForTimeoutAsync(60);
        }

        double NextDt() => 1 + (random.NextDouble() * 4) + (random.Next(0, 1000) / 1000.0 * 0.05);
        async Task TickAsync(double dt) => await page.Clock.FastForwardAsync((long)Math.Round(dt * 1000));

        var requests = new List<JsonObject>();
        var byRequest = new Dictionary<IRequest, JsonObject>();
        page.Request += (_, r) =>
        {
            var url = new Uri(r.Url);
            if (!url.AbsolutePath.StartsWith("/api/field/", StringComparison.Ordinal)) return;
            var entry = new JsonObject { ["method"] = r.Method, ["url"] = url.PathAndQuery };
            if (r.Headers.TryGetValue("x-device-time", out var time)) entry["deviceTime"] = long.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
            if (r.Headers.TryGetValue("x-device-id", out var device)) entry["deviceId"] = device;
            if (r.Headers.TryGetValue("x-capture-signature", out var signature)) entry["captureSignature"] = signature;
            if (r.Headers.TryGetValue("content-type", out var type)) entry["contentType"] = type;
            var body = r.PostDataBuffer;
            if (body is { Length: > 0 })
            {
                if (type?.Contains("json", StringComparison.Ordinal) == true) entry["body"] = JsonNode.Parse(body);
                else entry["bodyBase64"] = Convert.ToBase64String(body);
            }

            lock (requests)
            {
                requests.Add(entry);
                byRequest[r] = entry;
            }
        };
        page.Response += (_, r) =>
        {
            lock (requests)
                if (byRequest.TryGetValue(r.Request, out var entry)) entry["status"] = r.Status;
        };

        // Standing at the start with a fix, log in; the app downloads the bundle with the adit.
        await FixAsync(1);
        await page.GotoAsync(app.BaseUrl + "/field");
        await page.GetByLabel("用户名").FillAsync("sx-patrol");
        await page.GetByLabel("密码").FillAsync(MineGuard.Features.Demo.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/field", new() { Timeout = 60_000 });
        await page.Locator("body[data-ready='true']").WaitForAsync();
        await Assertions.Expect(page.Locator("#bundle-info")).ToContainTextAsync("已下载");
        await page.Locator("#plan").SelectOptionAsync("");
        await page.Locator("#start").ClickAsync();
        await page.Locator("#patrol:not([hidden])").WaitForAsync();

        foreach (var step in walk.Steps)
        {
            switch (step)
            {
                case Go go:
                    while (true)
                    {
                        var dt = NextDt();
                        var (dx, dy) = (go.X - x, go.Y - y);
                        var left = Math.Sqrt((dx * dx) + (dy * dy));
                        // A pace that varies by stride and ground.
                        var stride = go.Speed * dt * (1 + (0.15 * Gauss()));
                        if (left <= stride) { (x, y) = (go.X, go.Y); }
                        else
                        {
                            var wobble = Gauss() * 0.12;
                            var heading = Math.Atan2(dy, dx) + wobble;
                            (x, y) = (x + (Math.Cos(heading) * stride), y + (Math.Sin(heading) * stride));
                        }

                        await TickAsync(dt);
                        await FixAsync(dt);
                        if (left <= stride) break;
                    }

                    break;
                case Stand stand:
                    for (double t = 0; t < stand.Seconds;)
                    {
                        var dt = NextDt();
                        t += dt;
                        await TickAsync(dt);
                        await FixAsync(dt);
                    }

                    break;
                case PauseButton pause:
                    await page.Locator("#pause").ClickAsync();
                    await Assertions.Expect(page.Locator("#pause")).ToHaveTextAsync("继续");
                    // Lunch where they stand: the phone still has fixes (the app drops them while paused).
                    for (double t = 0; t < pause.Seconds;)
                    {
                        var dt = 20 + (random.NextDouble() * 40);
                        t += dt;
                        await TickAsync(dt);
                        await FixAsync(dt);
                    }

                    await page.Locator("#pause").ClickAsync();
                    await Assertions.Expect(page.Locator("#pause")).ToHaveTextAsync("暂停");
                    break;
                case LostSignal lost:
                    // No fix updates at all: the position stands still while the clock runs.
                    for (double t = 0; t < lost.Seconds;)
                    {
                        var dt = Math.Min(10, lost.Seconds - t);
                        t += dt;
                        await TickAsync(dt);
                    }

                    // Moved on meanwhile (out of the ravine).
                    (x, y) = (x - 40, y + 30);
                    break;
                case CheckIn:
                    await FieldAppSteps.CheckInAsync(page, aditId, videoSeconds);
                    break;
            }
        }

        await page.Locator("#end").ClickAsync();
        await page.Locator("#confirm-dialog #confirm-ok").ClickAsync();
        await page.Locator("#home:not([hidden])").WaitForAsync();
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(500);

        var photos = await page.EvaluateAsync<Dictionary<string, string>>("() => window.__photoBodies");
        lock (requests)
            foreach (var entry in requests.Where(r => r["contentType"]?.GetValue<string>() == "image/jpeg"))
                entry["bodyBase64"] = photos[entry["url"]!.GetValue<string>()];
        JsonArray list;
        lock (requests) list = [.. requests.Select(r => (JsonNode)r.DeepClone())];
        var fixture = new JsonObject
        {
            ["walk"] = walk.Name,
            ["description"] = walk.Description,
            ["recordedUtc"] = DateTime.UtcNow.ToString("O"),
            ["errorModel"] = $"AR(1) correlation time {walk.Tau} s, sigma {walk.Sigma} m, white 0.3 m; fixes every 1–5 s of the phone's clock",
            ["adit"] = new JsonObject { ["id"] = aditId.ToString(), ["number"] = aditNumber, ["lat"] = aditLat, ["lon"] = aditLon },
            ["requests"] = list,
        };
        await File.WriteAllTextAsync(Path.Combine(dir, walk.Name + ".json"), fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        await context.CloseAsync();
    }

    private static double Duration(Walk walk)
    {
        var (x, y) = walk.Start;
        double total = 60;
        foreach (var step in walk.Steps)
        {
            switch (step)
            {
                case Go go:
                    total += Math.Sqrt(Math.Pow(go.X - x, 2) + Math.Pow(go.Y - y, 2)) / go.Speed;
                    (x, y) = (go.X, go.Y);
                    break;
                case Stand s: total += s.Seconds; break;
                case PauseButton p: total += p.Seconds; break;
                case LostSignal l: total += l.Seconds; break;
            }
        }

        return total;
    }

    private async Task<(Guid Id, string Number, double Lon)> SeedAsync(double lat, double lon)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.CurrentUser.ActAsSystem("test");
        var commands = scope.ServiceProvider.GetRequiredService<AditCommands>();
        var (adit, errors) = await commands.RegisterAsync(new AditInput
        {
            Name = "录制路线硐", County = "410325", Township = "陶村林场", Lon = lon.ToString("F5"), Lat = lat.ToString("F5"), Mineral = "金", Origin = "盗采点",
        }, CancellationToken.None);
        Assert.True(adit is not null, string.Join("；", errors.SelectMany(e => e.Value)));
        return (adit!.Id, adit.Number, adit.Lon);
    }
}
