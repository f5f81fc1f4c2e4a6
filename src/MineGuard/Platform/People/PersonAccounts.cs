using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Platform.People;

/// <summary>The person record of a user account: the one linked by UserId, or a new one made from the account.</summary>
public static class PersonAccounts
{
    /// <summary>
    /// The ids of the person records linked to a user's account, wherever they are filed (a handful). Read first and
    /// passed as a list, so "given to me" is two index lookups (account OR person ids), not a scan with a subquery.
    /// </summary>
    public static Task<List<Guid>> PersonIdsOfUserAsync(this AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Beyond<Person>(ScopeExit.AssignedToCaller).Where(p => p.UserId == userId).Select(p => p.Id).ToListAsync(ct);

    /// <summary>
    /// The id of the (surviving) person linked to <paramref name="userId"/>, adding one from the account's name, phone
    /// and division when there is none yet (saved with the caller's SaveChanges). Null when the user does not exist.
    /// </summary>
    public static async Task<Guid?> PersonForUserAsync(this AppDbContext db, Guid userId, CancellationToken ct)
    {
        var linked = db.ChangeTracker.Entries<Person>().Select(e => e.Entity).FirstOrDefault(p => p.UserId == userId && p.MergedIntoId == null)
                     ?? await db.Beyond<Person>(ScopeExit.SystemJudgement).Where(p => p.UserId == userId && p.MergedIntoId == null)
                         .OrderBy(p => p.CreatedUtc).FirstOrDefaultAsync(ct);
        if (linked is not null) return linked.Id;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return null;
        PhoneNumber.TryNormalize(user.PhoneNumber, out var phone);
        var person = Person.Create(user.DivisionCode, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? "" : user.DisplayName,
            phone, null, null, "由用户账号生成", user.Id, db.Clock.GetUtcNow().UtcDateTime, user.IsDemo);
        db.Add(person);
        return person.Id;
    }
}
