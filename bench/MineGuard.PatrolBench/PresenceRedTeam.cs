using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;
using static MineGuard.PatrolBench.PresenceWalks;

namespace MineGuard.PatrolBench;

/// <summary>
/// The proof-of-presence red team (issue 15): labelled patrol days, honest ones in the conditions a phone meets and
/// fakes in every class of trick the issue names, sent through the real field API of the app in process at the times a
/// phone would send them, then scored from the verdicts the member's app reads back. Each patrol draws its own
/// parameters (pace, error model, interval, grid, shifts) so the score is not tuned to one set.
///   dotnet run -c Release --project bench/MineGuard.PatrolBench -- presence [--seed N] [--patrols N]
/// </summary>
public sealed partial class PresenceRedTeam
{
    public static readonly string[] HonestClasses =
        ["h-forest", "h-valley", "h-lunch-pause", "h-signal-gap", "h-clock-drift", "h-evening-near-home", "h-coarse-photo", "h-app-photo-no-exif"];

    public static readonly string[] FakeClasses =
    [
        "f-synthetic-legs", "f-regular-intervals", "f-coarse-grid", "f-constant-accuracy", "f-jump-hidden-by-accuracy",
        "f-replay", "f-copy-to-member", "f-no-approach", "f-exact-coordinate", "f-clock-set-back", "f-upload-shape",
        "f-night-near-home", "f-reencoded-photo", "f-gallery-no-exif", "f-two-members-one-phone", "f-clock-put-right",
    ];

    private const int WindowDays = 21;

    private readonly Random random;
    private readonly PresenceWalks walks;
    private readonly PresenceApp app;
    private readonly List<Member> members = [];
    private readonly HashSet<(int Member, int Day)> busy = [];
    private readonly List<Day> days = [];
    private readonly DateTime windowStart;
    private HttpClient office = null!;

    private PresenceRedTeam(PresenceApp app, int seed, DateTime windowStart)
    {
        this.app = app;
        random = new Random(seed);
        walks = new PresenceWalks(random);
        this.windowStart = windowStart;
    }

    public sealed record Member(int Index, string UserName, Guid TeamId, double HomeLat, double HomeLon)
    {
        public HttpClient Client { get; set; } = null!;
    }

    public sealed class Adit(double lat, double lon)
    {
        public Guid Id { get; set; }
        public double Lat { get; } = lat;
        public double Lon { get; } = lon;
    }

    public enum Send
    {
        Online,
        Offline,
        OneChunk,
    }

    /// <summary>One labelled patrol with one check-in, as the phone recorded it (device times in Unix ms).</summary>
    public sealed class Day
    {
        public required string Class { get; init; }
        public bool Fake => Class.StartsWith("f-", StringComparison.Ordinal);
        public required Member Member { get; init; }
        public required Adit Adit { get; init; }
        public Guid PatrolId { get; } = Guid.NewGuid();
        public Guid CheckInId { get; } = Guid.NewGuid();
        public List<Fix> Fixes { get; set; } = [];
        public List<(long From, long To)> Pauses { get; set; } = [];
        public long StartMs { get; set; }
        public long EndMs { get; set; }
        public Fix CheckIn { get; set; }
        public long PhotoMs { get; set; }
        public byte[] Photo { get; set; } = [];

        /// <summary>Device clock minus true time, in ms, when each request is sent.</summary>
        public long HeaderOffsetMs { get; set; }

        public Send Send { get; set; }

        /// <summary>True time (UTC) an offline or one-chunk upload is sent.</summary>
        public DateTime SendUtc { get; set; }

        /// <summary>Device time minus true time of the recorded times (a clock set back during the patrol).</summary>
        public long RecordShiftMs { get; set; }
    }

    public static async Task<int> RunAsync(int seed, int patrols)
    {
        var windowStart = DateTime.UtcNow.Date.AddDays(-WindowDays - 10);
        await using var app = PresenceApp.Start(new DateTimeOffset(windowStart.AddDays(-1)));
        var team = new PresenceRedTeam(app, seed, windowStart);
        Console.WriteLine($"MineGuard presence red team: seed {seed}, {patrols} patrols, window from {windowStart:yyyy-MM-dd}");
        await team.SetUpAsync(Math.Max(12, (patrols / 6) + 6));
        team.Generate(patrols);
        team.UpdatedApps();
        var failed = await team.SendAsync();
        var verdicts = await team.VerdictsAsync();
        Print(team.days, verdicts, failed);
        return 0;
    }

    private async Task SetUpAsync(int count)
    {
        var admin = await app.LoginAsync("sx-admin");
        office = await app.LoginAsync("sx-office");
        for (var i = 0; i < count; i++)
        {
            var name = $"rt{i:D3}" + Guid.NewGuid().ToString("N")[..6];
            var (homeLat, homeLon) = Spot();
            Ok(await admin.PostAsJsonAsync("/api/admin/users", new
            {
                userName = name, displayName = "红队" + i, password = MineGuard.Features.Demo.DemoData.Password, divisionCode = "410325400",
                departmentCode = "forestry", roles = new[] { "patrol" },
            }));
            var created = Ok(await office.PostAsJsonAsync("/api/patrol-teams", new
            {
                name = "红队巡查队" + name, kind = "林场巡查队", divisionCode = "410325400", areas = new[] { "410325400" },
                members = new[] { new { user = name, homeLat, homeLon } },
            }));
            var teamId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            members.Add(new Member(i, name, teamId, homeLat, homeLon) { Client = await app.LoginAsync(name) });
        }
    }

    private static HttpResponseMessage Ok(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? response
            : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");

    private readonly List<(double Lat, double Lon)> given = [];

    /// <summary>A random spot in 嵩县's 陶村林场 box, at least ~60 m from every other handed out.</summary>
    private (double Lat, double Lon) Spot()
    {
        while (true)
        {
            var spot = (Lat: 33.97 + (random.NextDouble() * 0.11), Lon: 111.97 + (random.NextDouble() * 0.11));
            if (given.Any(g => Math.Abs(g.Lat - spot.Lat) < 0.0006 && Math.Abs(g.Lon - spot.Lon) < 0.0007)) continue;
            given.Add(spot);
            return spot;
        }
    }

    private readonly List<Adit> adits = [];

    private Adit NewAdit((double Lat, double Lon)? at = null)
    {
        var spot = at ?? Spot();
        var adit = new Adit(Math.Round(spot.Lat, 7), Math.Round(spot.Lon, 7));
        adits.Add(adit);
        return adit;
    }

    private int FreeDay(Member m, int from, int to)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var d = random.Next(from, to);
            if (busy.Add((m.Index, d))) return d;
        }

        throw new InvalidOperationException("no free day");
    }

    private Member AnyMember() => members[random.Next(members.Count)];

    private DateTime LocalDayStart(int day) => ChinaTime.ToUtc(ChinaTime.ToLocal(windowStart).Date.AddDays(day));

    private void Generate(int patrols)
    {
        var honestCount = patrols / 2;
        var honest = new List<Day>();
        for (var i = 0; i < honestCount; i++)
        {
            var cls = HonestClasses[i % HonestClasses.Length];
            var m = AnyMember();
            var dayIndex = FreeDay(m, 0, WindowDays - 7);
            honest.Add(HonestDay(cls, m, dayIndex));
        }

        days.AddRange(honest);
        var fakeCount = patrols - honestCount;
        var originals = honest.Where(d => d.Class is "h-forest" or "h-valley" or "h-signal-gap" or "h-clock-drift").ToList();
        for (var i = 0; i < fakeCount; i++)
        {
            var cls = FakeClasses[i % FakeClasses.Length];
            days.Add(FakeDay(cls, originals));
        }
    }

    // ---------- honest ----------

    private Day HonestDay(string cls, Member m, int dayIndex)
    {
        var near = cls == "h-evening-near-home";
        var adit = near ? NewAdit(Around((m.HomeLat, m.HomeLon), walks.U(300, 1500))) : NewAdit();
        var localStart = near ? walks.U(17.3, 19.8) : walks.U(8, 14.5);
        var start = LocalDayStart(dayIndex).AddHours(localStart);
        var from = near ? Local(adit.Lat, adit.Lon, m.HomeLat, m.HomeLon) : Polar(walks.U(700, 2000));
        var day = new Day { Class = cls, Member = m, Adit = adit };
        var offset = cls == "h-clock-drift" ? (long)(walks.U(20, 240) * 1000 * (random.Next(2) == 0 ? -1 : 1)) : (long)(walks.U(-3, 3) * 1000);
        Walk(day, start, from, offset, cls == "h-valley", cls == "h-lunch-pause", cls == "h-signal-gap");
        day.HeaderOffsetMs = offset;
        if (cls == "h-coarse-photo")
        {
            var (lat, lon) = Around((adit.Lat, adit.Lon), walks.U(300, 1500));
            day.Photo = ExifJpeg.Create(ChinaTime.ToLocal(FromMs(day.PhotoMs - offset)), lon, lat, random.Next());
        }

        day.Send = random.NextDouble() < 0.4 ? Send.Offline : Send.Online;
        day.SendUtc = FromMs(day.EndMs - offset).AddHours(walks.U(0.3, 8));
        AppPhoto(day);
        return day;
    }

    private (double Lat, double Lon) Around((double Lat, double Lon) p, double metres)
    {
        var a = walks.U(0, 2 * Math.PI);
        return Offset(p.Lat, p.Lon, Math.Cos(a) * metres, Math.Sin(a) * metres);
    }

    private (double X, double Y) Polar(double metres)
    {
        var a = walks.U(0, 2 * Math.PI);
        return (Math.Cos(a) * metres, Math.Sin(a) * metres);
    }

    private static DateTime FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    private static long Ms(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeMilliseconds();

    /// <summary>
    /// An honest walk (in local metres around the adit) from <paramref name="from"/> to the adit's entrance, a while
    /// there with the check-in and a photo, and on; observed by a phone whose clock is <paramref name="offsetMs"/> off.
    /// </summary>
    private void Walk(Day day, DateTime startUtc, (double X, double Y) from, long offsetMs, bool valley, bool lunch, bool gaps,
        GpsError? error = null, bool appFilter = true)
    {
        var entrance = (walks.U(-10, 10), walks.U(-10, 10));
        var path = new List<(double X, double Y)> { from };
        var pace = walks.U(0.7, 1.4);
        var pauses = new List<(int From, int To)>();
        var gapList = new List<(int From, int To)>();
        if (lunch)
        {
            var mid = (from.X * walks.U(0.3, 0.6), from.Y * walks.U(0.3, 0.6));
            walks.WalkTo(path, mid, pace);
            var sit = path.Count;
            walks.Linger(path, (int)walks.U(30, 90) * 60, 2);
            pauses.Add((sit, path.Count));
        }

        walks.WalkTo(path, entrance, pace);
        var arrived = path.Count;
        walks.Linger(path, (int)walks.U(180, 600));
        var checkInAt = arrived + (int)walks.U(30, 120);
        walks.WalkTo(path, Polar(walks.U(300, 900)) is var (ox, oy) ? (ox + entrance.Item1, oy + entrance.Item2) : default, pace);
        if (gaps)
        {
            for (var g = 0; g < random.Next(1, 4); g++)
            {
                var at = random.Next(30, Math.Max(31, arrived - 500));
                gapList.Add((at, at + (int)walks.U(60, 420)));
            }
        }

        var startMs = Ms(startUtc) + offsetMs;
        var fixes = walks.Observe(path, day.Adit.Lat, day.Adit.Lon, startMs, error ?? walks.HonestError(),
            new PresenceWalks.Conditions(valley, [.. gapList, .. pauses], valley), appFilter);
        Finish(day, fixes, startMs, path.Count, checkInAt, pauses.Select(p => (startMs + (p.From * 1000L), startMs + (p.To * 1000L))).ToList());
    }

    private void Finish(Day day, List<Fix> fixes, long startMs, int seconds, int checkInSecond, List<(long, long)> pauses)
    {
        double ProofOfPresence(Fix f) => MineGuard.Features.Patrols.ProofOfPresence.Metres(f.Lat, f.Lon, day.Adit.Lat, day.Adit.Lon);
        day.Fixes = fixes;
        day.Pauses = pauses;
        day.StartMs = startMs;
        day.EndMs = startMs + (seconds * 1000L) + 2000;
        var atMs = startMs + (checkInSecond * 1000L) + random.Next(0, 900);
        var last = fixes.Last(f => f.T <= atMs);
        // The app shows distance and accuracy in red until both are within the rules (app.js renderDistance): a
        // member at the adit waits for a green fix, for up to five minutes.
        if (last.Acc > 30 || ProofOfPresence(last) > 40)
        {
            var green = fixes.FirstOrDefault(f => f.T > atMs && f.T < atMs + 300_000 && f.Acc <= 30 && ProofOfPresence(f) <= 40);
            if (green.T > 0) (last, atMs) = (green, green.T + random.Next(500, 3000));
        }

        day.CheckIn = last with { T = atMs };
        day.PhotoMs = atMs + (long)walks.U(10_000, 60_000);
        day.Photo = [.. ExifJpeg.Plain(), .. Guid.NewGuid().ToByteArray()];
    }

    // ---------- fakes ----------

    private Day FakeDay(string cls, List<Day> originals)
    {
        if (PhotoFake(cls) is { } photoFake) return photoFake;
        if (PhoneFake(cls) is { } onThePhone) return onThePhone;
        switch (cls)
        {
            case "f-replay":
            {
                var original = originals[random.Next(originals.Count)];
                var dayIndex = ReplayDay(original);
                var shift = Ms(LocalDayStart(dayIndex)) - Ms(LocalDayStart(DayOf(original))) + (long)(walks.U(-90, 90) * 60_000);
                var jitter = random.NextDouble() < 0.5 ? 0 : walks.U(0.05, 0.4);
                var day = new Day { Class = cls, Member = original.Member, Adit = original.Adit };
                CopyOf(day, original, shift, jitter, walks.U(0.5, 2));
                day.Send = random.NextDouble() < 0.5 ? Send.Online : Send.Offline;
                day.SendUtc = FromMs(day.EndMs).AddHours(walks.U(0.3, 6));
                return day;
            }
            case "f-copy-to-member":
            {
                var original = originals[random.Next(originals.Count)];
                var dayIndex = DayOf(original);
                Member m;
                do m = AnyMember(); while (m == original.Member || !busy.Add((m.Index, dayIndex)));
                var day = new Day { Class = cls, Member = m, Adit = original.Adit };
                CopyOf(day, original, (long)walks.U(0, 2000), walks.U(0, 0.8), walks.U(0.5, 3), checkInLater: (long)walks.U(5_000, 120_000));
                day.Send = Send.Offline;
                day.SendUtc = FromMs(original.EndMs - original.HeaderOffsetMs).AddHours(walks.U(8.5, 12));
                return day;
            }
        }

        var member = AnyMember();
        var index = FreeDay(member, 0, WindowDays);
        var near = cls == "f-night-near-home";
        var adit = near ? NewAdit(Around((member.HomeLat, member.HomeLon), walks.U(550, 1800))) : NewAdit();
        var fake = new Day { Class = cls, Member = member, Adit = adit, Send = random.NextDouble() < 0.5 ? Send.Online : Send.Offline };
        var localHour = near ? walks.U(21.2, 27.5) : walks.U(8, 14.5);
        var start = LocalDayStart(index).AddHours(localHour);
        var offset = (long)(walks.U(-3, 3) * 1000);
        fake.HeaderOffsetMs = offset;
        switch (cls)
        {
            case "f-synthetic-legs":
                Synthetic(fake, start, offset);
                break;
            case "f-regular-intervals":
            {
                Walk(fake, start, Polar(walks.U(700, 2000)), offset, false, false, false, appFilter: false);
                var step = random.Next(2, 11);
                var t0 = fake.Fixes[0].T;
                var regular = fake.Fixes.Where((f, i) => i % step == 0).Select((f, j) => f with { T = t0 + (j * step * 1000L) }).ToList();

                fake.Fixes = regular;
                fake.CheckIn = regular.Last(f => f.T <= fake.CheckIn.T) with { T = fake.CheckIn.T };
                break;
            }
            case "f-coarse-grid":
            {
                Walk(fake, start, Polar(walks.U(700, 2000)), offset, false, false, false);
                var grid = new[] { 1e-4, 5e-5, 2e-5, 1e-5 }[random.Next(4)];
                Fix Snap(Fix f) => f with { Lat = Math.Round(f.Lat / grid) * grid, Lon = Math.Round(f.Lon / grid) * grid };
                fake.Fixes = fake.Fixes.Select(Snap).ToList();
                fake.CheckIn = Snap(fake.CheckIn);
                break;
            }
            case "f-constant-accuracy":
            {
                Walk(fake, start, Polar(walks.U(700, 2000)), offset, false, false, false);
                var constant = random.NextDouble() < 0.6;
                var value = Math.Round(walks.U(3, 10), random.Next(0, 2));
                fake.Fixes = fake.Fixes.Select(f => f with { Acc = constant ? value : Math.Round(walks.U(0.3, 1.5), 2) }).ToList();
                fake.CheckIn = fake.CheckIn with { Acc = constant ? value : 1 };
                break;
            }
            case "f-jump-hidden-by-accuracy":
                Jump(fake, start, offset);
                break;
            case "f-no-approach":
                Walk(fake, start, Polar(walks.U(0, 40)), offset, false, false, false);
                break;
            case "f-exact-coordinate":
                Walk(fake, start, Polar(walks.U(700, 2000)), offset, false, false, false);
                fake.CheckIn = fake.CheckIn with { Lat = adit.Lat, Lon = adit.Lon };
                break;
            case "f-clock-set-back":
            {
                // Walked today with the phone's clock set back some days, put right before the upload.
                var back = (long)(walks.U(3.2, 7) * 86_400_000);
                var trueStart = start.AddMilliseconds(back);
                Walk(fake, trueStart, Polar(walks.U(700, 2000)), offset - back, false, false, false);
                fake.RecordShiftMs = -back;
                fake.Send = Send.Offline;
                fake.SendUtc = trueStart.AddHours(walks.U(1.5, 8));
                break;
            }
            case "f-upload-shape":
                Walk(fake, start, Polar(walks.U(700, 2000)), offset, false, false, false);
                fake.Send = Send.OneChunk;
                fake.SendUtc = start.AddDays(walks.U(2, 9));
                break;
            case "f-night-near-home":
                Walk(fake, start, Local(adit.Lat, adit.Lon, member.HomeLat, member.HomeLon), offset, false, false, false);
                break;
        }

        if (fake.SendUtc == default) fake.SendUtc = FromMs(fake.EndMs - offset).AddHours(walks.U(0.3, 6));
        return fake;
    }

    private int DayOf(Day d) => (int)Math.Floor((ChinaTime.ToLocal(FromMs(d.StartMs)).Date - ChinaTime.ToLocal(windowStart).Date).TotalDays);

    private int ReplayDay(Day original)
    {
        var from = DayOf(original) + 1;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var d = random.Next(from, Math.Min(WindowDays, from + 7));
            if (busy.Add((original.Member.Index, d))) return d;
        }

        return FreeDay(original.Member, from, WindowDays);
    }

    private void CopyOf(Day day, Day original, long shiftMs, double jitterMetres, double checkInMetres, long checkInLater = 0)
    {
        Fix Move(Fix f, double metres)
        {
            var (lat, lon) = Offset(f.Lat, f.Lon, walks.Gauss() * metres, walks.Gauss() * metres);
            return f with { Lat = metres == 0 ? f.Lat : lat, Lon = metres == 0 ? f.Lon : lon, T = f.T + shiftMs };
        }

        day.Fixes = original.Fixes.Select(f => Move(f, jitterMetres)).ToList();
        day.Pauses = original.Pauses.Select(p => (p.From + shiftMs, p.To + shiftMs)).ToList();
        day.StartMs = original.StartMs + shiftMs;
        day.EndMs = original.EndMs + shiftMs + checkInLater;
        day.CheckIn = Move(original.CheckIn, checkInMetres) with { T = original.CheckIn.T + shiftMs + checkInLater };
        day.PhotoMs = day.CheckIn.T + (long)walks.U(10_000, 60_000);
        day.Photo = [.. ExifJpeg.Plain(), .. Guid.NewGuid().ToByteArray()];
        day.HeaderOffsetMs = original.HeaderOffsetMs;
    }

    /// <summary>Straight legs at a constant speed with Gaussian noise, from a script or a mock-location app.</summary>
    private void Synthetic(Day day, DateTime startUtc, long offsetMs)
    {
        var legs = random.Next(1, 4);
        var points = new List<(double X, double Y)> { Polar(walks.U(700, 2000)) };
        for (var l = 1; l < legs; l++) points.Add((points[^1].X * walks.U(0.3, 0.7) + walks.U(-300, 300), points[^1].Y * walks.U(0.3, 0.7) + walks.U(-300, 300)));
        points.Add((walks.U(-5, 5), walks.U(-5, 5)));
        var speed = walks.U(0.8, 1.5);
        var path = new List<(double X, double Y)> { points[0] };
        for (var l = 1; l < points.Count; l++)
        {
            var (a, b) = (points[l - 1], points[l]);
            var length = Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2));
            var legSpeed = speed * (random.NextDouble() < 0.5 ? 1 : walks.U(0.8, 1.2));
            for (var s = 1; s <= length / legSpeed; s++)
                path.Add((a.X + ((b.X - a.X) * s * legSpeed / length), a.Y + ((b.Y - a.Y) * s * legSpeed / length)));
        }

        var arrived = path.Count;
        var linger = (int)walks.U(180, 600);
        for (var i = 0; i < linger; i++) path.Add(path[^1]);
        var end = Polar(walks.U(300, 900));
        for (var s = 1; s <= 400; s++) path.Add((path[arrived - 1].X + (end.X * s / 400), path[arrived - 1].Y + (end.Y * s / 400)));

        var noise = walks.U(1, 6);
        var viaApp = random.NextDouble() < 0.5;
        var step = viaApp ? 1 : random.Next(2, 11);
        var exactTimes = !viaApp && random.NextDouble() < 0.5;
        var baseAcc = walks.U(3, 10);
        var startMs = Ms(startUtc) + offsetMs;
        var fixes = new List<Fix>();
        (double X, double Y) last = (double.NaN, 0);
        long lastT = 0;
        for (var i = 0; i < path.Count; i += step)
        {
            var (x, y) = (path[i].X + (walks.Gauss() * noise), path[i].Y + (walks.Gauss() * noise));
            var t = startMs + (i * 1000L) + (exactTimes ? 0 : (long)walks.U(0, viaApp ? 250 : 900));
            if (viaApp && !double.IsNaN(last.X) && t - lastT < 5000 && Math.Sqrt(Math.Pow(x - last.X, 2) + Math.Pow(y - last.Y, 2)) < 5) continue;
            (last, lastT) = ((x, y), t);
            var (lat, lon) = Offset(day.Adit.Lat, day.Adit.Lon, x, y);
            fixes.Add(new Fix(lat, lon, Math.Round(baseAcc * walks.U(0.7, 1.4), 3), t));
        }

        Finish(day, fixes, startMs, path.Count, arrived + (int)walks.U(30, 120), []);
    }

    /// <summary>A real walk somewhere else, then a mock-location jump to the adit hidden by two fixes of huge accuracy.</summary>
    private void Jump(Day day, DateTime startUtc, long offsetMs)
    {
        var elsewhere = Polar(walks.U(2000, 6000));
        var path = new List<(double X, double Y)> { elsewhere };
        walks.Linger(path, 1, 0);
        walks.WalkTo(path, (elsewhere.X + walks.U(-400, 400), elsewhere.Y + walks.U(-400, 400)), walks.U(0.7, 1.3));
        var error = walks.HonestError();
        var startMs = Ms(startUtc) + offsetMs;
        var before = walks.Observe(path, day.Adit.Lat, day.Adit.Lon, startMs, error, new PresenceWalks.Conditions());
        var jumpAt = startMs + (path.Count * 1000L);
        var hidden = new List<Fix>();
        var spikes = random.Next(1, 3);
        for (var s = 0; s < spikes; s++)
        {
            var f = (s + 1.0) / (spikes + 1);
            var (lat, lon) = Offset(day.Adit.Lat, day.Adit.Lon, path[^1].X * (1 - f), path[^1].Y * (1 - f));
            hidden.Add(new Fix(lat, lon, Math.Round(walks.U(500, 3000), 1), jumpAt + (long)(walks.U(5, 30) * 1000 * (s + 1))));
        }

        var atAdit = new List<(double X, double Y)> { (walks.U(-8, 8), walks.U(-8, 8)) };
        walks.Linger(atAdit, (int)walks.U(240, 600));
        walks.WalkTo(atAdit, Polar(walks.U(100, 400)), walks.U(0.7, 1.3));
        var resumeMs = hidden[^1].T + (long)walks.U(5_000, 30_000);
        var after = walks.Observe(atAdit, day.Adit.Lat, day.Adit.Lon, resumeMs, error, new PresenceWalks.Conditions());
        var seconds = (int)((resumeMs - startMs) / 1000) + atAdit.Count;
        Finish(day, [.. before, .. hidden, .. after], startMs, seconds, (int)((resumeMs - startMs) / 1000) + (int)walks.U(30, 120), []);
    }

    // ---------- sending ----------

    private sealed record Request(DateTime Utc, Day Day, Func<long, HttpRequestMessage> Build, long? OffsetMs = null);

    private List<Request> Requests(Day day)
    {
        var list = new List<Request>();
        var shift = day.HeaderOffsetMs;
        DateTime True(long deviceMs) => FromMs(deviceMs - shift - day.RecordShiftMs);
        var online = day.Send == Send.Online;
        var at = online ? True(day.StartMs).AddSeconds(2) : day.SendUtc;
        var next = 0.0;
        var lastSent = at;
        // The app sends its outbox in order: each request after the one before.
        DateTime When(long deviceMs)
        {
            var candidate = online ? True(deviceMs).AddSeconds(walks.U(1, 20)) : day.SendUtc.AddSeconds(next += 0.5);
            lastSent = candidate > lastSent ? candidate : lastSent.AddMilliseconds(200);
            return lastSent;
        }
        var (teamId, patrolId) = (day.Member.TeamId, day.PatrolId);
        var startIso = FromMs(day.StartMs);
        list.Add(new Request(at, day, _ => Json($"/api/field/patrols/{patrolId}", new { teamId, startedAt = startIso })));
        list.Add(BundleFetch(day, True(day.StartMs)));

        var buffer = new List<Fix>();
        var seq = 0;
        var pendingPauses = new List<(long From, long To)>();
        var pauseQueue = new Queue<(long From, long To)>(day.Pauses.OrderBy(p => p.From));
        void Flush(long whenMs)
        {
            if (buffer.Count == 0 && pendingPauses.Count == 0) return;
            var (chunkId, s) = (Guid.NewGuid(), seq++);
            var points = buffer.Select(f => new[] { f.Lat, f.Lon, f.Acc, f.T }).ToList();
            var pauses = pendingPauses.Select(p => new[] { p.From, p.To }).ToList();
            object body = pauses.Count == 0 ? new { seq = s, points } : new { seq = s, points, pauses };
            list.Add(new Request(When(whenMs), day, _ => Json($"/api/field/patrols/{patrolId}/track/{chunkId}", body)));
            buffer.Clear();
            pendingPauses.Clear();
        }

        var checkInSent = false;
        foreach (var f in day.Fixes)
        {
            if (!checkInSent && f.T > day.CheckIn.T)
            {
                if (day.Send != Send.OneChunk) Flush(day.CheckIn.T);
                CheckIn(list, day, When(day.CheckIn.T), When(day.PhotoMs));
                checkInSent = true;
            }

            while (pauseQueue.Count > 0 && pauseQueue.Peek().To <= f.T)
            {
                if (day.Send != Send.OneChunk) Flush(pauseQueue.Peek().From);
                pendingPauses.Add(pauseQueue.Dequeue());
            }

            buffer.Add(f);
            if (day.Send != Send.OneChunk && buffer.Count >= 20) Flush(f.T);
        }

        Flush(day.EndMs);
        if (!checkInSent) CheckIn(list, day, When(day.CheckIn.T), When(day.PhotoMs));
        var endIso = FromMs(day.EndMs);
        list.Add(new Request(When(day.EndMs), day, _ => Json($"/api/field/patrols/{patrolId}", new { teamId, startedAt = startIso, endedAt = endIso })));
        return list;
    }

    private static void CheckIn(List<Request> list, Day day, DateTime at, DateTime photoAt)
    {
        var (patrolId, aditId, checkInId) = (day.PatrolId, day.Adit.Id, day.CheckInId);
        var c = day.CheckIn;
        list.Add(new Request(at, day, _ => Json($"/api/field/check-ins/{checkInId}", new
        {
            patrolId, aditId, at = FromMs(c.T), lat = c.Lat, lon = c.Lon, accuracy = c.Acc, answerFormat = 2,
            answers = new { sealBroken = false, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
        })));
        var (photoId, photo, takenMs) = (Guid.NewGuid(), day.Photo, day.PhotoMs);
        list.Add(new Request(photoAt > at ? photoAt : at.AddSeconds(1), day, _ =>
        {
            var message = new HttpRequestMessage(HttpMethod.Put, $"/api/field/photos/{photoId}?checkInId={checkInId}&takenAt={takenMs}")
            {
                Content = new ByteArrayContent(photo),
            };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            return message;
        }));
    }

    private static HttpRequestMessage Json(string url, object body) => new(HttpMethod.Put, url) { Content = JsonContent.Create(body) };

    private async Task<int> SendAsync()
    {
        // The adits first, as the office registered them long before.
        foreach (var adit in adits)
        {
            var response = await office.PostAsJsonAsync("/api/adits", new
            {
                name = "红队测试硐", township = "陶村林场", lon = adit.Lon.ToString("F7"), lat = adit.Lat.ToString("F7"), mineral = "金", origin = "盗采点",
                confirmNearby = true,
            });
            adit.Id = (await Ok(response).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adit").GetProperty("id").GetGuid();
        }

        var requests = days.SelectMany(Requests).OrderBy(r => r.Utc).ToList();
        var failed = 0;
        var done = 0;
        foreach (var r in requests)
        {
            app.Clock.Set(new DateTimeOffset(r.Utc));
            using var message = Mark(r.Day, r.Build(0));
            var uri = message.RequestUri!.OriginalString;
            var device = new DateTimeOffset(r.Utc).ToUnixTimeMilliseconds() + (r.OffsetMs ?? r.Day.HeaderOffsetMs);
            message.Headers.Add("X-Device-Time", device.ToString());
            message.Headers.Add("X-Device-Id", PhoneOf(r.Day).ToString());
            var response = await r.Day.Member.Client.SendAsync(message);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                // The field app's log-in lasts 14 days; the member logs in again, as on the phone.
                r.Day.Member.Client = await app.LoginAsync(r.Day.Member.UserName);
                using var again = Mark(r.Day, r.Build(0));
                again.Headers.Add("X-Device-Time", device.ToString());
                again.Headers.Add("X-Device-Id", PhoneOf(r.Day).ToString());
                response = await r.Day.Member.Client.SendAsync(again);
            }

            if (!response.IsSuccessStatusCode)
            {
                if (failed++ < 5) Console.WriteLine($"  {r.Day.Class} {uri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            if (++done % 2000 == 0) Console.WriteLine($"  {done:N0} of {requests.Count:N0} requests");
        }

        app.Clock.Set(new DateTimeOffset(requests[^1].Utc.AddHours(1)));
        return failed;
    }

    private async Task<Dictionary<Guid, (bool Verified, int Reasons, int Flags, string Why)>> VerdictsAsync()
    {
        // What the last requests stored is judged once their burst is over (PatrolJudgeJob): seconds later on a server, at
        // once here (the bench's clock stands still between requests).
        await app.Services.GetRequiredService<PatrolJudgeJob>().JudgeAllMarkedAsync(default);
        var verdicts = new Dictionary<Guid, (bool, int, int, string)>();
        foreach (var group in days.GroupBy(d => d.Member))
        {
            group.Key.Client = await app.LoginAsync(group.Key.UserName);
            foreach (var part in group.Chunk(150))
            {
                var states = await group.Key.Client.GetFromJsonAsync<JsonElement>($"/api/field/check-ins?ids={string.Join(',', part.Select(d => d.CheckInId))}");
                foreach (var s in states.EnumerateArray())
                {
                    var reasons = s.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
                    var flags = s.GetProperty("flags").EnumerateArray().Select(r => r.GetString()!).ToList();
                    verdicts[s.GetProperty("id").GetGuid()] = (s.GetProperty("verified").GetBoolean(), reasons.Count, flags.Count,
                        string.Join(" | ", reasons.Concat(flags.Select(f => "[标记] " + f))));
                }
            }
        }

        return verdicts;
    }

    private static void Print(List<Day> days, Dictionary<Guid, (bool Verified, int Reasons, int Flags, string Why)> verdicts, int failed)
    {
        Console.WriteLine();
        Console.WriteLine($"{"class",-28} {"n",4} {"counted",8} {"refused",8} {"flagged",8}");
        foreach (var group in days.GroupBy(d => d.Class).OrderBy(g => g.First().Fake).ThenBy(g => Array.IndexOf(g.First().Fake ? FakeClasses : HonestClasses, g.Key)))
        {
            var v = group.Select(d => verdicts.GetValueOrDefault(d.CheckInId)).ToList();
            var n = v.Count;
            Console.WriteLine($"{group.Key,-28} {n,4} {Share(v.Count(x => x.Verified && x.Flags == 0), n),8} {Share(v.Count(x => !x.Verified), n),8} {Share(v.Count(x => x.Verified && x.Flags > 0), n),8}");
        }

        var fakes = days.Where(d => d.Fake).Select(d => verdicts.GetValueOrDefault(d.CheckInId)).ToList();
        var honest = days.Where(d => !d.Fake).Select(d => verdicts.GetValueOrDefault(d.CheckInId)).ToList();
        Console.WriteLine();
        Console.WriteLine($"fakes not counted:            {Share(fakes.Count(x => !x.Verified || x.Flags > 0), fakes.Count)} of {fakes.Count} (target ≥ 95 %)");
        Console.WriteLine($"honest refused or flagged:    {Share(honest.Count(x => !x.Verified || x.Flags > 0), honest.Count)} of {honest.Count} (target ≤ 2 %)");
        Console.WriteLine($"requests refused by the API:  {failed}");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "presence-baseline.txt")))
        {
            Console.WriteLine();
            Console.WriteLine(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "presence-baseline.txt")));
        }

        if (Environment.GetEnvironmentVariable("PRESENCE_WHY") is { Length: > 0 } which)
        {
            foreach (var d in days.Where(d => d.Class.Contains(which, StringComparison.Ordinal)))
                Console.WriteLine($"  {d.Class} {verdicts.GetValueOrDefault(d.CheckInId).Why}");
        }
    }

    private static string Share(int count, int n) => n == 0 ? "-" : $"{100.0 * count / n:0.0} %";
}
