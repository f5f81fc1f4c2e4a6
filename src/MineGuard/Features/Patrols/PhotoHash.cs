using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace MineGuard.Features.Patrols;

/// <summary>
/// 照片感知哈希: a 64-bit difference hash (dHash, after N. Krawetz, "Kind of Like That", hackerfactor.com 2013) of a
/// photo's pixels, so that the same picture re-encoded at another quality or size (other bytes, another SHA-256) is
/// still seen as the same picture. The picture is decoded upright (EXIF orientation applied), reduced to a grey 9×8
/// grid by averaging every pixel of each cell (not by sampling, so scaling and JPEG noise average out), and each bit
/// says whether a cell is brighter than its right-hand neighbour.
/// </summary>
public static class PhotoHash
{
    /// <summary>The photo is decoded at about this size for hashing (JPEG decodes at 1/2, 1/4, 1/8 scale cheaply).</summary>
    private const int DecodeEdge = 256;

    /// <summary>
    /// Below this standard deviation of the grid's grey levels (0–255) the picture is flat (a covered lens, a blank
    /// frame, a 1-pixel image): its bits are noise, so it has no hash rather than one that "matches" every other flat frame.
    /// </summary>
    private const double FlatGreyLevels = 1.0;

    /// <summary>The dHash of the picture; null when the bytes do not decode, the picture is tiny or flat.</summary>
    public static long? Of(byte[] bytes)
    {
        try
        {
            return Compute(bytes);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Bits in which two hashes differ (0 = the same picture as far as the hash can tell, about 32 = unrelated).</summary>
    public static int Distance(long a, long b) => BitOperations.PopCount((ulong)(a ^ b));

    private static long? Compute(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        var (w0, h0) = (codec.Info.Width, codec.Info.Height);
        if (w0 < 9 || h0 < 8 || (long)w0 * h0 > Platform.Files.Images.MaxPixels) return null;
        var size = codec.GetScaledDimensions(Math.Min(1f, DecodeEdge / (float)Math.Max(w0, h0)));
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return null;

        var (w, h) = (info.Width, info.Height);
        var swap = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (uw, uh) = swap ? (h, w) : (w, h);
        if (uw < 9 || uh < 8) return null;
        var sum = new double[8, 9];
        var count = new int[8, 9];
        var pixels = bitmap.Bytes;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var (ux, uy) = Upright(codec.EncodedOrigin, x, y, w, h);
                var i = ((y * w) + x) * 4;
                var grey = (0.299 * pixels[i]) + (0.587 * pixels[i + 1]) + (0.114 * pixels[i + 2]);
                var (cx, cy) = (ux * 9 / uw, uy * 8 / uh);
                sum[cy, cx] += grey;
                count[cy, cx]++;
            }
        }

        var cells = new double[8, 9];
        var all = new List<double>(72);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 9; x++)
            {
                cells[y, x] = sum[y, x] / Math.Max(1, count[y, x]);
                all.Add(cells[y, x]);
            }
        }

        var mean = all.Average();
        if (Math.Sqrt(all.Average(v => (v - mean) * (v - mean))) < FlatGreyLevels) return null;
        ulong hash = 0;
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                hash <<= 1;
                if (cells[y, x] > cells[y, x + 1]) hash |= 1;
            }
        }

        return (long)hash;
    }

    /// <summary>Where a stored pixel lands in the picture as the camera meant it to be seen (EXIF orientation).</summary>
    private static (int X, int Y) Upright(SKEncodedOrigin origin, int x, int y, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => (w - 1 - x, y),
        SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
        SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
        SKEncodedOrigin.LeftTop => (y, x),
        SKEncodedOrigin.RightTop => (h - 1 - y, x),
        SKEncodedOrigin.RightBottom => (h - 1 - y, w - 1 - x),
        SKEncodedOrigin.LeftBottom => (y, w - 1 - x),
        _ => (x, y),
    };
}

/// <summary>
/// 现场拍摄签名: the field app marks the photos its own camera took. At a patrol's start it makes a random key (32
/// bytes, sent once with the patrol, kept on <see cref="Patrol.CaptureKey"/>) and sends each photo it captured with
/// <c>X-Capture-Signature</c> = hex HMAC-SHA256(key, "photoId|sha256 hex of the bytes|takenAt ms"). A picture picked
/// from elsewhere and uploaded past the app carries no valid signature.
/// </summary>
public static class CaptureSignature
{
    public const string Header = "X-Capture-Signature";

    /// <summary>A key or signature as sent: 64 hexadecimal characters (32 bytes).</summary>
    public static bool IsHex64(string? text) => text is { Length: 64 } && text.All(Uri.IsHexDigit);

    public static string Of(string keyHex, Guid photoId, string sha256Hex, long takenAtMs) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(keyHex),
            Encoding.UTF8.GetBytes($"{photoId}|{sha256Hex.ToLowerInvariant()}|{takenAtMs}")));

    /// <summary>True when the signature is the patrol key's for this photo (compared in constant time).</summary>
    public static bool Valid(string? keyHex, Guid photoId, string sha256Hex, long takenAtMs, string? signatureHex) =>
        IsHex64(keyHex) && IsHex64(signatureHex)
        && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Of(keyHex!, photoId, sha256Hex, takenAtMs)), Convert.FromHexString(signatureHex!));

    /// <summary>The photo counts as the app's own capture: marked so at upload, or its stored signature checks out with the patrol's key now.</summary>
    public static bool Captured(CheckInPhoto photo, Patrol? patrol) =>
        photo.AppCaptured || Valid(patrol?.CaptureKey, photo.Id, photo.Sha256, new DateTimeOffset(DateTime.SpecifyKind(photo.TakenUtc, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), photo.CaptureSignature);
}
