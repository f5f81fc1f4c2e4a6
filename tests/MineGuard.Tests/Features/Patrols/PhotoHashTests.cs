using MineGuard.Features.Patrols;
using MineGuard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MineGuard.Tests.Features.Patrols;

/// <summary>The perceptual hash (dHash) of check-in photos: a re-encoded copy is the same picture, another scene is not.</summary>
public sealed class PhotoHashTests(ITestOutputHelper output)
{
    [Fact]
    public void A_copy_reencoded_at_another_quality_and_size_is_the_same_picture_another_scene_is_not()
    {
        var worstCopy = 0;
        var closestOther = 64;
        for (var seed = 1; seed <= 12; seed++)
        {
            var original = TestPictures.Scene(seed);
            var hash = PhotoHash.Of(original);
            Assert.NotNull(hash);
            foreach (var (scale, quality) in new[] { (0.3, 40), (0.5, 60), (0.75, 95), (1.5, 70), (1.0, 50) })
            {
                var copy = TestPictures.Reencode(original, scale, quality);
                Assert.NotEqual(original, copy);
                var bits = PhotoHash.Distance(hash.Value, PhotoHash.Of(copy)!.Value);
                worstCopy = Math.Max(worstCopy, bits);
                Assert.True(bits <= PresenceThresholds.SamePictureBits, $"scene {seed} at {scale}×, quality {quality}: {bits} bits");
            }

            for (var other = seed + 1; other <= 12; other++)
            {
                var bits = PhotoHash.Distance(hash.Value, PhotoHash.Of(TestPictures.Scene(other))!.Value);
                closestOther = Math.Min(closestOther, bits);
                Assert.True(bits > PresenceThresholds.SamePictureBits, $"scenes {seed} and {other}: {bits} bits");
            }
        }

        output.WriteLine($"re-encoded copies differ by at most {worstCopy} bits; other scenes by at least {closestOther}");
    }

    [Fact]
    public void Bytes_that_do_not_decode_a_tiny_or_a_flat_picture_have_no_hash()
    {
        Assert.Null(PhotoHash.Of([1, 2, 3]));
        Assert.Null(PhotoHash.Of(ExifJpeg.Plain()));
        using var bitmap = new SkiaSharp.SKBitmap(64, 48);
        bitmap.Erase(new SkiaSharp.SKColor(90, 90, 90));
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        Assert.Null(PhotoHash.Of(image.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 80).ToArray()));
    }
}
