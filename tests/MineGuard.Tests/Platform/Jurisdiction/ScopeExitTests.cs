using System.Text.RegularExpressions;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Tests.Platform.Jurisdiction;

/// <summary>
/// The way past the jurisdiction filter is <c>Unscoped</c> alone. The analyzer (BannedSymbols.txt) already refuses a raw
/// IgnoreQueryFilters() at build time; this test also reads the source, so the ban cannot be switched off quietly, and
/// prints how often each purpose is used.
/// </summary>
public sealed partial class ScopeExitTests
{
    private static readonly string Source = Path.Combine(Root(), "src", "MineGuard");

    [Fact]
    public void No_source_file_but_Unscoped_calls_IgnoreQueryFilters()
    {
        var offenders = Files().Where(f => !f.EndsWith(Path.Combine("Jurisdiction", "Unscoped.cs"), StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => RawCall().IsMatch(x.line) && !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(Source, x.f)}:{x.i + 1}")
            .ToList();
        Assert.True(offenders.Count == 0, "raw IgnoreQueryFilters() (use db.Beyond<T>(ScopeExit.…) or db.Own<T>(id)):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_analyzer_bans_the_raw_call()
    {
        var banned = File.ReadAllText(Path.Combine(Source, "BannedSymbols.txt"));
        Assert.Contains("EntityFrameworkQueryableExtensions.IgnoreQueryFilters``1(System.Linq.IQueryable{``0})", banned, StringComparison.Ordinal);
        var project = File.ReadAllText(Path.Combine(Source, "MineGuard.csproj"));
        Assert.Contains("RS0030", project, StringComparison.Ordinal);
        Assert.Contains("BannedApiAnalyzers", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_exit_names_a_purpose_that_exists()
    {
        var uses = Files().SelectMany(f => ExitUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToList();
        var known = Enum.GetNames<ScopeExit>();
        Assert.All(uses, u => Assert.Contains(u, known));
        Assert.True(uses.Count > 0);
        // The census, for the closing note and for review: where the scope is left, and why.
        foreach (var g in uses.GroupBy(u => u).OrderByDescending(g => g.Count())) Console.WriteLine($"{g.Key}: {g.Count()}");
    }

    [Fact]
    public void The_finder_of_raw_calls_finds_one()
    {
        Assert.Matches(RawCall(), "var x = db.Adits().IgnoreQueryFilters().Where(a => a.Id == id);");
        Assert.Matches(RawCall(), "db.Set<Tip>()\n  .IgnoreQueryFilters ()");
        Assert.DoesNotMatch(RawCall(), "db.Beyond<Adit>(ScopeExit.LinkedLabel)");
    }

    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MineGuard.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex(@"\.\s*IgnoreQueryFilters\s*\(")]
    private static partial Regex RawCall();

    [GeneratedRegex(@"ScopeExit\.([A-Za-z]+)")]
    private static partial Regex ExitUse();
}
