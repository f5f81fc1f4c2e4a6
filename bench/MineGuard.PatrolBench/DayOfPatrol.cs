using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MineGuard.Features.Patrols;
using MineGuard.Platform.Files;

namespace MineGuard.PatrolBench;

/// <summary>How the day's track was made (<see cref="DayOfPatrol.Build"/>).</summary>
public enum DayKind
{
    /// <summary>
    /// Walked: a member walks (or rides, where the next adit is further than a leg's walk) from adit to adit and lingers
    /// at each, observed by a phone with an honest GPS error and the app's 5 s / 5 m filter (<see cref="PresenceWalks"/>,
    /// the red team's honest walk). The server finds nothing wrong with the track: the common day.
    /// </summary>
    Walked,

    /// <summary>
    /// Generated: 5,000 fixes exactly 5 s apart scattered ±22 m around each adit in turn. The server flags the track as
    /// program-made (white noise, regular intervals) with counts that change with every chunk (until 7 Dec 2026, when
    /// each request still judged, every track request judged all of the day's check-ins again).
    /// </summary>
    Generated,
}

/// <summary>
/// One member's day: a track of a few thousand fixes over about seven hours, 20 check-ins, two ~120 KB photos each — as
/// requests in the field app's order (track chunks of at most 20 points sent in batches, then each check-in and its
/// photos), or as rows.
/// </summary>
public sealed class DayOfPatrol
{
    private readonly Guid teamId;
    private readonly Guid patrolId = Guid.NewGuid();
    private readonly DateTime start;
    private readonly List<TrackPoint> track = [];
    private readonly List<(Guid Id, Guid AditId, DateTime At, double Lat, double Lon, int AfterPoint)> checkIns = [];
    private readonly List<(Guid Id, Guid CheckInId, DateTime At, byte[] Jpeg)> photos = [];

    private DayOfPatrol(Guid teamId, DateTime start)
    {
        this.teamId = teamId;
        this.start = start;
    }

    public Guid PatrolId => patrolId;

    /// <summary>The fixes of the day's track.</summary>
    public int Fixes => track.Count;

    public static DayOfPatrol Build(Guid teamId, IReadOnlyList<(Guid Id, double Lat, double Lon)> adits, int run, DayKind kind)
    {
        var random = new Random(1000 + run);
        var day = new DayOfPatrol(teamId, DateTime.UtcNow.Date.AddDays(-2 * run).AddHours(-7));
        if (kind == DayKind.Walked) day.Walk(adits, random);
        else day.Generate(adits, random);
        foreach (var checkIn in day.checkIns)
        {
            for (var p = 0; p < 2; p++)
            {
                // A real 1×1 JPEG carrying 120 KB of random bytes in comment segments (the server checks it is an image).
                var jpeg = Jpeg(random, 120_000);
                day.photos.Add((Guid.NewGuid(), checkIn.Id, checkIn.At.AddSeconds(10 + p), jpeg));
            }
        }

        return day;
    }

    private void Generate(IReadOnlyList<(Guid Id, double Lat, double Lon)> adits, Random random)
    {
        const int points = 5000;
        for (var i = 0; i < points; i++)
        {
            var leg = Math.Min(adits.Count - 1, i * adits.Count / points);
            var (lat, lon) = (adits[leg].Lat, adits[leg].Lon);
            track.Add(new TrackPoint(lat + (random.NextDouble() - 0.5) * 0.0004, lon + (random.NextDouble() - 0.5) * 0.0004, 5 + random.NextDouble() * 8, start.AddSeconds(5 * i)));
        }

        for (var c = 0; c < adits.Count; c++)
        {
            var after = (c + 1) * points / adits.Count - 1;
            var at = track[after].Utc.AddSeconds(2);
            checkIns.Add((Guid.NewGuid(), adits[c].Id, at, adits[c].Lat + (random.NextDouble() - 0.5) * 0.0002, adits[c].Lon + (random.NextDouble() - 0.5) * 0.0002, after));
        }
    }

    private void Walk(IReadOnlyList<(Guid Id, double Lat, double Lon)> adits, Random random)
    {
        var walks = new PresenceWalks(random);
        var (lat0, lon0) = (adits[0].Lat, adits[0].Lon);
        var angle = walks.U(0, 2 * Math.PI);
        var path = new List<(double X, double Y)> { (Math.Cos(angle) * 800, Math.Sin(angle) * 800) };
        var legSeconds = 7 * 3600.0 / adits.Count;
        var stops = new List<int>();
        foreach (var adit in adits)
        {
            var (east, north) = PresenceWalks.Local(lat0, lon0, adit.Lat, adit.Lon);
            var linger = (int)walks.U(240, 480);
            var (x, y) = path[^1];
            var distance = Math.Sqrt(Math.Pow(east - x, 2) + Math.Pow(north - y, 2));
            // A walk (0.8–1.4 m/s) where the next adit is a leg's walk away, a ride (up to 15 m/s) where it is not.
            var pace = Math.Clamp(distance / Math.Max(60, legSeconds - linger), walks.U(0.8, 1.4), 15);
            walks.WalkTo(path, (east + walks.U(-8, 8), north + walks.U(-8, 8)), pace, Math.Max(6, pace));
            var arrived = path.Count;
            walks.Linger(path, linger);
            stops.Add(arrived + (int)walks.U(30, 120));
        }

        walks.WalkTo(path, (path[^1].X + 600, path[^1].Y), 1.1);
        var startMs = new DateTimeOffset(start).ToUnixTimeMilliseconds();
        var fixes = walks.Observe(path, lat0, lon0, startMs, walks.HonestError(), new PresenceWalks.Conditions());
        track.AddRange(fixes.Select(f => new TrackPoint(f.Lat, f.Lon, f.Acc, DateTimeOffset.FromUnixTimeMilliseconds(f.T).UtcDateTime)));
        for (var c = 0; c < adits.Count; c++)
        {
            // The member checks in on the fix the app shows (its last), a moment after it.
            var atMs = startMs + (stops[c] * 1000L) + random.Next(0, 900);
            var after = fixes.FindLastIndex(f => f.T <= atMs);
            checkIns.Add((Guid.NewGuid(), adits[c].Id, DateTimeOffset.FromUnixTimeMilliseconds(atMs).UtcDateTime, fixes[after].Lat, fixes[after].Lon, after));
        }
    }

    /// <summary>How long the app holds queued track chunks while the patrol goes on (app.js TRACK_HOLD_MS).</summary>
    public static readonly TimeSpan TrackHold = TimeSpan.FromMinutes(30);

    /// <summary>Chunks the app sends in one request at most (app.js TRACK_BATCH).</summary>
    public const int TrackBatch = 50;

    /// <summary>
    /// The requests the field app makes for the day, online all along: chunks of at most 20 fixes (flushed at 20 and
    /// before each check-in) queued with their own ids; a check-in is queued with its photos, and the queue goes in one
    /// request (POST /api/field/sync) whenever a check-in is queued behind the chunks, when 50 chunks wait, or when the
    /// oldest waited 30 minutes (app.js).
    /// </summary>
    public List<Func<HttpRequestMessage>> Requests()
    {
        var list = new List<Func<HttpRequestMessage>> { () => Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = start }) };
        var sent = 0;
        var seq = 0;
        var waiting = new List<(Guid Id, int Seq, List<double[]> Points, DateTime Queued)>();
        void SendWaiting((Guid Id, Guid AditId, DateTime At, double Lat, double Lon, int AfterPoint)? checkIn = null)
        {
            if (waiting.Count == 0 && checkIn is null) return;
            var chunks = waiting.Select(w => new { id = w.Id, seq = w.Seq, points = w.Points }).ToList();
            waiting.Clear();
            var tracks = chunks.Count == 0 ? [] : new[] { new { patrolId, chunks } };
            if (checkIn is not { } c)
            {
                list.Add(() => Batch(new { tracks }, []));
                return;
            }

            var pictures = photos.Where(p => p.CheckInId == c.Id).ToList();
            var batch = new
            {
                tracks,
                checkIns = new[]
                {
                    new
                    {
                        id = c.Id,
                        record = new
                        {
                            patrolId, aditId = c.AditId, at = c.At, lat = c.Lat, lon = c.Lon, accuracy = 6.0,
                            answers = new { sealIntact = true, freshDigging = false, spoil = false, tools = false, power = false, vehicleTracks = false, people = false, smoke = false },
                        },
                    },
                },
                photos = pictures.Select(p => new { id = p.Id, checkInId = p.CheckInId, takenAt = new DateTimeOffset(p.At).ToUnixTimeMilliseconds() }).ToList(),
            };
            list.Add(() => Batch(batch, pictures.Select(p => (p.Id, p.Jpeg)).ToList()));
        }

        // The fixes up to and with index last, queued in chunks of at most 20 and sent when 50 wait or the oldest waited 30 min.
        void QueueUpTo(int last)
        {
            while (sent <= last)
            {
                var take = Math.Min(20, last + 1 - sent);
                var chunk = track.GetRange(sent, take).Select(p => new[] { p.Lat, p.Lon, p.Accuracy, new DateTimeOffset(p.Utc).ToUnixTimeMilliseconds() }).ToList();
                var queued = track[sent + take - 1].Utc;
                waiting.Add((Guid.NewGuid(), seq++, chunk, queued));
                sent += take;
                if (waiting.Count >= TrackBatch || queued - waiting[0].Queued >= TrackHold) SendWaiting();
            }
        }

        foreach (var c in checkIns)
        {
            QueueUpTo(c.AfterPoint);
            SendWaiting(c);
        }

        // The walk on after the last check-in, then the patrol's end.
        QueueUpTo(track.Count - 1);
        SendWaiting();
        list.Add(() => Put($"/api/field/patrols/{patrolId}", new { teamId, startedAt = start, endedAt = track[^1].Utc }));
        return list;
    }

    /// <summary>The app's queue in one request: the JSON part "batch", then each photo's bytes named by its id.</summary>
    private static HttpRequestMessage Batch(object batch, List<(Guid Id, byte[] Jpeg)> pictures)
    {
        var form = new MultipartFormDataContent { { new StringContent(System.Text.Json.JsonSerializer.Serialize(batch, System.Text.Json.JsonSerializerOptions.Web)), "batch" } };
        foreach (var (id, jpeg) in pictures)
        {
            var part = new ByteArrayContent(jpeg);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, id.ToString(), "photo");
        }

        var message = new HttpRequestMessage(HttpMethod.Post, "/api/field/sync") { Content = form };
        message.Headers.Add("X-Device-Time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString());
        return message;
    }

    /// <summary>The same rows as the requests store (patrol, chunks, check-ins, files, photos), for the raw write.</summary>
    public List<object> Rows(PatrolTeam team, Guid userId, DateTime now)
    {
        var rows = new List<object>();
        var patrol = Patrol.Start(patrolId, team, userId, null, start, PatrolSource.App, now, 0, "raw");
        patrol.End(track[^1].Utc);
        rows.Add(patrol);
        for (var i = 0; i < track.Count; i += 20) rows.Add(TrackChunk.Create(Guid.NewGuid(), patrolId, userId, team.DivisionCode, i / 20, track.Skip(i).Take(20).ToList(), now));
        foreach (var c in checkIns)
        {
            rows.Add(CheckIn.Create(c.Id, patrolId, c.AditId, userId, team.DivisionCode, c.At, c.Lat, c.Lon, 6, new CheckList(true, false, false, false, false, false, false, false), false, null, now, 0, "raw"));
        }

        var files = photos.Select(p => StoredFile.Create(p.Jpeg, "image/jpeg", "photo.jpg", now)).ToList();
        rows.AddRange(files);
        rows.AddRange(photos.Select((p, i) => CheckInPhoto.Create(p.Id, p.CheckInId, userId, team.DivisionCode, files[i].Id, files[i].Sha256, p.At, null, null, null, now)));
        return rows;
    }

    private static HttpRequestMessage Put(string url, object body) => Send(HttpMethod.Put, url, body);

    private static HttpRequestMessage Send(HttpMethod method, string url, object body)
    {
        var message = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        message.Headers.Add("X-Device-Time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString());
        return message;
    }

    private static byte[] Jpeg(Random random, int size)
    {
        // One array, filled in place: the bench's own garbage (a list grown byte by byte, a copy per segment) made the
        // collector run through the timed syncs.
        var segments = (size + 59_999) / 60_000;
        var photo = new byte[2 + 4 * segments + size + TinyJpeg.Length - 2];
        (photo[0], photo[1]) = ((byte)0xFF, (byte)0xD8);
        var at = 2;
        for (var left = size; left > 0; left -= 60_000)
        {
            var n = Math.Min(60_000, left);
            (photo[at], photo[at + 1], photo[at + 2], photo[at + 3]) = ((byte)0xFF, (byte)0xFE, (byte)((n + 2) >> 8), (byte)((n + 2) & 0xFF));
            random.NextBytes(photo.AsSpan(at + 4, n));
            at += 4 + n;
        }

        TinyJpeg.AsSpan(2).CopyTo(photo.AsSpan(at));
        return photo;
    }

    private static readonly byte[] TinyJpeg = Convert.FromBase64String("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");
}
