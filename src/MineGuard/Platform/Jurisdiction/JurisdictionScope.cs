using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>Something that lives in one node of the jurisdiction tree and is seen only by users whose scope holds it.</summary>
public interface IInJurisdiction
{
    string DivisionCode { get; }
}

/// <summary>
/// A user's jurisdiction: one node and everything below it. Codes of descendants start with the node's code, so
/// membership is the half-open range [code, code + "~"), which SQLite (BINARY) and PostgreSQL (COLLATE "C") both
/// answer from an ordinary B-tree index.
/// </summary>
public readonly record struct JurisdictionScope(string From, string To)
{
    private const string Above = "~";

    /// <summary>Everything: for system work (start-up, CLI verbs, background jobs).</summary>
    public static readonly JurisdictionScope All = new("", Above);

    /// <summary>Nothing: the scope of an anonymous caller.</summary>
    public static readonly JurisdictionScope None = new(Above, Above);

    public static JurisdictionScope Of(string divisionCode) => new(divisionCode, divisionCode + Above);

    public bool IsAll => From.Length == 0;

    public bool IsNone => From == Above;

    /// <summary>The node code of this scope ("" for everything).</summary>
    public string Code => IsNone ? Above : From;

    public bool Contains(string? divisionCode) =>
        divisionCode is not null
        && string.CompareOrdinal(divisionCode, From) >= 0
        && string.CompareOrdinal(divisionCode, To) < 0;

    /// <summary>The predicate <c>x => scope holds selector(x)</c>, translated to a range comparison by EF.</summary>
    public Expression<Func<T, bool>> Predicate<T>(Expression<Func<T, string>> selector)
    {
        var from = From;
        var to = To;
        var body = Expression.AndAlso(
            Expression.GreaterThanOrEqual(Compare(selector.Body, () => from), Expression.Constant(0)),
            Expression.LessThan(Compare(selector.Body, () => to), Expression.Constant(0)));
        return Expression.Lambda<Func<T, bool>>(body, selector.Parameters);
    }

    private static MethodCallExpression Compare(Expression left, Expression<Func<string>> right) =>
        Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, left, right.Body);
}

public static class JurisdictionQueries
{
    /// <summary>Starts a list from the scope: only rows whose division is the scope's node or below it.</summary>
    public static IQueryable<T> Within<T>(this IQueryable<T> query, JurisdictionScope scope, Expression<Func<T, string>> division) =>
        query.Where(scope.Predicate(division));

    public static IQueryable<Division> Within(this IQueryable<Division> query, JurisdictionScope scope) =>
        query.Within(scope, d => d.Code);

    /// <summary>The counties at or below the scope's node, by code (a township's scope holds none): whose settings the user may set.</summary>
    public static Task<List<Division>> CountiesWithinAsync(this IQueryable<Division> divisions, JurisdictionScope scope, CancellationToken ct) =>
        divisions.AsNoTracking().Within(scope).Where(d => d.Level == DivisionLevel.County).OrderBy(d => d.Code).ToListAsync(ct);
}
