using SkiaSharp;

namespace MineGuard.Platform.Files;

/// <summary>
/// Is it really a photo, and a copy of it with nothing hidden. Every photo intake (tips, field check-ins, adit
/// photos) asks <see cref="Type"/>; the public tip page also keeps only <see cref="Reencode"/>'s copy.
/// </summary>
/// <remarks>
/// The check reads the file's own header with Skia (the format's signature, then a valid frame header with its size),
/// so a text file, a renamed document or a signature followed by noise is refused, while a photo whose end was cut
/// off on a weak signal is still accepted (its header is whole; what decodes of it is evidence).
/// </remarks>
public static class Images
{
    /// <summary>Larger pictures are refused rather than decoded (a 100-megapixel frame is 400 MB of pixels).</summary>
    public const long MaxPixels = 60_000_000;

    /// <summary>"image/jpeg", "image/png" or "image/webp" when the bytes are such an image; otherwise null.</summary>
    public static string? Type(byte[] bytes)
    {
        var signature = bytes switch
        {
            [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
            [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
            [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
            _ => null,
        };
        if (signature is null) return null;
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels) return null;
        var format = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => "image/jpeg",
            SKEncodedImageFormat.Png => "image/png",
            SKEncodedImageFormat.Webp => "image/webp",
            _ => null,
        };
        return format == signature ? format : null;
    }

    /// <summary>The file name extension of a stored file's type: the image types, PDF and video; ".bin" otherwise.</summary>
    public static string Extension(string? type) => type switch
    {
        "image/jpeg" => ".jpg", "image/png" => ".png", "image/webp" => ".webp", "application/pdf" => ".pdf",
        "video/mp4" => ".mp4", _ => ".bin",
    };

    /// <summary>
    /// The picture decoded to pixels and encoded anew as JPEG (quality 90), upright as the camera meant it: the new
    /// file has no EXIF (make, model, serial number, owner, time, position), XMP, IPTC, comment, thumbnail or trailing
    /// data — nothing of the original file travels but its pixels. Null when nothing of it decodes.
    /// </summary>
    public static byte[]? Reencode(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels) return null;
        using var decoded = new SKBitmap(info);
        // Transparent areas (PNG, WebP) become white, not black, in a JPEG.
        decoded.Erase(SKColors.White);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput)) return null;
        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var flat = new SKBitmap(new SKImageInfo(upright.Width, upright.Height, SKColorType.Rgba8888, SKAlphaType.Opaque, SKColorSpace.CreateSrgb()));
        using (var canvas = new SKCanvas(flat))
        {
            canvas.Clear(SKColors.White);
            using (var img = SKImage.FromBitmap(upright)) canvas.DrawImage(img, 0, 0, SKSamplingOptions.Default);
        }
        using var image = SKImage.FromBitmap(flat);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return encoded?.ToArray();
    }

    /// <summary>Applies the EXIF orientation to the pixels, since the new file carries no EXIF to say it.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var width = swap ? source.Height : source.Width;
        var height = swap ? source.Width : source.Height;
        var target = new SKBitmap(new SKImageInfo(width, height, source.ColorType, source.AlphaType, source.ColorSpace));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.White);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, width / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, width / 2f, height / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, height / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(width, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(width, height); canvas.RotateDegrees(-90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, height); canvas.RotateDegrees(-90); break;
        }
        using (var img = SKImage.FromBitmap(source)) canvas.DrawImage(img, 0, 0, SKSamplingOptions.Default);
        return target;
    }
}
