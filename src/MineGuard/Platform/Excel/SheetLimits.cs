using MineGuard.Platform.Files;
using System.IO.Compression;

namespace MineGuard.Platform.Excel;

/// <summary>
/// What a sheet may expand to before it is refused. An .xlsx is a zip: a 100 KB upload can inflate to gigabytes (a zip
/// bomb), hold one shared string of 100 MB, or address cell XFD1048576. The package is checked before the Open XML SDK
/// parses anything (<see cref="CheckPackage"/>), and the parts are then read through streams that stop at their cap, so
/// neither the declared sizes nor the real ones can make the server hold more than these numbers.
/// </summary>
/// <param name="MaxUncompressedBytes">All entries of the package together, inflated.</param>
/// <param name="MaxEntryBytes">One entry (a worksheet, the shared strings), inflated.</param>
/// <param name="MaxRatio">Inflated size over compressed size, for entries larger than <see cref="RatioCheckedFromBytes"/>.</param>
/// <param name="MaxEntries">Entries in the zip.</param>
/// <param name="MaxRows">Rows with content (Excel's own limit is 1,048,576).</param>
/// <param name="MaxColumns">Columns with content; empty styled cells further right are ignored.</param>
/// <param name="MaxCellChars">Characters in one cell (Excel's own limit is 32,767).</param>
/// <param name="MaxSharedStringChars">Characters of the shared string table together (it is held in memory).</param>
public sealed record SheetLimits(long MaxUncompressedBytes, long MaxEntryBytes, double MaxRatio, int MaxEntries, int MaxRows, int MaxColumns,
    int MaxCellChars, long MaxSharedStringChars)
{
    /// <summary>
    /// Sized for the 50 MB upload limit: a real ledger's XML compresses 5–20 times (measured on the product's own exports:
    /// about 8), so 400 MB inflated and a ratio of 200 leave a wide margin; 24 M characters of shared strings are ~50 MB
    /// of memory.
    /// </summary>
    public static readonly SheetLimits Default = new(
        MaxUncompressedBytes: 400L * 1024 * 1024, MaxEntryBytes: 300L * 1024 * 1024, MaxRatio: 200, MaxEntries: 2000,
        MaxRows: 1_048_576, MaxColumns: 200, MaxCellChars: 32_767, MaxSharedStringChars: 24_000_000);

    public const long RatioCheckedFromBytes = 1024 * 1024;

    /// <summary>
    /// Refuses a package whose directory declares too much (entries, sizes, ratios) and inflates the small entries the
    /// SDK parses on opening (content types, relationships) under a cap, since a declared size may lie. The stream is
    /// left where it was.
    /// </summary>
    public void CheckPackage(Stream stream)
    {
        var start = stream.Position;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries) throw TooLarge($"文件包含 {zip.Entries.Count} 个部件，超过 {MaxEntries} 个的上限");
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.Length > MaxEntryBytes || total > MaxUncompressedBytes)
                    throw TooLarge($"文件解压后超过 {MaxUncompressedBytes / 1024 / 1024} MB 的上限");
                if (entry.Length > RatioCheckedFromBytes && entry.Length > MaxRatio * Math.Max(entry.CompressedLength, 1))
                    throw TooLarge($"文件的压缩比异常（{entry.FullName} 解压后是压缩时的 {entry.Length / Math.Max(entry.CompressedLength, 1)} 倍），可能是恶意构造的文件");
                if (IsPackageMetadata(entry.FullName)) Inflate(entry, Math.Min(MaxEntryBytes, 16L * 1024 * 1024));
            }
        }
        catch (InvalidDataException e)
        {
            throw new SheetFormatException("文件内容已损坏或格式不正确，无法读取，请用 Excel 打开后重新保存", e);
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static bool IsPackageMetadata(string name) =>
        name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase) || name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase);

    private static void Inflate(ZipArchiveEntry entry, long cap)
    {
        using var part = new CappedReadStream(entry.Open(), cap, () => TooLarge($"文件部件 {entry.FullName} 解压后超过 {cap / 1024 / 1024} MB 的上限"), ownsInner: true);
        part.CopyTo(Stream.Null);
    }

    /// <summary>A part's stream that refuses to inflate beyond the entry cap, whatever the zip directory said.</summary>
    public Stream Capped(Stream part, string what) =>
        new CappedReadStream(part, MaxEntryBytes, () => TooLarge($"{what}解压后超过 {MaxEntryBytes / 1024 / 1024} MB 的上限"), ownsInner: true);

    public static SheetFormatException TooLarge(string why) => new($"{why}，未读取。请检查文件，或拆分后再上传");
}
