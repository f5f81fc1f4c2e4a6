using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MineGuard.Data;

/// <summary>
/// A value a context remembers for one transaction only (the advisory locks it took, the audit chain's head): good while
/// the transaction it was stored under is the context's current one, and gone once that ends (a commit or rollback ends
/// it, and the next transaction is another object, told apart by reference).
/// </summary>
internal sealed class TransactionScoped<T> where T : class
{
    private IDbContextTransaction? transaction;
    private T? value;

    /// <summary>The value stored under the context's current transaction; null outside a transaction or under another one.</summary>
    public T? Get(DbContext db) =>
        db.Database.CurrentTransaction is { } current && ReferenceEquals(current, transaction) ? value : null;

    /// <summary>Stores the value under the context's current transaction; outside a transaction, forgets what was stored.</summary>
    public void Set(DbContext db, T value)
    {
        transaction = db.Database.CurrentTransaction;
        this.value = transaction is null ? null : value;
    }

    /// <summary>Forgets what was stored (a pooled context starting another unit of work).</summary>
    public void Clear() => (transaction, value) = (null, null);
}
