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

    /// <summary>The declared pauses of a chunk.</summary>
    public static IEnumerable<TrackPause> Pauses(byte[] bytes)
    {
        TrackPoint? start = null;
        foreach (var p in Decode(bytes).Where(IsMarker))
        {
            if (p.Accuracy == PauseStart) start = p;
            else if (start is { } s)
            {
                yield return new TrackPause(s.Utc, p.Utc);
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
