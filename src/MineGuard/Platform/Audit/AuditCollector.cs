using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Audit;

/// <summary>Turns the change tracker's pending changes into audit entries (who, what entity, what changed).</summary>
public static class AuditCollector
{
    // The platform's own secrets; features mark theirs with [AuditHidden] (Platform.Audit.AuditHiddenAttribute).
    private static readonly HashSet<string> PlatformSecrets =
    [
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp), nameof(ApiKey.SecretHash),
    ];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), bool> HiddenCache = new();

    private static bool Hidden(IReadOnlyPropertyBase property) =>
        HiddenCache.GetOrAdd((property.DeclaringType.ClrType, property.Name), _ =>
            PlatformSecrets.Contains(property.Name)
            || property.PropertyInfo?.IsDefined(typeof(AuditHiddenAttribute), inherit: true) == true);

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<Type> NotAudited = [typeof(AuditRecord), typeof(DataProtectionKey)];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> OwnRecordCache = new();

    private static bool Skipped(Type type) => NotAudited.Contains(type) || IsOwnRecord(type);

    /// <summary>Whether the type is its own record (<see cref="OwnRecordAttribute"/>), not copied into the trail.</summary>
    public static bool IsOwnRecord(Type type) => OwnRecordCache.GetOrAdd(type, t => t.IsDefined(typeof(OwnRecordAttribute), inherit: false));

    public sealed class Pending(EntityEntry entry, string action, string? changes, string divisionCode, CurrentUser actor)
    {
        /// <summary>Builds the entry after the save, when store-generated keys are known.</summary>
        public AuditEntry Complete() =>
            new(actor.Id, actor.Name, action, entry.Metadata.ClrType.Name, KeyOf(entry), divisionCode, changes, actor.Address);
    }

    public static List<Pending> Collect(ChangeTracker tracker, CurrentUser actor)
    {
        var result = new List<Pending>();
        foreach (var entry in tracker.Entries())
        {
            if (Skipped(entry.Metadata.ClrType)) continue;
            var (action, changes) = entry.State switch
            {
                EntityState.Added => ("create", Describe(entry, p => p.CurrentValue)),
                EntityState.Deleted => ("delete", Describe(entry, p => p.OriginalValue)),
                EntityState.Modified => ("update", DescribeUpdate(entry)),
                _ => (null, null),
            };
            if (action is null) continue;
            if (action == "update" && changes is null) continue;
            var division = entry.Entity switch
            {
                IInJurisdiction scoped => scoped.DivisionCode,
                AppUser user => user.DivisionCode,
                Division node => node.Code,
                _ => ActorDivision(actor),
            };
            result.Add(new Pending(entry, action, changes, division, actor));
        }
        return result;
    }

    /// <summary>The actor's own node; "" (seen only with a whole-country scope) for the system or an anonymous caller.</summary>
    public static string ActorDivision(CurrentUser actor) => actor.Scope.IsAll || actor.Scope.IsNone ? "" : actor.Scope.Code;

    private static string KeyOf(EntityEntry entry) =>
        string.Join(',', entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue?.ToString()));

    private static string Describe(EntityEntry entry, Func<PropertyEntry, object?> value) =>
        JsonSerializer.Serialize(entry.Properties
            .Where(p => !Hidden(p.Metadata))
            .ToDictionary(p => p.Metadata.Name, value), Json);

    private static string? DescribeUpdate(EntityEntry entry)
    {
        var changed = entry.Properties
            .Where(p => p.IsModified && !Hidden(p.Metadata) && !Equals(p.OriginalValue, p.CurrentValue))
            .ToDictionary(p => p.Metadata.Name, p => new[] { p.OriginalValue, p.CurrentValue });
        var secretChanged = entry.Properties.Any(p => p.IsModified && Hidden(p.Metadata));
        if (changed.Count == 0 && !secretChanged) return null;
        if (secretChanged) changed["(secret)"] = ["…", "changed"];
        return JsonSerializer.Serialize(changed, Json);
    }
}
