using System.Text;
using SkiaSharp;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// A real (decodable) JPEG carrying what a phone camera writes about its owner: EXIF make, model, artist, camera owner
/// name and body serial number, with DateTimeOriginal and a GPS position, plus an XMP packet and a comment. The
/// identifying strings are <see cref="Secrets"/>, so a test can look for them in what the server serves.
/// </summary>
public static class IdentifyingJpeg
{
    public const string Make = "MakerCorpX";
    public const string Model = "PhoneModelY-Pro";
    public const string Artist = "OwnerArtistZhang";
    public const string Owner = "CameraOwnerWang";
    public const string Serial = "SERIAL-8849-2231";
    public const string XmpSecret = "xmp-creator-li-si";
    public const string CommentSecret = "comment-device-imei-8675309";

    public static readonly string[] Secrets = [Make, Model, Artist, Owner, Serial, XmpSecret, CommentSecret];

    /// <summary>A 64×48 picture taken at <paramref name="localTime"/> (Beijing) at lon/lat, with every identifier above.</summary>
    public static byte[] Create(DateTime localTime, double lon, double lat, int seed = 1)
    {
        using var bitmap = new SKBitmap(64, 48);
        var random = new Random(seed);
        for (var y = 0; y < 48; y++)
            for (var x = 0; x < 64; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)(x * 4), (byte)(y * 5)));
        using var image = SKImage.FromBitmap(bitmap);
        var plain = image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();

        var exif = Segment(0xE1, [.. "Exif\0\0"u8.ToArray(), .. Tiff(localTime, lon, lat)]);
        var xmp = Segment(0xE1, Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>" + XmpSecret + "</dc:creator></x:xmpmeta>"));
        var com = Segment(0xFE, Encoding.ASCII.GetBytes(CommentSecret));
        // SOI, then the metadata segments, then the encoder's own segments and the picture.
        return [.. plain.Take(2), .. exif, .. xmp, .. com, .. plain.Skip(2)];
    }

    private static byte[] Segment(byte marker, byte[] payload) =>
        [0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)((payload.Length + 2) & 0xFF), .. payload];

    private static byte[] Tiff(DateTime local, double lon, double lat)
    {
        // Layout (offsets from the TIFF header): IFD0 at 8 with 5 entries (66 bytes) → Exif IFD at 74 with 3 entries
        // (42) → GPS IFD at 116 with 4 entries (54) → values from 170.
        const int exifIfd = 74, gpsIfd = 116, dataStart = 170;
        var head = new List<byte>();
        var data = new List<byte>();
        void U16(List<byte> b, int v) { b.Add((byte)v); b.Add((byte)(v >> 8)); }
        void U32(List<byte> b, long v) { for (var i = 0; i < 4; i++) b.Add((byte)(v >> (8 * i))); }
        void Entry(int tag, int type, int count, long value) { U16(head, tag); U16(head, type); U32(head, count); U32(head, value); }
        long Ascii(string s)
        {
            var at = dataStart + data.Count;
            data.AddRange(Encoding.ASCII.GetBytes(s + "\0"));
            if (data.Count % 2 == 1) data.Add(0);
            return at;
        }
        long Rationals(double value)
        {
            var at = dataStart + data.Count;
            var deg = (int)value;
            var min = (int)((value - deg) * 60);
            var sec = (value - deg - min / 60.0) * 3600;
            U32(data, deg); U32(data, 1); U32(data, min); U32(data, 1); U32(data, (long)Math.Round(sec * 10000)); U32(data, 10000);
            return at;
        }

        head.AddRange("II"u8.ToArray());
        U16(head, 42);
        U32(head, 8);
        U16(head, 5);
        Entry(0x010F, 2, Make.Length + 1, Ascii(Make));
        Entry(0x0110, 2, Model.Length + 1, Ascii(Model));
        Entry(0x013B, 2, Artist.Length + 1, Ascii(Artist));
        Entry(0x8769, 4, 1, exifIfd);
        Entry(0x8825, 4, 1, gpsIfd);
        U32(head, 0);
        U16(head, 3);
        Entry(0x9003, 2, 20, Ascii(local.ToString("yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
        Entry(0xA430, 2, Owner.Length + 1, Ascii(Owner));
        Entry(0xA431, 2, Serial.Length + 1, Ascii(Serial));
        U32(head, 0);
        U16(head, 4);
        Entry(0x0001, 2, 2, lat >= 0 ? 'N' : 'S');
        Entry(0x0002, 5, 3, Rationals(Math.Abs(lat)));
        Entry(0x0003, 2, 2, lon >= 0 ? 'E' : 'W');
        Entry(0x0004, 5, 3, Rationals(Math.Abs(lon)));
        U32(head, 0);
        if (head.Count != dataStart) throw new InvalidOperationException($"TIFF head is {head.Count} bytes");
        return [.. head, .. data];
    }
}
