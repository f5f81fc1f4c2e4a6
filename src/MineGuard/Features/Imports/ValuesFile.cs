using System.Text.Json;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// The CLI's <c>--values FILE</c>: value mappings for one import, as JSON <c>{"封堵情况": {"封堵被毁": "发现破坏"}}</c> or
/// as CSV rows <c>column,value,known</c> (a first row 列,原值,系统取值 or column,value,known is a header; UTF-8 or
/// GB18030). A column is named as the ledger's header, the field's name, one of its aliases, or its key. Every mapping
/// is checked as the web's are (<see cref="ValueMap.Check"/>); any mistake refuses the whole file with every reason.
/// </summary>
internal static class ValuesFile
{
    private static readonly HashSet<string> HeaderWords = new(StringComparer.OrdinalIgnoreCase) { "column", "列", "列名", "字段" };

    public static async Task<ValueMap> ReadAsync(LedgerKind kind, LedgerLayout layout, FileInfo file)
    {
        if (!file.Exists) throw new ArgumentException($"取值对应文件不存在 / no such values file: {file.FullName}");
        var entries = file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? Csv(file)
            : Json(file.Name, await File.ReadAllBytesAsync(file.FullName));
        var problems = new List<string>();
        var accepted = new List<(string, string, string)>();
        foreach (var (where, input) in entries)
        {
            var errors = new FieldErrors();
            if (ValueMap.Check(kind, layout, input, errors, where) is { } ok) accepted.Add(ok);
            problems.AddRange(errors.Values.SelectMany(v => v));
        }
        if (accepted.Count == 0 && problems.Count == 0) problems.Add("文件中没有任何取值对应");
        if (problems.Count > 0)
            throw new ArgumentException($"取值对应文件“{file.Name}”有误，未导入 / bad values file, nothing imported:\n  " + string.Join("\n  ", problems));
        return new ValueMap(accepted);
    }

    private static List<(string Where, ValueMappingInput Input)> Json(string name, byte[] content)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"取值对应文件“{name}”不是有效的 JSON（第 {e.LineNumber + 1} 行）；应为 {{\"列\": {{\"台账原值\": \"系统取值\"}}}}，或使用 .csv（列,原值,系统取值）");
        }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException($"取值对应文件“{name}”应为一个对象：{{\"列\": {{\"台账原值\": \"系统取值\"}}}}");
            var entries = new List<(string, ValueMappingInput)>();
            foreach (var column in json.RootElement.EnumerateObject())
            {
                if (column.Value.ValueKind != JsonValueKind.Object)
                    throw new ArgumentException($"取值对应文件“{name}”中“{column.Name}”的内容应为 {{\"台账原值\": \"系统取值\"}}");
                foreach (var word in column.Value.EnumerateObject())
                {
                    var known = word.Value.ValueKind == JsonValueKind.String ? word.Value.GetString() : word.Value.GetRawText();
                    entries.Add(($"“{column.Name}”中的“{word.Name}”：", new ValueMappingInput(column.Name, word.Name, known)));
                }
            }
            return entries;
        }
    }

    private static List<(string Where, ValueMappingInput Input)> Csv(FileInfo file)
    {
        var entries = new List<(string, ValueMappingInput)>();
        using var stream = file.OpenRead();
        try
        {
            foreach (var row in SheetReader.Read(stream, file.Name))
            {
                var (column, value, known) = (row.Cell(0).Trim(), row.Cell(1).Trim(), row.Cell(2).Trim());
                if (column.Length + value.Length + known.Length == 0) continue;
                if (entries.Count == 0 && HeaderWords.Contains(column)) continue;
                entries.Add(($"第 {row.Number} 行：", new ValueMappingInput(column, value, known)));
            }
        }
        catch (SheetFormatException e)
        {
            throw new ArgumentException($"取值对应文件“{file.Name}”无法读取：{e.Message}");
        }
        return entries;
    }
}
