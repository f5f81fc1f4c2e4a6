using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Data;

/// <summary>
/// The one DbContext. Features add their entities through <see cref="IEntityTypeConfiguration{T}"/> classes.
/// Contexts are pooled (<see cref="DatabaseSetup"/>): a unit of work rents one bound to its <see cref="CurrentUser"/>
/// (<see cref="Bind"/>), and disposing it returns it with the user and this class's own per-unit state forgotten.
/// </summary>
public sealed partial class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options)
{
    private CurrentUser? currentUser;
    private TimeProvider? clock;

    /// <summary>
    /// Starts a unit of work on this context: its actor and clock, and nothing left from the last unit of work (the
    /// audit records queued, an audit batch, the chain's head and the locks held). The app's DI does it on each rent.
    /// </summary>
    public void Bind(CurrentUser user, TimeProvider time)
    {
        currentUser = user;
        clock = time;
        pendingReads.Clear();
        auditBatch = null;
        chainHead.Clear();
        heldLocks.Clear();
    }

    // A returned context forgets its actor and clock: the pool does not keep a request's user alive, and a reference used
    // after its unit of work ended fails until the context is rented again.
    public override void Dispose()
    {
        (currentUser, clock) = (null, null);
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        (currentUser, clock) = (null, null);
        return base.DisposeAsync();
    }

    public DbSet<Division> Divisions => Set<Division>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public CurrentUser CurrentUser => currentUser ?? throw Unbound();

    public TimeProvider Clock => clock ?? throw Unbound();

    private static InvalidOperationException Unbound() =>
        new("This context is not rented for a unit of work (returned to the pool, or built without Bind).");

    // Read by the global query filters below; EF re-reads these per query, so each request sees its own scope.
    private string ScopeFrom => CurrentUser.Scope.From;
    private string ScopeTo => CurrentUser.Scope.To;

    // Read by the department filters (IDepartmentShared): who sees every department's share, and the caller's own.
    private bool ViewerSeesAllDepartments => CurrentUser.SeesAllDepartments;
    // Only a department officer (role 部门人员) holds a department's share; "-" matches no record.
    // A department's head (机关负责人) sees what the department's officers see.
    private string ViewerDepartment => CurrentUser.IsInRole(MineGuard.Platform.Auth.Roles.Department) || CurrentUser.IsInRole(MineGuard.Platform.Auth.Roles.Head)
        ? CurrentUser.DepartmentCode ?? "-" : "-";
    private bool ViewerIsRewardOfficer => CurrentUser.IsInRole(MineGuard.Platform.Auth.Roles.Reward);

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // All times are UTC; SQLite hands them back unspecified, so say so on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        // Our entities make their own ids (Guid v7) when created. Telling EF so makes a new child added through a
        // navigation (an adit's next sealing event) an INSERT, not an UPDATE of a row that does not exist.
        foreach (var key in builder.Model.GetEntityTypes()
                     .Where(t => t.ClrType.Namespace?.StartsWith("MineGuard.", StringComparison.Ordinal) == true && t.ClrType != typeof(AppUser) && t.ClrType != typeof(AppRole))
                     .Select(t => t.FindPrimaryKey()).OfType<Microsoft.EntityFrameworkCore.Metadata.IMutableKey>()
                     .Where(k => k.Properties is [{ ClrType: var c }] && c == typeof(Guid)))
        {
            key.Properties[0].ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
        }

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IInJurisdiction).IsAssignableFrom(t.ClrType)))
        {
            GetType().GetMethod(nameof(ScopeFilter), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, [builder]);
        }

        foreach (var type in builder.Model.GetEntityTypes()
                     .Where(t => t.ClrType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDepartmentShared<>))))
        {
            GetType().GetMethod(nameof(DepartmentFilter), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, [builder]);
        }

        // Codes compare byte-wise on both providers, so the scope's range query is right and index-backed.
        if (IsPostgres)
        {
            foreach (var property in builder.Model.GetEntityTypes().SelectMany(t => t.GetProperties())
                         .Where(p => p.Name is nameof(IInJurisdiction.DivisionCode) or nameof(Division.Code) or nameof(Division.ParentCode)
                                     && p.ClrType == typeof(string)))
            {
                property.SetCollation("C");
            }
        }
    }

    // Each entity's scope filter has a key of its own (Unscoped.FilterKey), so lifting it for one set in a query leaves
    // the filter of every other set in that query in place. A plain IgnoreQueryFilters() would lift them all.
    private void ScopeFilter<T>(ModelBuilder builder) where T : class, IInJurisdiction =>
        builder.Entity<T>().HasQueryFilter(Unscoped.FilterKey<T>(), e =>
            string.Compare(e.DivisionCode, ScopeFrom) >= 0 && string.Compare(e.DivisionCode, ScopeTo) < 0);

    // e => ViewerSeesAllDepartments || T.SharedWith(e, ViewerDepartment, ViewerIsRewardOfficer), with the viewer's
    // values read from this context per query (as the scope filter's are).
    private void DepartmentFilter<T>(ModelBuilder builder) where T : class, IDepartmentShared<T>
    {
        var shared = T.SharedWith;
        var self = Expression.Constant(this);
        var e = Expression.Parameter(typeof(T), "e");
        var body = new ReplaceParameters(new Dictionary<ParameterExpression, Expression>
        {
            [shared.Parameters[0]] = e,
            [shared.Parameters[1]] = Expression.Property(self, nameof(ViewerDepartment)),
            [shared.Parameters[2]] = Expression.Property(self, nameof(ViewerIsRewardOfficer)),
        }).Visit(shared.Body);
        var filter = Expression.Lambda<Func<T, bool>>(Expression.OrElse(Expression.Property(self, nameof(ViewerSeesAllDepartments)), body), e);
        builder.Entity<T>().HasQueryFilter(Unscoped.DepartmentFilterKey<T>(), filter);
    }

    private sealed class ReplaceParameters(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var to) ? to : node;
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
