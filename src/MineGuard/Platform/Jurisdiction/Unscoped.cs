using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>
/// Why a query may read one set beyond the caller's jurisdiction. Every way out of the scope filter names one of these,
/// so a reviewer can find each by purpose (<c>ScopeExit.LinkedLabel</c>) and the architecture test counts them.
/// </summary>
public enum ScopeExit
{
    /// <summary>
    /// A value must be unique beyond the caller's scope (an adit number, an ID number's hash, a device code, a sync id,
    /// a stored file still referenced). Ask yes/no or for the clashing keys only; never show the rows.
    /// </summary>
    Uniqueness,

    /// <summary>
    /// The number or name of a record linked from a record the caller may see: the team of a cross patrol, the adit of a
    /// check-in made in another county. Select the label columns only.
    /// </summary>
    LinkedLabel,

    /// <summary>
    /// The children of a record the caller may see, filed under another division (the check-ins, track and photos of a
    /// patrol the caller may see, the lines of an alert the caller may see). Filter by the parent's id.
    /// </summary>
    ChildrenOfVisible,

    /// <summary>
    /// A judgement the system makes over all data and stores (proof-of-presence evaluation, alert routing and correlation,
    /// the undo of an import batch, the numbering of petitions). What is read is not shown to the caller.
    /// </summary>
    SystemJudgement,

    /// <summary>
    /// Work assigned to the caller by name, wherever its division lies: a patrol member's teams, plans and the adits on
    /// them; an alert routed to the caller. Filter by the caller's id or membership.
    /// </summary>
    AssignedToCaller,

    /// <summary>Settings made above the caller's scope that apply inside it (reward rules, patrol rules, alert rules).</summary>
    InheritedSettings,

    /// <summary>A caller without a scope yet: API-key authentication, extending the audit chain.</summary>
    NoScopeYet,
}

/// <summary>A record that belongs to one user wherever it is filed (a notification, a patrol, a check-in).</summary>
public interface IOwnedByUser
{
    Guid UserId { get; }
}

/// <summary>
/// The one way past the jurisdiction filter (and the department filter). Each call lifts the filters of ONE entity set and leaves every other set of
/// the same query filtered, unlike EF's <c>IgnoreQueryFilters()</c>, which lifts every filter of the whole query (a
/// scoped list joined to one unscoped set becomes unscoped). The raw call is banned everywhere else
/// (BannedSymbols.txt, enforced as an error by the analyzer, and by <c>ScopeExitTests</c>).
/// </summary>
public static class Unscoped
{
    private static readonly ConcurrentDictionary<Type, string[]> Keys = new();

    /// <summary>The key of <typeparamref name="T"/>'s scope filter.</summary>
    public static string FilterKey<T>() => "scope:" + typeof(T).Name;

    /// <summary>The key of <typeparamref name="T"/>'s department filter (<see cref="IDepartmentShared{T}"/>).</summary>
    public static string DepartmentFilterKey<T>() => "department:" + typeof(T).Name;

    /// <summary><typeparamref name="T"/> beyond the caller's scope, for the stated purpose; every other set stays scoped.</summary>
    public static IQueryable<T> Beyond<T>(this AppDbContext db, ScopeExit why) where T : class, IInJurisdiction =>
        Lift(db.Set<T>(), why);

    /// <summary>The caller's own records of <typeparamref name="T"/>, wherever they are filed.</summary>
    public static IQueryable<T> Own<T>(this AppDbContext db, Guid? userId) where T : class, IInJurisdiction, IOwnedByUser =>
        userId is { } id ? Lift(db.Set<T>(), null).Where(x => x.UserId == id) : db.Set<T>().Where(_ => false);

    /// <summary>A query of <typeparamref name="T"/> already started (e.g. with Include) taken beyond the scope.</summary>
    public static IQueryable<T> Beyond<T>(this IQueryable<T> query, ScopeExit why) where T : class, IInJurisdiction =>
        Lift(query, why);

#pragma warning disable RS0030 // the one sanctioned use of IgnoreQueryFilters
    private static IQueryable<T> Lift<T>(IQueryable<T> query, ScopeExit? why) where T : class =>
        query.IgnoreQueryFilters(Keys.GetOrAdd(typeof(T), _ => [FilterKey<T>(), DepartmentFilterKey<T>()]));
#pragma warning restore RS0030
}
