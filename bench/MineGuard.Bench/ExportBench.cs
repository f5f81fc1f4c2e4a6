using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Features.Adits;
using MineGuard.Features.Imports;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;

namespace MineGuard.Bench;

/// <summary>
/// Issue 13's export benchmark: generated adits of Luoyang (<see cref="AditGenerator"/>) exported as the city's leader
/// through the product's own path (<see cref="Export.WriteAsync"/> over <see cref="AditExport.Plan"/>, the code the
/// endpoint and the background job run) to .xlsx and to .csv, against the same cells written with the Open XML SDK
/// directly (SpreadsheetDocument.Create and OpenXmlWriter, the SDK's usual streaming way). All read the rows the same
/// way, so "rows alone" (reading and building the cells, writing nothing) is printed too. Peak working set is sampled
/// every 10 ms during each run, after a full collection.
/// dotnet run -c Release --project bench/MineGuard.Bench -- export [--rows 1000000]
/// SQLite by default; PostgreSQL when MINEGUARD_BENCH_POSTGRES holds a connection string.
/// </summary>
public static class ExportBench
{
    private const string City = "4103";

    public static async Task<int> RunAsync(string[] args, string? postgresServer)
    {
        var rows = Array.IndexOf(args, "--rows") is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1_000_000;
        Console.WriteLine($"MineGuard export benchmark on {(postgresServer is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores, {rows:N0} adits");
        await using var app = await BenchApp.StartAsync(postgresServer, keep: false);
        var insert = Stopwatch.StartNew();
        await BenchProgram.WithDbAsync(app, null, db => AditGenerator.InsertAsync(db, City, rows, seed: 2026));
        Console.WriteLine($"inserted in {insert.Elapsed.TotalSeconds:F1} s");
        var leader = new CurrentUser.Actor(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "ly-leader"), new Claim(MineGuardClaims.Scope, City)], "bench")), "bench", null);
        var plan = AditExport.Plan(AditFilter.None);

        // The SDK last: what a run leaves in the process (server GC keeps its heap) is not charged to the next one.
        var results = new List<(string Name, Measured M)>
        {
            ("rows alone (read, build cells)", await MeasureAsync(app, leader, async (services, _) =>
            {
                var n = 0L;
                await foreach (var row in plan.Rows(services, CancellationToken.None)) n++;
                return n;
            })),
            ("product .xlsx", await MeasureAsync(app, leader, async (services, file) =>
                await Export.WriteAsync(services, plan, ExportFormat.Xlsx, file, null, services.GetRequiredService<ExportJobs>().MaxRows, CancellationToken.None))),
            ("product .csv", await MeasureAsync(app, leader, async (services, file) =>
                await Export.WriteAsync(services, plan, ExportFormat.Csv, file, null, services.GetRequiredService<ExportJobs>().MaxRows, CancellationToken.None))),
            ("Open XML SDK directly (.xlsx)", await MeasureAsync(app, leader, (services, file) => SdkAsync(services, plan, file))),
        };
        var sdk = results[^1].M;
        Console.WriteLine();
        Console.WriteLine("peak WS: the process's working set at its highest during the run; +MB: above its level when the run began");
        Console.WriteLine($"{"run",-32} {"rows",10} {"s",8} {"MB file",8} {"peak WS MB",10} {"+MB",7} | {"time/SDK",8} {"+MB/SDK",8}");
        foreach (var (name, m) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-32} {m.Rows,10:N0} {m.Seconds,8:F1} {m.FileBytes / 1048576.0,8:F1} {m.PeakBytes / 1048576.0,10:F0} {(m.PeakBytes - m.StartBytes) / 1048576.0,7:F0} | {m.Seconds / sdk.Seconds,8:F2} {(double)(m.PeakBytes - m.StartBytes) / Math.Max(1, sdk.PeakBytes - sdk.StartBytes),8:F3}"));
        }
        return 0;
    }

    internal sealed record Measured(long Rows, double Seconds, long FileBytes, long StartBytes, long PeakBytes);

    /// <summary>One run in its own unit of work as the leader, writing to a temporary file, timed and sampled.</summary>
    internal static async Task<Measured> MeasureAsync(BenchApp app, CurrentUser.Actor actor, Func<IServiceProvider, FileStream, Task<long>> run)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var start = Environment.WorkingSet;
        var peak = start;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, Environment.WorkingSet);
                await Task.Delay(10);
            }
        });
        var path = Path.Combine(Path.GetTempPath(), $"mineguard-bench-export-{Guid.NewGuid():N}");
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAs(actor);
            var watch = Stopwatch.StartNew();
            long rows;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                rows = await run(scope.ServiceProvider, file);
            }
            var seconds = watch.Elapsed.TotalSeconds;
            await done.CancelAsync();
            await sampler;
            return new Measured(rows, seconds, new FileInfo(path).Length, start, Math.Max(peak, Environment.WorkingSet));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The same cells through the SDK's own package and writer: inline strings, numbers, dates as serials.</summary>
    private static async Task<long> SdkAsync(IServiceProvider services, ExportPlan plan, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var book = document.AddWorkbookPart();
        book.Workbook = new Workbook();
        var sheetPart = book.AddNewPart<WorksheetPart>();
        book.Workbook.AppendChild(new Sheets(new Sheet { Id = book.GetIdOfPart(sheetPart), SheetId = 1, Name = plan.Title }));
        var count = 0L;
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, 1, plan.Columns.Select(c => (object?)c.Header).ToArray());
            await foreach (var row in plan.Rows(services, CancellationToken.None))
            {
                count++;
                WriteRow(writer, (uint)count + 1, row);
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        return count;
    }

    private static void WriteRow(OpenXmlWriter writer, uint number, IReadOnlyList<object?> values)
    {
        writer.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Row { RowIndex = number });
        for (var c = 0; c < values.Count; c++)
        {
            var reference = XlsxWriter.ColumnName(c) + number.ToString(CultureInfo.InvariantCulture);
            Cell? cell = values[c] switch
            {
                null => null,
                string s => Text(reference, s),
                bool b => Text(reference, b ? "是" : "否"),
                DateOnly d => new Cell { CellReference = reference, CellValue = new CellValue(d.ToDateTime(TimeOnly.MinValue).ToOADate()) },
                IFormattable n and (int or long or double or float or decimal) => new Cell
                {
                    CellReference = reference, CellValue = new CellValue(n.ToString(null, CultureInfo.InvariantCulture)),
                },
                var other => Text(reference, other.ToString() ?? ""),
            };
            if (cell is not null) writer.WriteElement(cell);
        }
        writer.WriteEndElement();
    }

    private static Cell Text(string reference, string text) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };
}
