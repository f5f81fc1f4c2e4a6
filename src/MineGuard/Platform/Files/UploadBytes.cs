using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace MineGuard.Platform.Files;

/// <summary>
/// An upload read whole into one array (photos, evidence, track files): of the declared length when the request or the
/// form part declares it, instead of a growing <see cref="MemoryStream"/> and its copy (a field app's 120 KB photo was
/// three large-object allocations, each counting towards a full collection). The size limits are the callers' and
/// <c>InputLimits</c>' (which caps every request body whatever it declared). A declared length is trusted for an array
/// up to <see cref="TrustDeclaredBytes"/> only: beyond it the memory grows with the bytes that actually arrive, so a
/// client that declares 48 MB and sends a trickle holds no 48 MB array.
/// </summary>
public static class UploadBytes
{
    public static Task<byte[]> ReadAsync(HttpRequest request, CancellationToken ct) => ReadAsync(request.Body, request.ContentLength, ct);

    public static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        return await ReadAsync(stream, file.Length, ct);
    }

    /// <summary>The largest declared length read into an array of that size at once.</summary>
    public const int TrustDeclaredBytes = 4 * 1024 * 1024;

    public static async Task<byte[]> ReadAsync(Stream body, long? length, CancellationToken ct)
    {
        if (length is > 0 and <= TrustDeclaredBytes)
        {
            var bytes = new byte[length.Value];
            var read = await body.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct);
            if (read < bytes.Length) return bytes[..read];
            var probe = new byte[1];
            if (await body.ReadAsync(probe, ct) == 0) return bytes;
            // More than declared (a server under the app enforces Content-Length; a stream may not): the rest too.
            using var more = new MemoryStream();
            more.Write(bytes);
            more.Write(probe);
            await body.CopyToAsync(more, ct);
            return more.ToArray();
        }

        // No length (a multipart part, a chunked body) or a large one: read into pooled buffers, then one array of the
        // size read. A growing MemoryStream allocated each doubling and copied at the end: a field batch's 120 KB photo
        // was two large-object arrays, and large-object allocations set off the full collections during a day's sync.
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var used = 0;
        try
        {
            while (true)
            {
                if (used == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, used).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = bigger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(used), ct);
                if (read == 0) return buffer.AsSpan(0, used).ToArray();
                used += read;
            }
        }
        finally
        {
            // Uploads carry tipsters' photos and evidence: nothing of them stays in a buffer another request rents.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
