using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MineGuard.Platform.Web;

/// <summary>A write refused before it reached the database: field errors keyed by the entity's property names.</summary>
public sealed class InputRejectedException(FieldErrors errors) : Exception(string.Join("；", errors.SelectMany(e => e.Value)))
{
    public FieldErrors Errors { get; } = errors;
}

/// <summary>
/// The last line behind <see cref="InputLimits"/>: no entity is saved with text longer than its column's configured
/// maximum length (PostgreSQL would refuse it with an error, SQLite would store it) or with a NaN or infinite number
/// (SQLite stores NaN as NULL). The save is refused as a 400 naming the property, on both engines alike.
/// </summary>
public sealed class StoredValueLimits : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? db)
    {
        if (db is null) return;
        FieldErrors? errors = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified) continue;
                if (Problem(property.Metadata, property.CurrentValue) is { } problem) (errors ??= []).Add(property.Metadata.Name, problem);
            }
        }
        if (errors is not null) throw new InputRejectedException(errors);
    }

    /// <summary>
    /// A line the server composes around someone's text ("张三 关闭：{note}", "上级抽查核查不属实：{note}"), cut to fit its
    /// column with "…": the note was checked against its own limit, the prefix was not, and a line that does not fit
    /// would refuse the whole save naming a field the user never typed. The full note is kept where it was entered.
    /// </summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>What is wrong with storing this value in this property's column, or null. <see cref="Data.BulkInsert"/>
    /// asks it too, so rows written without the change tracker are held to the same limits.</summary>
    public static string? Problem(Microsoft.EntityFrameworkCore.Metadata.IReadOnlyProperty property, object? value) => value switch
    {
        string s when property.GetMaxLength() is { } max && s.Length > max => $"内容过长：最多 {max} 个字符，现有 {s.Length} 个",
        double d when !double.IsFinite(d) => "不是有效的数字",
        float f when !float.IsFinite(f) => "不是有效的数字",
        _ => null,
    };
}
