using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MineGuard.Features.Patrols;

/// <summary>One GPS fix of a track (WGS84, accuracy in metres as the phone reported it).</summary>
public readonly record struct TrackPoint(double Lat, double Lon, double Accuracy, DateTime Utc);

/// <summary>
/// Packs track points 20 bytes each: latitude and longitude in 1e-7 degrees (about 1 cm), accuracy in decimetres, time in
/// Unix milliseconds. A day's track of 5,000 points is 100 KB in one row instead of 5,000 rows.
/// </summary>
public static class TrackCodec
{
    private const int Size = 20;

    /// <summary>
    /// A declared pause travels in its chunk as two marker points (no position; accuracy −2 at its start, −3 at its
    /// end): a fix's accuracy is never negative below −1 (an import's "unknown"), and a chunk without pauses encodes
    /// exactly as before, so its payload hash is unchanged.
    /// </summary>
    public const double PauseStart = -2, PauseEnd = -3;

    public static bool IsMarker(TrackPoint p) => p.Accuracy <= PauseStart;

    public static IEnumerable<TrackPoint> PauseMarkers(IEnumerable<TrackPause> pauses) =>
        pauses.SelectMany(p => new[] { new TrackPoint(0, 0, PauseStart, p.From), new TrackPoint(0, 0, PauseEnd, p.To) });

    /// <summary>The fixes of a chunk (pause markers left out).</summary>
    public static IEnumerable<TrackPoint> Fixes(byte[] bytes) => Decode(bytes).Where(p => !IsMarker(p));

    /// <summary>
    /// A track from its chunks' payloads: the fixes in time order, one per millisecond, and the declared pauses in order.
    /// Two chunks may carry a fix of the same millisecond (a chunk resent under a new id after an edit, a forged one);
    /// the least by (latitude, longitude, accuracy) is kept, so the track is a function of the set of chunks, whatever
    /// order they are read in, and <see cref="Extend"/> by the newer chunks gives the same track as assembling all again.
    /// </summary>
    public static (List<TrackPoint> Fixes, List<TrackPause> Pauses) Assemble(IEnumerable<byte[]> chunks) => Extend([], [], chunks);

    /// <summary>The track <see cref="Assemble"/> makes of the chunks of <paramref name="fixes"/> and <paramref name="pauses"/> and <paramref name="more"/>.</summary>
    public static (List<TrackPoint> Fixes, List<TrackPause> Pauses) Extend(IReadOnlyList<TrackPoint> fixes, IReadOnlyList<TrackPause> pauses,
        IEnumerable<byte[]> more)
    {
        var added = new List<TrackPoint>();
        var addedPauses = new List<TrackPause>();
        foreach (var bytes in more) DecodeInto(bytes, added, addedPauses);
        added.Sort(FixOrder);
        var kept = 0;
        for (var i = 0; i < added.Count; i++)
        {
            if (kept > 0 && added[kept - 1].Utc == added[i].Utc) continue;
            added[kept++] = added[i];
        }

        var merged = new List<TrackPoint>(fixes.Count + kept);
        var (a, b) = (0, 0);
        while (a < fixes.Count || b < kept)
        {
            if (b == kept || (a < fixes.Count && fixes[a].Utc < added[b].Utc)) merged.Add(fixes[a++]);
            else if (a == fixes.Count || added[b].Utc < fixes[a].Utc) merged.Add(added[b++]);
            else
            {
                // The same millisecond in both: the least of the two, as a sort of all of them would have kept.
                merged.Add(FixOrder(fixes[a], added[b]) <= 0 ? fixes[a] : added[b]);
                a++;
                b++;
            }
        }

        var allPauses = addedPauses.Count == 0 ? [.. pauses]
            : pauses.Concat(addedPauses).Distinct().OrderBy(p => p.From).ThenBy(p => p.To).ToList();
        return (merged, allPauses);
    }

    /// <summary>Time, then the tie-break of <see cref="Assemble"/>.</summary>
    private static int FixOrder(TrackPoint x, TrackPoint y)
    {
        var c = x.Utc.CompareTo(y.Utc);
        if (c == 0) c = x.Lat.CompareTo(y.Lat);
        if (c == 0) c = x.Lon.CompareTo(y.Lon);
        return c != 0 ? c : x.Accuracy.CompareTo(y.Accuracy);
    }

    /// <summary>A chunk's fixes (as <see cref="Fixes"/>) and its declared pauses (a start marker and the end marker after it), in one pass.</summary>
    private static void DecodeInto(byte[] bytes, List<TrackPoint> fixes, List<TrackPause> pauses)
    {
        DateTime? start = null;
        foreach (var p in Decode(bytes))
        {
            if (!IsMarker(p)) fixes.Add(p);
            else if (p.Accuracy == PauseStart) start = p.Utc;
            else if (start is { } s)
            {
                pauses.Add(new TrackPause(s, p.Utc));
                start = null;
            }
        }
    }

    public static byte[] Encode(IReadOnlyList<TrackPoint> points)
    {
        var bytes = new byte[points.Count * Size];
        for (var i = 0; i < points.Count; i++)
        {
            var span = bytes.AsSpan(i * Size, Size);
            var p = points[i];
            BinaryPrimitives.WriteInt32LittleEndian(span, (int)Math.Round(p.Lat * 1e7));
            BinaryPrimitives.WriteInt32LittleEndian(span[4..], (int)Math.Round(p.Lon * 1e7));
            BinaryPrimitives.WriteInt32LittleEndian(span[8..], (int)Math.Min(int.MaxValue, Math.Round(p.Accuracy * 10)));
            BinaryPrimitives.WriteInt64LittleEndian(span[12..], new DateTimeOffset(p.Utc).ToUnixTimeMilliseconds());
        }

        return bytes;
    }

    public static IEnumerable<TrackPoint> Decode(byte[] bytes)
    {
        for (var i = 0; i + Size <= bytes.Length; i += Size)
        {
            var span = bytes.AsSpan(i, Size);
            yield return new TrackPoint(
                BinaryPrimitives.ReadInt32LittleEndian(span) / 1e7,
                BinaryPrimitives.ReadInt32LittleEndian(span[4..]) / 1e7,
                BinaryPrimitives.ReadInt32LittleEndian(span[8..]) / 10.0,
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[12..])).UtcDateTime);
        }
    }
}

/// <summary>The fingerprint a resend is compared with: same id and same hash is the same record; a different hash is a conflict.</summary>
public static class SyncHash
{
    public static string Of(string text, byte[]? bytes = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(text));
        if (bytes is not null) sha.AppendData(bytes);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
