using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Tips;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Tips.TipClient;

namespace MineGuard.Tests.Features.Tips;

/// <summary>A tip photo reaches the staff as a fresh picture: nothing of the camera or its owner travels with it.</summary>
public sealed class TipPhotoTests
{
    private static bool Has(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    [Theory, OnSqlite, OnPostgres]
    public async Task A_photos_make_model_serial_and_owner_are_stripped_and_its_place_kept_for_the_verifier_when_allowed(string provider)
    {
        var app = await TestApp.Shared(provider);
        var photo = IdentifyingJpeg.Create(new DateTime(2026, 10, 30, 21, 15, 0), 110.5, 27.2, seed: Random.Shared.Next());
        Assert.All(IdentifyingJpeg.Secrets, s => Assert.True(Has(photo, s), s)); // the test photo does carry them

        var marker = "照片隐私 " + Guid.NewGuid().ToString("N")[..8];
        var fields = Fields(description: marker);
        fields["Input.SharePhotoPlace"] = "true";
        var sent = await SubmitAsync(app.Anonymous(), fields, files: [("IMG_20261030.jpg", photo)]);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var tipId = await TipIdAsync(app, sent.Code!);
        var attachment = await app.WithDbAsync(db => db.Set<TipAttachment>().SingleAsync(a => a.TipId == tipId));

        var office = await app.LoginAsync("hj-office");
        var served = await office.GetAsync($"/api/tips/{tipId}/attachments/{attachment.Id}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]);
        Assert.All(IdentifyingJpeg.Secrets, s => Assert.False(Has(bytes, s), $"served photo still contains {s}"));
        Assert.False(Has(bytes, "Exif\0\0"), "served photo has an EXIF segment");
        Assert.False(Has(bytes, "http://ns.adobe.com/xap"), "served photo has XMP");
        Assert.False(Has(bytes, "Photoshop 3.0"), "served photo has IPTC");
        Assert.DoesNotContain(Segments(bytes), m => m is 0xE1 or 0xED or 0xFE);
        // Still the same picture: a decodable 64×48 JPEG.
        using (var decoded = SkiaSharp.SKBitmap.Decode(bytes))
        {
            Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        }
        // Nothing of the original is stored anywhere, not even unserved.
        var originals = await app.WithDbAsync(db => db.Set<MineGuard.Platform.Files.StoredFile>()
            .CountAsync(f => f.Id == attachment.StoredFileId && f.Length == photo.Length));
        Assert.Equal(0, originals);

        // The tipster allowed it: the verifier sees the photo's own time and position.
        Assert.Equal(new DateTime(2026, 10, 30, 13, 15, 0, DateTimeKind.Utc), attachment.TakenUtc);
        Assert.Equal(110.5, attachment.Lon!.Value, 1e-4);
        var detail = await office.GetStringAsync($"/api/tips/{tipId}");
        Assert.Contains("110.500000", detail, StringComparison.Ordinal);
        Assert.Contains("2026-10-30 21:15", detail, StringComparison.Ordinal);
        Assert.All(IdentifyingJpeg.Secrets, s => Assert.DoesNotContain(s, detail, StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Without_the_tipsters_leave_the_photos_time_and_place_are_not_kept(string provider)
    {
        var app = await TestApp.Shared(provider);
        var photo = IdentifyingJpeg.Create(new DateTime(2026, 10, 29, 8, 0, 0), 110.45, 27.25, seed: Random.Shared.Next());
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: "未同意 " + Guid.NewGuid().ToString("N")[..8]), files: [("a.jpg", photo)]);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var tipId = await TipIdAsync(app, sent.Code!);
        var attachment = await app.WithDbAsync(db => db.Set<TipAttachment>().SingleAsync(a => a.TipId == tipId));
        Assert.Null(attachment.TakenUtc);
        Assert.Null(attachment.Lon);
        Assert.Null(attachment.Lat);
        var detail = await (await app.LoginAsync("hj-office")).GetStringAsync($"/api/tips/{tipId}");
        Assert.DoesNotContain("110.450000", detail, StringComparison.Ordinal);
        Assert.Contains("照片无拍摄时间和位置信息", detail, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_text_file_or_noise_behind_a_JPEG_signature_is_not_a_photo(string provider)
    {
        var app = await TestApp.Shared(provider);
        var noise = new byte[32 * 1024];
        new Random(7).NextBytes(noise);
        noise[0] = 0xFF; noise[1] = 0xD8; noise[2] = 0xFF; noise[3] = 0xE0;
        var sent = await SubmitAsync(app.Anonymous(), Fields(description: "假照片 " + Guid.NewGuid().ToString("N")[..8]),
            files: [("说明.jpg", "这不是照片"u8.ToArray()), ("噪声.jpg", noise)]);
        // The public page keeps the tip and refuses each file by name (a villager's tip is not lost to a wrong file).
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Contains("“说明.jpg”不是照片或视频", sent.Html, StringComparison.Ordinal);
        Assert.Contains("“噪声.jpg”不是照片或视频", sent.Html, StringComparison.Ordinal);
        var tipId = await TipIdAsync(app, sent.Code!);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<TipAttachment>().CountAsync(a => a.TipId == tipId)));
    }

    [Fact]
    public void A_videos_metadata_boxes_are_blanked_and_its_structure_kept()
    {
        static byte[] Box(string type, params byte[][] children)
        {
            var body = children.SelectMany(c => c).ToArray();
            var size = body.Length + 8;
            return [(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size, .. Encoding.ASCII.GetBytes(type), .. body];
        }
        var location = Encoding.ASCII.GetBytes("+27.2000+110.5000/ OwnerPhone SERIAL-8849");
        var video = Box("ftyp", "isom0000"u8.ToArray())
            .Concat(Box("moov", Box("mvhd", new byte[100]), Box("udta", Box("©xyz", location)), Box("trak", Box("tkhd", new byte[84]), Box("meta", "com.apple.quicktime.make MakerCorpX"u8.ToArray()))))
            .Concat(Box("mdat", new byte[256]))
            .ToArray();
        var stripped = MineGuard.Platform.Files.Videos.StripMetadata(video);
        Assert.NotNull(stripped);
        Assert.Equal(video.Length, stripped.Length);
        Assert.False(Has(stripped, "SERIAL-8849"));
        Assert.False(Has(stripped, "MakerCorpX"));
        Assert.False(Has(stripped, "udta"));
        Assert.True(Has(stripped, "mvhd") && Has(stripped, "tkhd") && Has(stripped, "mdat"));
        Assert.Null(MineGuard.Platform.Files.Videos.StripMetadata("....ftyp but then a box that runs past the end"u8.ToArray()));
    }

    /// <summary>The JPEG marker bytes of the segments before the picture data.</summary>
    private static List<byte> Segments(byte[] jpeg)
    {
        var markers = new List<byte>();
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            markers.Add(marker);
            if (marker == 0xDA) break; // start of scan
            at += 2 + (jpeg[at + 2] << 8 | jpeg[at + 3]);
        }
        return markers;
    }
}
