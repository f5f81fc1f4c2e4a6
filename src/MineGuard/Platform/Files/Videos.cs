using System.Buffers.Binary;
using System.Text;

namespace MineGuard.Platform.Files;

/// <summary>
/// MP4 / MOV / 3GP videos from the public tip page, with their metadata boxes blanked in place.
/// </summary>
/// <remarks>
/// The server has no video encoder (no ffmpeg on an offline county server, no managed H.264 encoder), so a video is
/// not re-encoded like a photo. Instead every box that carries descriptive metadata — <c>udta</c> (phone make and
/// model, the recording position <c>©xyz</c>, the owner), <c>meta</c> (Apple/Android keys, XMP) and <c>uuid</c>
/// (XMP and vendor blocks) — at the top level, in <c>moov</c> and in each <c>trak</c> is turned into a <c>free</c>
/// box of the same size filled with zeros. Sizes and offsets stay valid, so the video plays as before. What this does
/// not remove: data a camera hides inside the coded picture stream itself (some cameras write their model into H.264
/// SEI messages), and the picture itself. The public page says so next to the file field.
/// </remarks>
public static class Videos
{
    private static readonly string[] Containers = ["moov", "trak", "mdia", "minf", "edts"];
    private static readonly string[] Metadata = ["udta", "meta", "uuid", "XMP_", "loci", "cprt"];

    /// <summary>A copy with the metadata boxes blanked, or null when the file is not a well-formed ISO media file.</summary>
    public static byte[]? StripMetadata(byte[] bytes)
    {
        if (bytes.Length < 16 || Encoding.ASCII.GetString(bytes, 4, 4) != "ftyp") return null;
        var copy = bytes.ToArray();
        return Walk(copy, 0, copy.Length, 0) ? copy : null;
    }

    private static bool Walk(byte[] b, long start, long end, int depth)
    {
        if (depth > 8) return false;
        var at = start;
        while (at < end)
        {
            if (end - at < 8) return end - at == 0 || depth > 0; // trailing padding inside a container is tolerated
            long size = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan((int)at, 4));
            var type = Encoding.ASCII.GetString(b, (int)at + 4, 4);
            var header = 8L;
            if (size == 1)
            {
                if (end - at < 16) return false;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan((int)at + 8, 8));
                header = 16;
            }
            else if (size == 0)
            {
                size = end - at;
            }
            if (size < header || at + size > end) return false;
            if (Metadata.Contains(type))
            {
                Encoding.ASCII.GetBytes("free").CopyTo(b, (int)at + 4);
                Array.Clear(b, (int)(at + header), (int)(size - header));
            }
            else if (Containers.Contains(type) && !Walk(b, at + header, at + size, depth + 1))
            {
                return false;
            }
            at += size;
        }
        return true;
    }
}
