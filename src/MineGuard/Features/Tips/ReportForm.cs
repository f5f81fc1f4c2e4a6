using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using MineGuard.Platform.Files;

namespace MineGuard.Features.Tips;

/// <summary>
/// The public form's post, read once as it arrives (<see cref="MultipartReader"/>) instead of through model binding's
/// form reader, which copies every file over 64 KB to a temporary file on disk for the handler to copy back. Text fields
/// are collected; each file is read straight into memory and made safe there (<see cref="TipSubmission.ReceiveFileAsync"/>),
/// so the original photo exists once, for as long as it takes to re-encode it.
/// </summary>
/// <remarks>
/// The page's form sends its challenge and text fields before its files, so the flood check (<c>admit</c>) runs when
/// the first file begins, before any photo is read or decoded; a post without files is checked at its end. A refused
/// post's remaining bytes are read past, unparsed. Limits: at most <see cref="TipSubmission.MaxFiles"/> files are read (later ones are
/// read past and counted), a text field is cut at <see cref="MaxFieldChars"/> characters (longer than any field may
/// be, so its length message still shows), at most <see cref="MaxParts"/> parts are looked at.
/// </remarks>
public sealed class ReportForm
{
    public const int MaxFieldChars = 20_000;
    public const int MaxParts = 200;

    public Dictionary<string, StringValues> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<TipUpload> Files { get; } = [];

    /// <summary>Files beyond <see cref="TipSubmission.MaxFiles"/>, read past and not kept.</summary>
    public int FilesLeftOut { get; private set; }

    /// <summary>False when <c>admit</c> refused the post (nothing of it is kept).</summary>
    public bool Admitted { get; private set; } = true;

    /// <summary>
    /// Reads a multipart or URL-encoded post; <paramref name="admit"/> is called once with the fields read so far,
    /// before the first file (or at the end), and stops the reading when it answers false.
    /// </summary>
    public static async Task<ReportForm> ReadAsync(HttpRequest request, Func<ReportForm, Task<bool>> admit, CancellationToken ct)
    {
        var form = new ReportForm();
        var boundary = Multipart.Boundary(request.ContentType);
        if (boundary is null)
        {
            if (request.HasFormContentType)
            {
                foreach (var (key, value) in await request.ReadFormAsync(ct)) form.Fields[key] = value;
            }
            form.Admitted = await admit(form);
            return form;
        }

        var reader = new MultipartReader(boundary, request.Body);
        var checkedIn = false;
        var parts = 0;
        while (await reader.ReadNextSectionAsync(ct) is { } section && ++parts <= MaxParts)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (!checkedIn)
                {
                    checkedIn = true;
                    if (!(form.Admitted = await admit(form)))
                    {
                        // Read past the rest unparsed, so the sender gets its answer rather than a reset connection.
                        await request.Body.CopyToAsync(Stream.Null, ct);
                        return form;
                    }
                }
                if (name != "Files") continue;
                if (form.Files.Count >= TipSubmission.MaxFiles)
                {
                    // An empty file field is no file: only real ones count as left out.
                    if (await section.Body.ReadAsync(new byte[1], ct) > 0) form.FilesLeftOut++;
                    continue;
                }
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (await TipSubmission.ReceiveFileAsync(section.Body, fileName, ct) is { } file) form.Files.Add(file);
            }
            else if (disposition.IsFormDisposition())
            {
                form.Fields[name] = StringValues.Concat(form.Fields.GetValueOrDefault(name), await TextAsync(section.Body, ct));
            }
        }
        if (!checkedIn) form.Admitted = await admit(form);
        return form;
    }

    /// <summary>A text field as UTF-8 (what the page's form sends), cut at <see cref="MaxFieldChars"/>.</summary>
    private static async Task<string> TextAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[MaxFieldChars];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += n;
        return new string(buffer, 0, length);
    }
}
