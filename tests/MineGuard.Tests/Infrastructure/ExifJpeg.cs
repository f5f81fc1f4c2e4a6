using System.Text;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// Builds a small real JPEG carrying an EXIF block with DateTimeOriginal and GPS position, the way a phone camera
/// writes them, so tests can check what the server reads from a photo's own metadata.
/// </summary>
public static class ExifJpeg
{
    // A 1×1 baseline JPEG.
    private static readonly byte[] Tiny = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

    public static byte[] Plain() => Tiny.ToArray();

    /// <summary>A JPEG taken at <paramref name="localTime"/> (camera clock, Beijing time) at lon/lat (WGS84).</summary>
    public static byte[] Create(DateTime localTime, double lon, double lat, int variant = 0)
    {
        var tiff = Tiff(localTime, lon, lat);
        var app1 = new List<byte> { 0xFF, 0xE1 };
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        app1.Add((byte)((payload.Length + 2) >> 8));
        app1.Add((byte)((payload.Length + 2) & 0xFF));
        app1.AddRange(payload);
        // A comment segment makes variants differ in content (and hash) without changing the metadata.
        var comment = Encoding.ASCII.GetBytes($"v{variant}");
        var com = new List<byte> { 0xFF, 0xFE, 0, (byte)(comment.Length + 2) };
        com.AddRange(comment);
        return [.. Tiny.Take(2), .. app1, .. com, .. Tiny.Skip(2)];
    }

    private static byte[] Tiff(DateTime local, double lon, double lat)
    {
        var b = new List<byte>();
        void U16(int v) { b.Add((byte)v); b.Add((byte)(v >> 8)); }
        void U32(long v) { for (var i = 0; i < 4; i++) b.Add((byte)(v >> (8 * i))); }
        void Entry(int tag, int type, int count, long valueOrOffset) { U16(tag); U16(type); U32(count); U32(valueOrOffset); }

        // Offsets (from the TIFF header): IFD0 at 8 (2 entries: 2+24+4 = 30) → Exif IFD at 38 (1 entry: 18)
        // → GPS IFD at 56 (4 entries: 54) → date at 110 (20) → latitude at 130 (24) → longitude at 154 (24).
        const int exifIfd = 38, gpsIfd = 56, dateAt = 110, latAt = 130, lonAt = 154;
        b.AddRange("II"u8.ToArray());
        U16(42);
        U32(8);
        U16(2);
        Entry(0x8769, 4, 1, exifIfd);
        Entry(0x8825, 4, 1, gpsIfd);
        U32(0);
        U16(1);
        Entry(0x9003, 2, 20, dateAt);
        U32(0);
        U16(4);
        Entry(0x0001, 2, 2, lat >= 0 ? 'N' : 'S');
        Entry(0x0002, 5, 3, latAt);
        Entry(0x0003, 2, 2, lon >= 0 ? 'E' : 'W');
        Entry(0x0004, 5, 3, lonAt);
        U32(0);
        b.AddRange(Encoding.ASCII.GetBytes(local.ToString("yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "\0"));
        foreach (var value in new[] { Math.Abs(lat), Math.Abs(lon) })
        {
            var deg = (int)value;
            var min = (int)((value - deg) * 60);
            var sec = (value - deg - min / 60.0) * 3600;
            U32(deg); U32(1);
            U32(min); U32(1);
            U32((long)Math.Round(sec * 10000)); U32(10000);
        }
        return [.. b];
    }
}
