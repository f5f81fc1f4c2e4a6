using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Platform.Excel;

namespace MineGuard.Features.Imports;

/// <summary>A kind's blank import template, written to a temporary file and sent from there.</summary>
public static class LedgerFiles
{
    /// <summary>
    /// The kind's import template: its fields' headers (required ones marked *) and one grey example row whose first
    /// cell is 示例, which the import skips, so a template filled in below the example imports as it is.
    /// </summary>
    public static FileStreamHttpResult Template(LedgerKind kind)
    {
        var file = Export.TempFile();
        using (var sheet = XlsxWriter.Create(file, $"{kind.Noun}台账",
                   [.. kind.Fields.Select(f => new XlsxWriter.Column(f.Required ? f.Header + "*" : f.Header, kind.ColumnWidth(f.Key)))]))
        {
            sheet.WriteRow(["示例", .. kind.Example.Skip(1)], example: true);
        }
        file.Position = 0;
        return TypedResults.File(file, ExportFormat.Xlsx.ContentType, $"{kind.Noun}台账导入模板.xlsx");
    }
}
