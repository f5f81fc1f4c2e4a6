using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace MineGuard.Platform.Pdf;

/// <summary>The font files a document is drawn with: Chinese, and optionally a Latin one for characters below the CJK blocks.</summary>
public sealed record PdfFontSet(string Chinese, string? Latin);

/// <summary>
/// The one Chinese font every printed document uses. PDFsharp 6 reads TrueType outlines (glyf) only: Debian's
/// fonts-noto-cjk ships CFF outlines in .ttc collections, which it cannot embed, so the default is Droid Sans Fallback
/// (fonts-droid-fallback, a plain .ttf with the GB 2312 set and more). <c>Pdf:FontFile</c> names another .ttf;
/// <c>Pdf:SearchKnownPaths=false</c> turns off the search of the known places (tests of a server without a font).
/// </summary>
public static class PdfFonts
{
    public static readonly IReadOnlyList<string> KnownPaths =
    [
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", // Debian, Ubuntu: fonts-droid-fallback
        "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf", // Fedora, RHEL
        "/usr/share/fonts/droid/DroidSansFallbackFull.ttf",
        "C:\\Windows\\Fonts\\simhei.ttf",
    ];

    /// <summary>The Debian package that provides the default font (named in the 503 when none is found).</summary>
    public const string Package = "fonts-droid-fallback";

    /// <summary>Latin companions: Droid Sans Fallback has no Latin letters or digits (fonts-dejavu-core is on every Debian with fontconfig).</summary>
    public static readonly IReadOnlyList<string> LatinKnownPaths =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", // Debian, Ubuntu: fonts-dejavu-core
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", // Fedora, RHEL
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];

    /// <summary>
    /// The fonts to use, or null when the server has no Chinese font (the document routes answer 503): the Chinese font
    /// (<c>Pdf:FontFile</c>, else the known places) and the Latin one for letters, digits and Western punctuation
    /// (<c>Pdf:LatinFontFile</c>, else the known places; none: the Chinese font draws them too, as SimHei can).
    /// </summary>
    public static PdfFontSet? Find(IConfiguration config)
    {
        var search = config.GetValue("Pdf:SearchKnownPaths", true);
        string? Pick(string key, IReadOnlyList<string> known) =>
            config[key] is { Length: > 0 } file && File.Exists(file) ? file : search ? known.FirstOrDefault(File.Exists) : null;
        return Pick("Pdf:FontFile", KnownPaths) is { } chinese ? new PdfFontSet(chinese, Pick("Pdf:LatinFontFile", LatinKnownPaths)) : null;
    }

    /// <summary>What to tell the caller when <see cref="FontFile"/> is null.</summary>
    public static string MissingMessage =>
        $"服务器缺少中文字体，无法生成 PDF：请安装 {Package}（apt-get install {Package}），或在设置 Pdf:FontFile 中指定一个 TrueType（.ttf）中文字体文件";

    /// <summary>Installs the resolver once per process; the family name PDFsharp is given is the font file's path.</summary>
    internal static void EnsureResolver()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not FileFontResolver) GlobalFontSettings.FontResolver = new FileFontResolver();
        }
    }

    private static readonly Lock Gate = new();

    /// <summary>Resolves a family name that is a font file's path to that file (read once, kept); thread-safe.</summary>
    private sealed class FileFontResolver : IFontResolver
    {
        private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            File.Exists(familyName) || files.ContainsKey(familyName) ? new FontResolverInfo(familyName, bold, italic) : null;

        public byte[]? GetFont(string faceName) => files.GetOrAdd(faceName, File.ReadAllBytes);
    }
}
