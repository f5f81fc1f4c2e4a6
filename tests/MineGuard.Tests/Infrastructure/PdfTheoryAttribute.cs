using MineGuard.Platform.Pdf;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// A theory that prints PDFs: reported as skipped when none of the Chinese TrueType fonts the server looks for is installed
/// (<c>apt-get install fonts-droid-fallback</c>; CI installs it), as the PostgreSQL and browser tests are without theirs.
/// </summary>
public sealed class PdfTheoryAttribute : TheoryAttribute
{
    public static bool FontInstalled => PdfFonts.KnownPaths.Any(File.Exists);

    public PdfTheoryAttribute()
    {
        if (!FontInstalled) Skip = "no Chinese TrueType font for PDFs (apt-get install fonts-droid-fallback)";
    }
}
