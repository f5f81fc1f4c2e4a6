using System.Text;
using MineGuard.Platform.Geo;
using MineGuard.Platform.Time;

namespace MineGuard.Platform.Excel;

/// <summary>
/// A field a sheet column can hold: its key (the importer's input property), the Chinese header written in exports
/// and templates, and the other names offices give the column (Chinese and English).
/// </summary>
public sealed record SheetField(string Key, string Header, bool Required, IReadOnlyList<string> Synonyms);

/// <summary>A proposed column → field mapping: the field key per column (null: not imported).</summary>
public sealed record HeaderMatch(string?[] Fields, IReadOnlyList<int> UnmatchedColumns, IReadOnlyList<SheetField> MissingRequired)
{
    public int Matched => Fields.Count(f => f is not null);
}

/// <summary>The header as found: the sheet row number of its last row, each column's header text, and the mapping.</summary>
public sealed record HeaderRows(int Row, string[] Headers, HeaderMatch Match);

/// <summary>
/// Matches an office's own column headers to fields. Every ledger names its columns differently (编号, 矿硐编号, 硐口编号;
/// 经度, 东经, X; 乡镇, 所在乡镇…) and decorates them (全角字符, spaces, units in brackets such as （度）, asterisks
/// marking required columns), so headers are normalised first, then matched exactly against each field's names, and
/// only then by containment (矿硐所在乡镇 → 乡镇). Better matches are assigned first; a field takes one column.
/// </summary>
public static class HeaderMatcher
{
    /// <summary>How many rows at the top may hold a title or notes above the header row.</summary>
    public const int HeaderSearchRows = 10;

    /// <summary>Lower case, half-width, without spaces, punctuation or bracketed parts: "经度（度）" → "经度", "Ｘ坐标" → "x坐标".</summary>
    public static string Normalize(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return "";
        var text = new StringBuilder(header.Length);
        var depth = 0;
        foreach (var raw in header)
        {
            var ch = raw switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(raw - 0xFEE0),
                '\u3000' => ' ',
                _ => raw,
            };
            if (ch is '(' or '[' or '【' or '〔' or '<' or '《' or '〈' or '{')
            {
                depth++;
                continue;
            }
            if (ch is ')' or ']' or '】' or '〕' or '>' or '》' or '〉' or '}')
            {
                depth = Math.Max(0, depth - 1);
                continue;
            }
            if (depth > 0 || char.IsWhiteSpace(ch) || char.IsPunctuation(ch) || char.IsSymbol(ch)) continue;
            text.Append(char.ToLowerInvariant(ch));
        }
        // A header that is nothing but a bracketed word keeps the word.
        return text.Length > 0 ? text.ToString() : new string([.. header.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
    }

    public static HeaderMatch Match(IReadOnlyList<string> headers, IReadOnlyList<SheetField> fields) => Match(headers, null, fields);

    /// <summary>
    /// Matches each column by its own header first and only then by <paramref name="joined"/>, the column's header with
    /// the header above it (a two-row header: 坐标 over 经度 and 纬度; 封堵 over 时间).
    /// </summary>
    private static HeaderMatch Match(IReadOnlyList<string> headers, IReadOnlyList<string>? joined, IReadOnlyList<SheetField> fields)
    {
        var names = fields.Select(f => new[] { f.Header }.Concat(f.Synonyms).Select(Normalize).Where(n => n.Length > 0).Distinct().ToArray()).ToArray();
        var candidates = new List<(int Column, int Field, int Kind, int Length, int Rank)>();
        Candidates(headers.Select(Normalize).ToArray(), 0);
        if (joined is not null) Candidates(joined.Select(Normalize).ToArray(), 2);

        void Candidates(string[] normalized, int worse)
        {
            for (var c = 0; c < normalized.Length; c++)
            {
                var h = normalized[c];
                if (h.Length == 0) continue;
                for (var f = 0; f < fields.Count; f++)
                {
                    for (var rank = 0; rank < names[f].Length; rank++)
                    {
                        var name = names[f][rank];
                        if (h == name) candidates.Add((c, f, worse, name.Length, rank));
                        // Containment only for names of two characters or more: "x" must not match "备注x".
                        else if (name.Length >= 2 && h.Contains(name, StringComparison.Ordinal)) candidates.Add((c, f, worse + 1, name.Length, rank));
                    }
                }
            }
        }

        var mapping = new string?[headers.Count];
        var taken = new HashSet<int>();
        // Exact before contained, a longer contained name before a shorter, a field's own earlier name before a later one.
        foreach (var (column, field, _, _, _) in candidates.OrderBy(x => x.Kind).ThenByDescending(x => x.Length).ThenBy(x => x.Rank).ThenBy(x => x.Column))
        {
            if (mapping[column] is not null || taken.Contains(field)) continue;
            mapping[column] = fields[field].Key;
            taken.Add(field);
        }
        return Describe(mapping, joined ?? headers, fields);
    }

    /// <summary>The unmatched columns and the required fields without a column, for a mapping the user may have changed.</summary>
    public static HeaderMatch Describe(string?[] mapping, IReadOnlyList<string> headers, IReadOnlyList<SheetField> fields)
    {
        var unmatched = Enumerable.Range(0, mapping.Length)
            .Where(c => mapping[c] is null && c < headers.Count && !string.IsNullOrWhiteSpace(headers[c])).ToList();
        var missing = fields.Where(f => f.Required && !mapping.Contains(f.Key)).ToList();
        return new HeaderMatch(mapping, unmatched, missing);
    }

    /// <summary>
    /// The header row: of the first rows, the one that names the most fields (a title row such as "嵩县废弃矿硐台账"
    /// above it names none). Without a convincing candidate, the first row.
    /// </summary>
    public static int FindHeader(IReadOnlyList<SheetRow> firstRows, IReadOnlyList<SheetField> fields)
    {
        var best = 0;
        var bestMatched = 0;
        for (var i = 0; i < firstRows.Count && i < HeaderSearchRows; i++)
        {
            var matched = Match(firstRows[i].Cells, fields).Matched;
            if (matched > bestMatched)
            {
                best = i;
                bestMatched = matched;
            }
        }
        return bestMatched >= 2 ? best : 0;
    }

    /// <summary>
    /// The header found by <see cref="FindHeader"/>, or, when the row above or below it continues it, both rows read as
    /// one: offices split a header over two rows with merged cells (编号 and 乡镇 merged down, 硐口坐标 merged across
    /// 东经 and 北纬). Only the top-left cell of a merged range holds its text, so a blank cell of the upper row over a
    /// named lower cell takes the upper text to its left. The pair is taken when it names more fields than the row alone
    /// and its lower row holds no number, coordinate or date (a data row does).
    /// </summary>
    public static HeaderRows FindHeaderRows(IReadOnlyList<SheetRow> firstRows, IReadOnlyList<SheetField> fields)
    {
        var index = FindHeader(firstRows, fields);
        var header = firstRows[index];
        var best = new HeaderRows(header.Number, header.Cells, Match(header.Cells, fields));
        foreach (var upper in (int[])[index - 1, index])
        {
            if (upper < 0 || upper + 1 >= firstRows.Count) continue;
            var (top, bottom) = (firstRows[upper], firstRows[upper + 1]);
            if (bottom.Number != top.Number + 1 || !Continues(top, bottom)) continue;
            var (own, joined) = Join(top, bottom);
            var match = Match(own, joined, fields);
            if (match.Matched > best.Match.Matched) best = new HeaderRows(bottom.Number, joined, match);
        }
        return best;
    }

    private static bool Continues(SheetRow top, SheetRow bottom) =>
        top.Cells.Count(c => !string.IsNullOrWhiteSpace(c)) >= 2
        && bottom.Cells.Any(c => !string.IsNullOrWhiteSpace(c))
        && !bottom.Cells.Any(c => !string.IsNullOrWhiteSpace(c) && (Dms.TryParse(c, out _, out _) || CalendarDate.TryParse(c, out _)));

    /// <summary>Each column's own header (the lower text, else the upper) and its joined header ("硐口坐标/东经").</summary>
    private static (string[] Own, string[] Joined) Join(SheetRow top, SheetRow bottom)
    {
        var width = Math.Max(top.Cells.Length, bottom.Cells.Length);
        var (own, joined) = (new string[width], new string[width]);
        var left = "";
        for (var c = 0; c < width; c++)
        {
            var (upper, lower) = (top.Cell(c).Trim(), bottom.Cell(c).Trim());
            if (upper.Length > 0) left = upper;
            else if (lower.Length > 0) upper = left;
            own[c] = lower.Length > 0 ? lower : upper;
            joined[c] = upper.Length > 0 && lower.Length > 0 && upper != lower ? $"{upper}/{lower}" : own[c];
        }
        return (own, joined);
    }
}
