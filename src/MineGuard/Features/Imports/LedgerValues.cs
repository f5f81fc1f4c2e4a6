using MineGuard.Platform.Excel;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Imports;

/// <summary>
/// An enumeration column of a ledger kind: the product's Chinese names of its values (what a ledger word may be mapped
/// to) and the very parser the row check uses, so "unknown" here means exactly "the row would be refused for it".
/// </summary>
public sealed record ValueColumn(string Field, IReadOnlyList<string> Known, Func<string, bool> Understood);

/// <summary>A ledger word the product does not understand in one enumeration column, and how many rows hold it.</summary>
public sealed record UnknownValue(string Field, string Value, int Rows);

/// <summary>One mapping as a caller gives it: the column (field key, the field's name or one of its aliases), the ledger's word and the known value.</summary>
public sealed record ValueMappingInput(string? Field, string? Value, string? Known);

/// <summary>
/// The word-for-word replacements applied to a row's enumeration cells before the row is checked: a county's
/// remembered mappings, and for the CLI those of a <c>--values</c> file on top.
/// </summary>
public sealed class ValueMap
{
    public const int MaxValueChars = 200;

    /// <summary>Distinct unknown words kept per column (a free-text column mapped to an enumeration would list every cell).</summary>
    public const int ListedPerColumn = 100;

    private readonly Dictionary<string, Dictionary<string, string>> byField = new(StringComparer.Ordinal);

    public static ValueMap None { get; } = new([]);

    public ValueMap(IEnumerable<(string Field, string Value, string Known)> entries)
    {
        foreach (var (field, value, known) in entries)
        {
            if (!byField.TryGetValue(field, out var words)) byField[field] = words = new(StringComparer.Ordinal);
            words[value] = known;
        }
    }

    public int Count => byField.Values.Sum(w => w.Count);

    /// <summary>The known value a ledger's (trimmed) text stands for, or the text itself.</summary>
    public string Apply(string field, string text) =>
        text.Length > 0 && byField.TryGetValue(field, out var words) && words.TryGetValue(text, out var known) ? known : text;

    /// <summary>This map with <paramref name="over"/>'s entries replacing its own for the same words.</summary>
    public ValueMap With(ValueMap over) =>
        new(byField.SelectMany(f => f.Value.Select(w => (f.Key, w.Key, w.Value)))
            .Concat(over.byField.SelectMany(f => f.Value.Select(w => (f.Key, w.Key, w.Value)))));

    /// <summary>
    /// Checks one mapping against a kind: the column must be one of its enumeration columns (named by its key, its
    /// field name, one of its aliases, or the file's own header when a layout is given), the word one the product does
    /// not already understand, the known value one of the column's names. Errors are keyed Field, Value and Known.
    /// </summary>
    public static (string Field, string Value, string Known)? Check(LedgerKind kind, LedgerLayout? layout, ValueMappingInput input,
        FieldErrors errors, string where = "")
    {
        var name = input.Field?.Trim() ?? "";
        var value = input.Value?.Trim() ?? "";
        var known = input.Known?.Trim() ?? "";
        var column = ColumnOf(kind, layout, name);
        var columns = string.Join("、", kind.ValueColumns.Select(c => kind.Field(c.Field)?.Header ?? c.Field));
        if (column is null)
        {
            errors.Add("Field", name.Length == 0
                ? $"{where}请指明取值所在的列（{kind.Noun}台账可对应取值的列：{columns}）"
                : $"{where}“{name}”不是{kind.Noun}台账中可对应取值的列；可对应取值的列：{columns}");
            return null;
        }
        var header = kind.Field(column.Field)?.Header ?? column.Field;
        if (value.Length == 0) errors.Add("Value", $"{where}请填写“{header}”列中台账原来的写法");
        else if (value.Length > MaxValueChars) errors.Add("Value", $"{where}“{header}”列的原值超过 {MaxValueChars} 个字");
        else if (column.Understood(value)) errors.Add("Value", $"{where}“{value}”系统已能识别为{header}，无需对应");
        if (!column.Known.Contains(known))
            errors.Add("Known", known.Length == 0
                ? $"{where}请选择“{value}”对应的{header}：{string.Join("、", column.Known)}"
                : $"{where}“{known}”不是系统中的{header}，可选：{string.Join("、", column.Known)}");
        return errors.Ok ? (column.Field, value, known) : null;
    }

    /// <summary>The enumeration column a caller's name means, or null.</summary>
    public static ValueColumn? ColumnOf(LedgerKind kind, LedgerLayout? layout, string name)
    {
        if (name.Length == 0) return null;
        var key = layout is null ? null : Array.FindIndex(layout.Headers, h => h == name) is var i and >= 0 ? layout.Fields[i] : null;
        key ??= kind.Fields.FirstOrDefault(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase) || f.Header == name
            || f.Synonyms.Contains(name, StringComparer.OrdinalIgnoreCase))?.Key;
        return key is null ? null : kind.ValueColumns.FirstOrDefault(c => c.Field == key);
    }
}
