using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MineGuard.Features.Patrols;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>
/// One walk recorded with the field app in Chromium (tests/MineGuard.BrowserTests/RecordedWalks.cs; Walks/README.md):
/// the requests the app sent to /api/field/*, in order, with the phone's clock.
/// </summary>
public sealed partial class RecordedWalk
{
    private RecordedWalk(string name, JsonObject root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    private JsonObject Root { get; }

    public double AditLat => Root["adit"]!["lat"]!.GetValue<double>();

    public double AditLon => Root["adit"]!["lon"]!.GetValue<double>();

    /// <summary>The requests that write (the app's reads of the bundle and of verdicts are left out of a replay).</summary>
    public List<JsonObject> Puts => [.. Root["requests"]!.AsArray().Select(r => r!.AsObject()).Where(r => r["method"]!.GetValue<string>() == "PUT")];

    public static IEnumerable<RecordedWalk> All() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Features", "Patrols", "Walks"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => new RecordedWalk(Path.GetFileNameWithoutExtension(f), JsonNode.Parse(File.ReadAllText(f))!.AsObject()));

    public static TheoryData<string> Names() => [.. All().Select(w => w.Name)];

    public static RecordedWalk Named(string name) => All().Single(w => w.Name == name);

    private IEnumerable<JsonObject> Chunks => Puts.Where(r => r["body"]?["points"] is not null).Select(r => r["body"]!.AsObject());

    /// <summary>The number of fixes in each track chunk, in the order sent.</summary>
    public List<int> ChunkSizes => [.. Chunks.Select(c => c["points"]!.AsArray().Count)];

    /// <summary>The track as the evaluator reads it: every chunk's fixes stored as the server stores them (1e-7°, 0.1 m), one per time, in time order.</summary>
    public List<TrackPoint> Track()
    {
        var fixes = Chunks.SelectMany(c => c["points"]!.AsArray()).Select(p => p!.AsArray()).Select(p => new TrackPoint(p[0]!.GetValue<double>(),
            p[1]!.GetValue<double>(), p[2]!.GetValue<double>(), DateTimeOffset.FromUnixTimeMilliseconds((long)p[3]!.GetValue<double>()).UtcDateTime)).ToList();
        return [.. TrackCodec.Fixes(TrackCodec.Encode(fixes)).DistinctBy(p => p.Utc).OrderBy(p => p.Utc)];
    }

    /// <summary>
    /// The walk's requests for a new member and adit: every id new (the team and adit the kit's), the positions moved by
    /// the adit's displacement, the phone's times shifted so the walk ends a minute before the test clock, a new capture
    /// key with the photo signed again, a new device id. Sent together, as the outbox sends a walk made without signal when it comes back:
    /// X-Device-Time is the test clock.
    /// </summary>
    public List<Func<HttpRequestMessage>> Replay(FieldKit kit, (Guid Id, string Number, double Lat, double Lon) adit, out Guid checkInId)
    {
        var (dLat, dLon) = (adit.Lat - AditLat, adit.Lon - AditLon);
        var now = new DateTimeOffset(kit.Now).ToUnixTimeMilliseconds();
        var shift = now - 60_000 - Puts.Max(r => r["deviceTime"]!.GetValue<long>());
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [Root["adit"]!["id"]!.GetValue<string>()] = adit.Id.ToString(),
            [Puts.First(r => r["body"]?["teamId"] is not null)["body"]!["teamId"]!.GetValue<string>()] = kit.TeamId.ToString(),
        };
        string Map(string text) => GuidPattern().Replace(text, m => ids.TryGetValue(m.Value, out var id) ? id : ids[m.Value] = Guid.NewGuid().ToString());
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var requests = new List<Func<HttpRequestMessage>>();
        Guid? checkIn = null;
        foreach (var (recorded, i) in Puts.Select((r, i) => (r, i)))
        {
            var url = TakenAtPattern().Replace(Map(recorded["url"]!.GetValue<string>()), m => $"takenAt={long.Parse(m.Groups[1].Value) + shift}");
            var request = new HttpRequestMessage(HttpMethod.Put, url);
            request.Headers.Add("X-Device-Time", (now + i).ToString());
            if (recorded["deviceId"] is { } device) request.Headers.Add("X-Device-Id", Map(device.GetValue<string>()));
            if (recorded["bodyBase64"] is { } photo)
            {
                var bytes = Convert.FromBase64String(photo.GetValue<string>());
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(recorded["contentType"]!.GetValue<string>());
                if (recorded["captureSignature"] is not null)
                {
                    var photoId = url.Split('/', '?')[4];
                    var takenAt = TakenAtPattern().Match(url).Groups[1].Value;
                    var signed = HMACSHA256.HashData(Convert.FromHexString(key),
                        Encoding.UTF8.GetBytes($"{photoId}|{Convert.ToHexStringLower(SHA256.HashData(bytes))}|{takenAt}"));
                    request.Headers.Add("X-Capture-Signature", Convert.ToHexStringLower(signed));
                }
            }
            else
            {
                var body = JsonNode.Parse(Map(recorded["body"]!.ToJsonString()))!.AsObject();
                foreach (var point in body["points"]?.AsArray() ?? [])
                {
                    var p = point!.AsArray();
                    p[0] = p[0]!.GetValue<double>() + dLat;
                    p[1] = p[1]!.GetValue<double>() + dLon;
                    p[3] = (long)p[3]!.GetValue<double>() + shift;
                }

                foreach (var pause in body["pauses"]?.AsArray() ?? [])
                    for (var j = 0; j < 2; j++) pause![j] = (long)pause[j]!.GetValue<double>() + shift;
                foreach (var name in new[] { "startedAt", "endedAt", "at" })
                    if (body[name] is JsonValue time && time.TryGetValue<string>(out var text))
                        body[name] = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).AddMilliseconds(shift).UtcDateTime.ToString("O");
                if (body["lat"] is not null) body["lat"] = body["lat"]!.GetValue<double>() + dLat;
                if (body["lon"] is not null) body["lon"] = body["lon"]!.GetValue<double>() + dLon;
                if (body["captureKey"] is not null) body["captureKey"] = key;
                if (url.StartsWith("/api/field/check-ins/", StringComparison.Ordinal)) checkIn = Guid.Parse(url.Split('/')[^1]);
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            requests.Add(() => request);
        }

        checkInId = checkIn ?? throw new InvalidOperationException($"walk {Name} has no check-in");
        return requests;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"takenAt=(\d+)")]
    private static partial Regex TakenAtPattern();
}
