using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MineGuard.Features.SpotChecks;

/// <summary>
/// The published draw ("sha256-v1"), pure and documented in docs/DEVELOPING.md (Spot checks) so that anyone holding the
/// seed and the list reproduces the sample:
/// key(item) = lowercase hex SHA-256 of the UTF-8 text "{seed}:{kind}:{id}" (id as a lowercase Guid in "D" format);
/// within each stratum the items are sorted by key (ordinal) and the first k are taken, where k = ceil(share × n / 100)
/// for a share in percent, or, for a count, the count split over the strata by proportion (floor of count × n / N, the
/// rest one each to the strata with the largest remainders count × n mod N, ties by stratum name, ordinal).
/// The sample is listed by stratum (ordinal), then key.
/// </summary>
public static class SpotCheckAlgorithm
{
    public const string Version = "sha256-v1";

    /// <summary>One line of the published list.</summary>
    public readonly record struct Entry(string Kind, Guid Id, string Stratum);

    /// <summary>One sampled entry with its key.</summary>
    public readonly record struct Pick(Entry Entry, string Key);

    public static string Key(string seed, string kind, Guid id)
    {
        var text = string.Concat(seed, ":", kind, ":", id.ToString("D", CultureInfo.InvariantCulture));
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes[..written], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The list as published: ordered by kind then id, one "kind,id,stratum" line each (LF-terminated).</summary>
    public static (List<Entry> Entries, string Text, string Hash) Freeze(IEnumerable<Entry> entries)
    {
        var rows = entries.Select(e => (Entry: e, Id: e.Id.ToString("D", CultureInfo.InvariantCulture))).ToArray();
        Array.Sort(rows, (a, b) => string.CompareOrdinal(a.Entry.Kind, b.Entry.Kind) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        var text = new StringBuilder(rows.Length * 64);
        foreach (var (e, id) in rows) text.Append(e.Kind).Append(',').Append(id).Append(',').Append(e.Stratum).Append('\n');
        var s = text.ToString();
        return (rows.Select(r => r.Entry).ToList(), s, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s))));
    }

    /// <summary>Reads a published list back (the inverse of <see cref="Freeze"/>).</summary>
    public static List<Entry> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var parts = line.Split(',', 3);
            return new Entry(parts[0], Guid.Parse(parts[1]), parts[2]);
        }).ToList();

    /// <summary>The sample: by a share in percent (0 &lt; share ≤ 100) or by a count (≥ 1).</summary>
    public static List<Pick> Draw(string seed, IReadOnlyList<Entry> list, decimal? sharePercent, int? count)
    {
        // Every key at once (the hashing is the work; order does not matter until the sort), then each stratum sorted.
        var keys = new string[list.Count];
        Parallel.For(0, list.Count, i => keys[i] = Key(seed, list[i].Kind, list[i].Id));
        var strata = Enumerable.Range(0, list.Count).GroupBy(i => list[i].Stratum, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Items: g.ToArray())).ToList();
        var quota = Quotas(strata.Select(s => (s.Name, s.Items.Length)).ToList(), list.Count, sharePercent, count);
        var picks = new List<Pick>();
        for (var i = 0; i < strata.Count; i++)
        {
            if (quota[i] == 0) continue;
            var items = strata[i].Items;
            Array.Sort(items, (a, b) => string.CompareOrdinal(keys[a], keys[b]));
            picks.AddRange(items.Take(quota[i]).Select(x => new Pick(list[x], keys[x])));
        }
        return picks;
    }

    /// <summary>How many each stratum gives (in the strata's order).</summary>
    public static int[] Quotas(IReadOnlyList<(string Name, int Size)> strata, int total, decimal? sharePercent, int? count)
    {
        if (sharePercent is { } share)
            return strata.Select(s => (int)Math.Min(s.Size, Math.Ceiling(share * s.Size / 100m))).ToArray();
        var want = Math.Min(count ?? 0, total);
        if (total == 0) return new int[strata.Count];
        var quota = strata.Select(s => (int)((long)want * s.Size / total)).ToArray();
        var left = want - quota.Sum();
        foreach (var i in Enumerable.Range(0, strata.Count)
                     .OrderByDescending(i => (long)want * strata[i].Size % total).ThenBy(i => strata[i].Name, StringComparer.Ordinal).Take(left))
            quota[i]++;
        return quota;
    }

    /// <summary>The stratum of an item: its township (the first 9 digits of its division), its kind, both ("township/kind"), or "*".</summary>
    public static string Stratum(string kind, string divisionCode, bool byTownship, bool byKind)
    {
        var township = divisionCode.Length >= 9 ? divisionCode[..9] : divisionCode;
        return (byTownship, byKind) switch
        {
            (true, true) => $"{township}/{kind}",
            (true, false) => township,
            (false, true) => kind,
            _ => "*",
        };
    }
}
