using System.Linq.Expressions;

namespace MineGuard.Platform.Jurisdiction;

/// <summary>
/// A record given to a department (a tip assigned for verification, a petition handed to the department its nature
/// belongs to). Inside the jurisdiction, the office, leaders and administrators see every such record; an officer of a
/// department (police, discipline commission, petitions bureau, forestry, a reward officer…) sees only what
/// <see cref="SharedWith"/> gives their department. AppDbContext turns this into a second query filter per entity, beside
/// the jurisdiction filter; see docs/DEVELOPING.md for the matrix.
/// </summary>
public interface IDepartmentShared<T> where T : IDepartmentShared<T>
{
    /// <summary>
    /// Whether an officer of department <c>dept</c> sees the record; <c>reward</c> is true for a reward officer
    /// (举报奖励审批人). Must translate to SQL.
    /// </summary>
    static abstract Expression<Func<T, string, bool, bool>> SharedWith { get; }
}
