using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.People;

/// <summary>
/// The people of one county who can answer for a place, loaded once: 责任人 records (with or without accounts) and the
/// county's users. Finds the person a form or a ledger row names. A ledger names its 包保责任人 with a phone
/// (联系电话): the phone is who they are, so a row finds its person by phone, else by a name only one phone-less
/// record of the county has, else makes a new person (no account) once per phone for the whole file, created with
/// the row that first names them and marked with the import batch (<see cref="Person.FromLedger"/>).
/// </summary>
public sealed class CountyPeople
{
    private readonly Dictionary<string, Guid> users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Known> keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Known>> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Guid> personOfUser = [];
    private readonly Dictionary<string, NewPerson> created = new(StringComparer.Ordinal);

    private sealed record Known(Guid Id, string Name, string Phone, Guid? UserId);

    private CountyPeople()
    {
    }

    public static async Task<CountyPeople> LoadAsync(AppDbContext db, string countyCode, CancellationToken ct)
    {
        var people = new CountyPeople();
        var county = JurisdictionScope.Of(countyCode);
        var accounts = await db.Users.AsNoTracking().Within(county, u => u.DivisionCode)
            .Where(u => !u.IsDisabled).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        foreach (var u in accounts)
        {
            people.users[u.UserName!] = u.Id;
            people.users.TryAdd(u.DisplayName, u.Id);
        }
        // Ledgers name the person ("王敏"), display names often carry the post too ("嵩县打非办 王敏"): accept the
        // name alone when exactly one user in the county has it.
        foreach (var group in accounts.Where(u => !string.IsNullOrWhiteSpace(u.DisplayName)).GroupBy(u => u.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]))
        {
            if (group.Count() == 1) people.users.TryAdd(group.Key, group.First().Id);
        }
        // 责任人 records of the county, wherever in it the user's own scope lies: by id, phone, "姓名（手机号）" and name.
        var records = await db.Beyond<Person>(ScopeExit.LinkedLabel).AsNoTracking().Within(county, p => p.DivisionCode)
            .Where(p => p.MergedIntoId == null).Select(p => new Known(p.Id, p.Name, p.Phone, p.UserId)).ToListAsync(ct);
        foreach (var p in records)
        {
            people.keys[p.Id.ToString()] = p;
            if (p.Phone.Length > 0)
            {
                people.keys.TryAdd(p.Phone, p);
                people.keys.TryAdd($"{p.Name}（{p.Phone}）", p);
            }
            if (p.UserId is { } u) people.personOfUser.TryAdd(u, p.Id);
            var name = Bare(p.Name);
            if (!people.byName.TryGetValue(name, out var list)) people.byName[name] = list = [];
            list.Add(p);
        }
        return people;
    }

    /// <summary>
    /// The responsible person named by one text (the adit form, a ledger without a phone column): a person record (by
    /// id, phone, "姓名（手机号）", or a name only one person of the county has), else a user of the county (by log-in
    /// or name) with the person linked to it, if any. Null when nobody, or several people, have that name.
    /// </summary>
    public (Guid? PersonId, Guid? UserId)? Responsible(string text)
    {
        var t = text.Trim();
        if (keys.TryGetValue(t, out var p)) return (p.Id, p.UserId);
        if (PhoneNumber.TryNormalize(t, out var phone) && keys.TryGetValue(phone, out p)) return (p.Id, p.UserId);
        if (Named(t) is [var only]) return (only.Id, only.UserId);
        if (User(t) is { } user) return (personOfUser.TryGetValue(user, out var linked) ? linked : null, user);
        return null;
    }

    /// <summary>What a form is told when its text names nobody (or several) of the county's people.</summary>
    public static string NotFound(string text) =>
        $"责任人“{text.Trim()}”不是本县责任人名录中的人员，也不是本县的系统用户（可填姓名、手机号码或系统用户名）";

    /// <summary>
    /// The person one form field names (<see cref="Responsible"/>); a user without a person record gets one (saved with
    /// the caller's SaveChanges). Blank names nobody; a text that names nobody is an error under <paramref name="field"/>.
    /// </summary>
    public async Task<Guid?> PersonAsync(AppDbContext db, string? text, string field, FieldErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Responsible(text) is not { } found)
        {
            errors.Add(field, NotFound(text));
            return null;
        }
        return found.PersonId ?? (found.UserId is { } user ? await db.PersonForUserAsync(user, ct) : null);
    }

    public Guid? User(string nameOrLogin) => users.TryGetValue(nameOrLogin.Trim(), out var id) ? id : null;

    /// <summary>
    /// The person a ledger row names in its name and phone columns; row errors go under the two keys. With a phone:
    /// the person with that phone (refused when the row's name is another one's), else the one phone-less record of
    /// that name, else a new person (<see cref="LedgerPerson.IsNew"/>; <see cref="Accept"/> makes it once the row is
    /// accepted). Without one: as <see cref="Responsible"/>, and a name several people have is refused with them listed.
    /// </summary>
    public LedgerPerson? Match(string? name, string? rawPhone, FieldErrors errors, string nameKey, string phoneKey)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) && string.IsNullOrWhiteSpace(rawPhone)) return null;
        if (string.IsNullOrWhiteSpace(rawPhone)) return ByName(name!, errors, nameKey);
        if (!PhoneNumber.TryNormalize(rawPhone, out var phone))
        {
            errors.Add(phoneKey, $"联系电话“{rawPhone.Trim()}”不是有效的电话号码：手机为 11 位数字，座机请带区号（如 0379-66312345）");
            return null;
        }
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(nameKey, $"填写了联系电话 {PhoneNumber.Mask(phone)}，但没有填包保责任人的姓名");
            return null;
        }
        if (keys.TryGetValue(phone, out var known))
        {
            if (Bare(known.Name) == Bare(name)) return new LedgerPerson(known.Id, known.UserId, null, null);
            errors.Add(nameKey, $"联系电话 {PhoneNumber.Mask(phone)} 在本县责任人名录中是“{known.Name}”，不是“{name}”；请核对姓名或电话");
            return null;
        }
        if (created.TryGetValue(phone, out var first))
        {
            if (Bare(first.Name) == Bare(name)) return new LedgerPerson(first.Id, null, name, phone);
            errors.Add(nameKey, $"联系电话 {PhoneNumber.Mask(phone)} 在本表第 {first.Row} 行是“{first.Name}”，不是“{name}”；请核对姓名或电话");
            return null;
        }
        if (Named(name).Where(p => p.Phone.Length == 0).ToList() is [var phoneless]) return new LedgerPerson(phoneless.Id, phoneless.UserId, null, null);
        if (name.Length > 50)
        {
            errors.Add(nameKey, "包保责任人姓名超过 50 个字");
            return null;
        }
        return new LedgerPerson(null, null, name, phone);
    }

    /// <summary>
    /// The person of an accepted row. A new one is registered for the rows after it (same phone: same person) and
    /// returned the first time only, for the caller to insert with the row; the division is where the row's place is.
    /// </summary>
    public (Guid? PersonId, Guid? UserId, NewPerson? Created) Accept(LedgerPerson match, int row, string divisionCode, string? unit, string? post)
    {
        if (!match.IsNew) return (match.PersonId, match.UserId, null);
        if (created.TryGetValue(match.Phone!, out var first)) return (first.Id, null, null);
        var person = new NewPerson(Guid.CreateVersion7(), row, divisionCode, match.Name!, match.Phone!, Blank(unit, 100), Blank(post, 50));
        created[person.Phone] = person;
        return (person.Id, null, person);
    }

    private LedgerPerson? ByName(string name, FieldErrors errors, string nameKey)
    {
        var named = Named(name);
        if (named.Count > 1 && !keys.ContainsKey(name.Trim()))
        {
            var listed = string.Join("、", named.Take(5).Select(p => p.Phone.Length > 0 ? $"{p.Name}（{PhoneNumber.Mask(p.Phone)}）" : $"{p.Name}（未登记电话）"));
            errors.Add(nameKey, $"本县责任人名录中有 {named.Count} 人名为“{name}”：{listed}{(named.Count > 5 ? " 等" : "")}；请在联系电话列填写其电话以区分");
            return null;
        }
        if (Responsible(name) is { } found) return new LedgerPerson(found.PersonId, found.UserId, null, null);
        errors.Add(nameKey, $"包保责任人“{name}”不在本县责任人名录中，也不是本县的系统用户；填写其联系电话即可新建为责任人（也可填系统用户名）");
        return null;
    }

    private List<Known> Named(string name) => byName.TryGetValue(Bare(name), out var list) ? list : [];

    /// <summary>"王 敏" and "王敏" are one name: ledgers pad two-character names with a space to align them.</summary>
    private static string Bare(string name) => string.Concat(name.Where(c => !char.IsWhiteSpace(c)));

    private static string? Blank(string? text, int max) => string.IsNullOrWhiteSpace(text) ? null : text.Trim() is var t && t.Length > max ? t[..max] : text.Trim();
}

/// <summary>
/// Who a ledger row names: an existing person (and their account), or a new person still to be made (name and
/// normalised phone). A user named without a person record has no <see cref="PersonId"/>.
/// </summary>
public sealed record LedgerPerson(Guid? PersonId, Guid? UserId, string? Name, string? Phone)
{
    public bool IsNew => PersonId is null && Phone is not null;
}

/// <summary>A person a ledger names for the first time: the row that first names them, and their record's values.</summary>
public sealed record NewPerson(Guid Id, int Row, string DivisionCode, string Name, string Phone, string? Unit, string? Post)
{
    public Person ToPerson(Guid importBatchId, DateTime nowUtc) => Person.FromLedger(Id, DivisionCode, Name, Phone, Unit, Post, importBatchId, nowUtc);
}
