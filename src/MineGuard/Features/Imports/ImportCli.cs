using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Imports;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Cli;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Imports;

/// <summary>
/// <c>mineguard import adits FILE --county 410325 [--dry-run] [--values FILE]</c>: the web import's checks and
/// transaction for a file too large to upload, run by an operator. Prints the mapping it found, the rows read,
/// imported and rejected with each rejected row's reason, the words of enumeration columns nobody has mapped yet, and
/// exits non-zero when nothing was (or, dry, would be) imported. The county's remembered value mappings apply, and a
/// <c>--values</c> file's (<see cref="ValuesFile"/>) on top of them.
/// </summary>
internal sealed class ImportCli : ICliVerb
{
    public static string Verb => "import";

    public static Command Command(WebApplication app, Func<WebApplication, string, Func<IServiceProvider, AppDbContext, Task<int>>, Task<int>> run)
    {
        var import = new Command("import", "import a ledger (.xlsx or .csv) into one county");
        foreach (var kind in LedgerKind.All) import.Subcommands.Add(KindCommand(app, kind, run));
        return import;
    }

    private static Command KindCommand(WebApplication app, LedgerKind kind,
        Func<WebApplication, string, Func<IServiceProvider, AppDbContext, Task<int>>, Task<int>> run)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "the ledger: an .xlsx (first sheet) or a .csv (UTF-8 or GB18030)" };
        var county = new Option<string>("--county") { Description = "the county's division code, e.g. 410325", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "check every row and print the summary, import nothing" };
        var values = new Option<FileInfo?>("--values")
        {
            Description = "value mappings: JSON {\"column\": {\"ledger word\": \"known value\"}} or CSV rows column,value,known",
        };
        var crs = new Option<string?>("--crs") { Description = "the whole file's coordinate system: wgs84 or gcj02 (a row's own 坐标系 column wins)" };
        var command = new Command(kind.Kind, $"import a {kind.Kind} ledger ({kind.Noun}台账)") { file, county, dryRun, values, crs };
        command.SetAction(parse => run(app, $"import {kind.Kind}", async (services, db) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new ArgumentException($"文件不存在 / no such file: {path.FullName}");
            var code = Division.NormalizeCode(parse.GetValue(county)!);
            var division = await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code && d.Level == DivisionLevel.County)
                           ?? throw new ArgumentException($"未知的县级区划代码 / unknown county code: {code}");
            var crsErrors = new Platform.Web.FieldErrors();
            var declared = ImportCommands.DeclaredCrs(parse.GetValue(crs), crsErrors);
            if (!crsErrors.Ok) throw new ArgumentException(string.Join("；", crsErrors.Values.SelectMany(m => m)));
            LedgerLayout layout;
            await using (var stream = path.OpenRead()) layout = LedgerImport.Propose(kind, stream, path.Name) with { Crs = declared };
            PrintLayout(kind, layout);
            var map = await services.GetRequiredService<ImportCommands>().RememberedMapAsync(kind, division.Code, CancellationToken.None);
            if (parse.GetValue(values) is { } valuesFile) map = map.With(await ValuesFile.ReadAsync(kind, layout, valuesFile));

            // The system acts, but only inside the county it was told: rows placed elsewhere are rejected.
            var scope = JurisdictionScope.Of(division.Code);
            var ledger = services.GetRequiredService<LedgerImport>();
            var dry = parse.GetValue(dryRun);
            await using var rows = path.OpenRead();
            var (summary, batch) = dry
                ? (await ledger.CheckAsync(kind, division, scope, rows, path.Name, layout, map, LedgerImport.ReportedErrors, CancellationToken.None), null)
                : await ImportAsync(ledger, kind, division, scope, rows, path.Name, layout, map);
            return Print(kind, layout, summary, batch, dry);
        }));
        return command;
    }

    private static async Task<(LedgerSummary, ImportBatch?)> ImportAsync(
        LedgerImport ledger, LedgerKind kind, Division county, JurisdictionScope scope, Stream rows, string name, LedgerLayout layout, ValueMap values)
    {
        var result = await ledger.ImportAsync(kind, county, scope, rows, name, layout, values, county.Code, null, CancellationToken.None);
        return (result.Summary, result.Batch);
    }

    private static void PrintLayout(LedgerKind kind, LedgerLayout layout)
    {
        Console.WriteLine($"表头在第 {layout.HeaderRow} 行 / header row {layout.HeaderRow}:");
        if (layout.Crs is not null) Console.WriteLine($"  整表坐标系 / file's coordinate system: {layout.Crs}");
        for (var c = 0; c < layout.Headers.Length; c++)
        {
            if (string.IsNullOrWhiteSpace(layout.Headers[c]) && layout.Fields[c] is null) continue;
            var field = layout.Fields[c] is { } key ? kind.Field(key)?.Header ?? key : "（不导入 / ignored）";
            Console.WriteLine($"  {XlsxWriter.ColumnName(c),-3} {layout.Headers[c]} → {field}");
        }
    }

    private static int Print(LedgerKind kind, LedgerLayout layout, LedgerSummary summary, ImportBatch? batch, bool dry)
    {
        if (summary.MissingRequired.Count > 0)
        {
            Console.WriteLine($"缺少必填列 / required columns missing: {string.Join("、", summary.MissingRequired)}；未导入 / nothing imported");
            return 1;
        }
        Console.WriteLine($"读取 / rows read: {summary.RowsRead}");
        if (dry) Console.WriteLine($"可导入 / would import: {summary.Valid}（试运行，未导入 / dry run, nothing imported）");
        else Console.WriteLine($"导入 / imported: {batch?.RowsImported ?? 0}" + (batch is null ? "" : $"（批次 / batch {batch.Id}）"));
        Console.WriteLine($"拒绝 / rejected: {summary.Invalid}");
        foreach (var e in summary.Errors)
        {
            var column = e.Column is null ? "" : $"（{e.Column} 列“{e.Header}”）";
            Console.WriteLine($"  第 {e.Row} 行 / row {e.Row} · {e.Field}{column}: {e.Message}");
        }
        if (summary.ErrorsNotListed > 0) Console.WriteLine($"  …另有 {summary.ErrorsNotListed} 条问题未列出 / more not listed");
        if (summary.UnknownValues is { Count: > 0 } unknown)
        {
            Console.WriteLine("无法识别的取值 / unknown values (map them with --values FILE):");
            foreach (var group in unknown.GroupBy(u => u.Field))
            {
                var column = Array.IndexOf(layout.Fields, group.Key);
                var header = column < 0 ? "" : $"（{XlsxWriter.ColumnName(column)} 列“{layout.Headers[column]}”）";
                var known = string.Join("、", kind.ValueColumn(group.Key)?.Known ?? []);
                Console.WriteLine($"  {kind.Field(group.Key)?.Header ?? group.Key}{header}，可对应为 / known: {known}");
                foreach (var u in group) Console.WriteLine($"    “{u.Value}” × {u.Rows}");
            }
        }
        if (summary.Notes is { Count: > 0 } notes) Console.WriteLine($"按近似名称对应 / matched by a near name: {notes.Count}");
        foreach (var n in summary.Notes ?? []) Console.WriteLine($"  第 {n.Row} 行 / row {n.Row} · {n.Field}: {n.Message}");
        var imported = dry ? summary.Valid : batch?.RowsImported ?? 0;
        return imported > 0 ? 0 : 1;
    }
}
