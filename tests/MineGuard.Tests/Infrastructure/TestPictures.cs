using SkiaSharp;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// Real photos for the photo-evidence rules: a scene of its own per seed (sky, ground, rocks and an adit mouth in
/// random places and colours) encoded as JPEG without EXIF (as the field app's canvas capture is), and the same
/// picture re-encoded at another quality and size (other bytes, same image).
/// </summary>
public static class TestPictures
{
    public static byte[] Scene(int seed, int width = 640, int height = 480, int quality = 85)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            SKColor Colour() => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            var horizon = height * (0.25f + (float)random.NextDouble() * 0.4f);
            using (var sky = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, horizon), [Colour(), Colour()], SKShaderTileMode.Clamp) })
                canvas.DrawRect(0, 0, width, horizon, sky);
            using (var ground = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, horizon), new SKPoint(width, height), [Colour(), Colour()], SKShaderTileMode.Clamp) })
                canvas.DrawRect(0, horizon, width, height - horizon, ground);
            for (var i = 0; i < 12; i++)
            {
                using var paint = new SKPaint { Color = Colour(), IsAntialias = true };
                var (x, y, r) = ((float)random.NextDouble() * width, (float)random.NextDouble() * height, 10 + (float)random.NextDouble() * width / 6);
                if (i % 2 == 0) canvas.DrawCircle(x, y, r, paint);
                else canvas.DrawRect(x - r, y - (r / 2), r * 2, r, paint);
            }

            using var mouth = new SKPaint { Color = new SKColor(20, 18, 16), IsAntialias = true };
            canvas.DrawOval((float)(width * (0.2 + random.NextDouble() * 0.6)), horizon + ((height - horizon) / 2), width / 10f, height / 8f, mouth);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>The picture decoded and encoded again at <paramref name="scale"/> of its size and another quality.</summary>
    public static byte[] Reencode(byte[] jpeg, double scale, int quality)
    {
        using var source = SKBitmap.Decode(jpeg);
        var info = new SKImageInfo(Math.Max(1, (int)(source.Width * scale)), Math.Max(1, (int)(source.Height * scale)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var resized = source.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
