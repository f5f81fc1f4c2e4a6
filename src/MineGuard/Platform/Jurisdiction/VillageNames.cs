using System.Text;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>
/// Village names as offices write them and as the statistical codes spell them. The codes mostly hold the committee's
/// long name (黄庄村民委员会, 青山村村民委员会, 安康社区居民委员会, 北园社区居委会, 立新村委会), the ledgers the short one
/// (黄庄村, 青山村, 安康社区). <see cref="Normalize"/> brings both to one short form; <see cref="VillageTable"/> matches
/// a ledger's name among one township's villages with it.
/// </summary>
public static class VillageNames
{
    // Longest first: the first suffix that matches is replaced.
    private static readonly (string Suffix, string Short)[] Committees =
    [
        ("社区居民委员会", "社区"), ("社区居委会", "社区"), ("村民委员会", "村"), ("居民委员会", "社区"), ("村委会", "村"), ("居委会", "社区"),
    ];

    /// <summary>
    /// The short form: full-width characters folded, spaces dropped, the committee's words replaced by 村 or 社区
    /// (黄庄村民委员会 → 黄庄村, 青山村村民委员会 → 青山村, 安康社区居民委员会 → 安康社区, 新兴居委会 → 新兴社区).
    /// </summary>
    public static string Normalize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKC))
        {
            if (!char.IsWhiteSpace(c)) text.Append(c);
        }
        var s = text.ToString();
        foreach (var (suffix, shortForm) in Committees)
        {
            if (s.Length > suffix.Length && s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length] + shortForm;
                break;
            }
        }
        // 青山村村民委员会 is the committee of 青山村: one 村.
        if (s.Length > 2 && s.EndsWith("村村", StringComparison.Ordinal)) s = s[..^1];
        return s;
    }

    /// <summary>The name without its 村 or 社区 (黄庄村 → 黄庄), for ledgers that leave it off; the short form when nothing is left.</summary>
    public static string Core(string shortForm)
    {
        foreach (var suffix in (string[])["社区", "村"])
        {
            if (shortForm.Length > suffix.Length && shortForm.EndsWith(suffix, StringComparison.Ordinal)) return shortForm[..^suffix.Length];
        }
        return shortForm;
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions), by UTF-16 unit: village names are BMP Han.</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length < b.Length) (a, b) = (b, a);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

/// <summary>
/// How a name matched: the village (null when none or several), whether the name was the village's own, the villages
/// it could mean when several, and the township's nearest names when none.
/// </summary>
public sealed record VillageMatch(Division? Village, bool Exact, IReadOnlyList<Division> Several, IReadOnlyList<string> Nearest);

/// <summary>
/// One township's villages, indexed for matching a ledger's village names: the code or the exact name, else the
/// short form (<see cref="VillageNames.Normalize"/>) of both sides, else the name without 村/社区. Only a single
/// candidate matches; several are refused, so nothing is guessed.
/// </summary>
public sealed class VillageTable
{
    private readonly List<Division> villages;
    private readonly Dictionary<string, List<Division>> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Division>> byShort = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Division>> byCore = new(StringComparer.Ordinal);

    public VillageTable(IEnumerable<Division> villagesOfTownship)
    {
        villages = [.. villagesOfTownship.OrderBy(v => v.Code, StringComparer.Ordinal)];
        foreach (var v in villages)
        {
            var shortForm = VillageNames.Normalize(v.Name);
            Index(byName, v.Name, v);
            Index(byShort, shortForm, v);
            Index(byCore, VillageNames.Core(shortForm), v);
        }
    }

    public int Count => villages.Count;

    public VillageMatch Match(string text)
    {
        var name = text.Trim();
        if (villages.FirstOrDefault(v => v.Code == name) is { } byCode) return new(byCode, true, [], []);
        if (byName.TryGetValue(name, out var same) && same.Count == 1) return new(same[0], true, [], []);
        var shortForm = VillageNames.Normalize(name);
        // The short form as the product itself gives it (and lists among the nearest names) first: 李村村村民委员会 is
        // 李村村, and normalising the ledger's 李村村 once more would make it 李村.
        foreach (var (index, key) in new[] { (byShort, name), (byShort, shortForm), (byCore, VillageNames.Core(shortForm)) })
        {
            if (!index.TryGetValue(key, out var found)) continue;
            return found.Count == 1 ? new(found[0], false, [], []) : new(null, false, found, []);
        }
        return new(null, false, [], Nearest(shortForm, 3));
    }

    /// <summary>The short forms nearest to a short form by edit distance (ties in code order).</summary>
    public IReadOnlyList<string> Nearest(string shortForm, int count) =>
        [.. villages.Select(v => VillageNames.Normalize(v.Name)).Distinct()
            .Select(n => (Name: n, Distance: VillageNames.Distance(n, shortForm)))
            .OrderBy(n => n.Distance).Take(count).Select(n => n.Name)];

    private static void Index(Dictionary<string, List<Division>> index, string key, Division village)
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(village);
    }
}
