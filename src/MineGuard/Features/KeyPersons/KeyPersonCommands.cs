using MineGuard.Platform.People;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Features.Adits;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;
using static MineGuard.Features.KeyPersons.KeyPersonChecks;

namespace MineGuard.Features.KeyPersons;

/// <summary>
/// A key person as typed: every field a string, as it comes from a form, a JSON body or an Excel cell.
/// <see cref="Division"/> is the home township or village, by code or name; <see cref="ControlLevel"/> is 一般, 重点 or
/// 严管. On an update a blank <see cref="IdNumber"/> keeps the stored number.
/// </summary>
public sealed record KeyPersonInput(
    string? Name, string? IdNumber, string? Phone, string? Division, string? Address, string? History, string? PriorCases,
    string? ControlLevel, string? Plates = null);

/// <summary>上门宣传诫训: when, who went, and how it went.</summary>
public sealed record HomeVisitInput(DateOnly? VisitedOn, string? VisitedBy, string? Outcome);

/// <summary>Links a person to an adit by the adit's ledger number, with how they are connected.</summary>
public sealed record AditLinkInput(string? AditNumber, string? Relation);

/// <summary>
/// What may be done to key persons, shared by the API, the pages and the Excel import so all refuse the same things
/// with the same messages. Every check is against the acting user's jurisdiction.
/// </summary>
public sealed partial class KeyPersonCommands(AppDbContext db, IdNumberProtection ids)
{
    private const string IdField = nameof(KeyPersonInput.IdNumber);

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    /// <summary>
    /// Load, then check the scope: a person outside the caller's jurisdiction is "not found", like one that does not
    /// exist. (The query filter already hides them; the explicit check keeps that true if the filter is ever bypassed.)
    /// </summary>
    public async Task<KeyPerson?> FindAsync(Guid id, CancellationToken ct)
    {
        var person = await db.Set<KeyPerson>().FirstOrDefaultAsync(p => p.Id == id, ct);
        return person is not null && db.CurrentUser.Scope.Contains(person.DivisionCode) ? person : null;
    }

    /// <summary>Registers a person from a form or the API and saves.</summary>
    public async Task<(KeyPerson? Person, FieldErrors Errors)> CreateAsync(KeyPersonInput input, CancellationToken ct)
    {
        var (person, errors) = await ValidateAndCreateAsync(input, importBatchId: null, isDemo: false, ct);
        if (person is null) return (null, errors);
        return await TrySaveAsync(person, errors, ct) ? (person, errors) : (null, errors);
    }

    /// <summary>
    /// For the Excel import, one row at a time: checks the row and adds the person to the context without saving, so
    /// the caller saves the whole batch in one transaction. A number that repeats an earlier row of the same batch is
    /// refused like one already registered. Township and village names are resolved within the acting user's
    /// jurisdiction.
    /// </summary>
    public Task<(KeyPerson? Person, FieldErrors Errors)> ValidateAndCreateAsync(
        KeyPersonInput input, Guid? importBatchId, bool isDemo, CancellationToken ct) =>
        ValidateAndCreateAsync(input, importBatchId, isDemo, db.CurrentUser.Scope, ct);

    /// <summary>As above within a given jurisdiction: a background job acting as the system passes the uploader's county.</summary>
    public async Task<(KeyPerson? Person, FieldErrors Errors)> ValidateAndCreateAsync(
        KeyPersonInput input, Guid? importBatchId, bool isDemo, JurisdictionScope scope, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var errors = new FieldErrors();
        var profile = await CheckProfileAsync(input, scope, errors, ct);
        var id = await CheckIdNumberAsync(input.IdNumber, self: null, errors, ct);
        if (!errors.Ok || profile is null || id is null) return (null, errors);

        var person = KeyPerson.Register(profile, ids.Protect(id.Value.Plain), id.Value.Hash, IdNumber.Last4(id.Value.Plain), Now, importBatchId, isDemo);
        db.Add(person);
        return (person, errors);
    }

    /// <summary>
    /// 案不漏人: a case's party put on the ledger by the office, added to the context for the caller's save. The number
    /// comes already protected and hashed by the case; the entry with the same number in the caller's scope is reused.
    /// </summary>
    public async Task<(Guid? Id, bool Registered, FieldErrors Errors)> EnrolAsync(KeyPersonEnrolment e, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var errors = new FieldErrors();
        var existing = await HolderAsync(e.IdNumberHash, except: null, ct);
        if (existing is not null && db.CurrentUser.Scope.Contains(existing.DivisionCode)) return (existing.Id, false, errors);
        if (existing is not null)
        {
            errors.Add(nameof(e.IdNumberHash), "该身份证号已在其他辖区登记为重点人员，请与所在辖区联系");
            return (null, false, errors);
        }
        var profile = await CheckProfileAsync(new KeyPersonInput(e.Name, null, null, e.DivisionCode, null, e.History, e.PriorCases, e.ControlLevel),
            db.CurrentUser.Scope, errors, ct);
        if (profile is null || !errors.Ok) return (null, false, errors);
        var person = KeyPerson.Register(profile, e.IdNumberProtected, e.IdNumberHash, e.IdNumberLast4, Now);
        db.Add(person);
        return (person.Id, true, errors);
    }

    /// <summary>Changes the record; a blank ID number keeps the stored one, a new one is checked like on creation.</summary>
    public async Task<FieldErrors> UpdateAsync(KeyPerson person, KeyPersonInput input, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var errors = new FieldErrors();
        var profile = await CheckProfileAsync(input, db.CurrentUser.Scope, errors, ct);
        var id = string.IsNullOrWhiteSpace(input.IdNumber) ? null : await CheckIdNumberAsync(input.IdNumber, person, errors, ct);
        if (!errors.Ok || profile is null) return errors;

        // Plates left out of the request (an older client, the ledger) keep the stored ones; an empty text clears them.
        person.Update(input.Plates is null ? profile with { Plates = person.Plates } : profile, Now);
        if (id is { } changed && changed.Hash != person.IdNumberHash)
            person.CorrectIdNumber(ids.Protect(changed.Plain), changed.Hash, IdNumber.Last4(changed.Plain), Now);
        await TrySaveAsync(person, errors, ct);
        return errors;
    }

    /// <summary>
    /// 显示完整身份证号: decrypts the number for the caller. The audit record is saved before the number is returned,
    /// so there is no disclosure without its record.
    /// </summary>
    /// <summary>
    /// Records that someone opened a key person's file (ID number masked). Key persons are sensitive as a whole, so
    /// every opening is in the audit trail as "view"; revealing the full ID number is a separate "read".
    /// </summary>
    public async Task RecordViewAsync(KeyPerson person, CancellationToken ct)
    {
        db.AuditEvent("view", nameof(KeyPerson), person.Id.ToString(), "查看重点人员档案（身份证号已遮蔽）", person.DivisionCode);
        await db.SaveChangesAsync(ct);
    }

    public async Task<string> RevealIdNumberAsync(KeyPerson person, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var plain = ids.Unprotect(person.IdNumberProtected);
        db.AuditRead(nameof(KeyPerson), person.Id.ToString(), person.DivisionCode, "查看完整身份证号");
        await db.SaveChangesAsync(ct);
        return plain;
    }

    public async Task<(HomeVisit? Visit, FieldErrors Errors)> AddHomeVisitAsync(KeyPerson person, HomeVisitInput input, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var errors = new FieldErrors();
        if (input.VisitedOn is null) errors.Add(nameof(input.VisitedOn), "请填写走访日期");
        else if (input.VisitedOn > Today) errors.Add(nameof(input.VisitedOn), "走访日期不能晚于今天");
        var by = Required(input.VisitedBy, VisitedByMax, nameof(input.VisitedBy), "请填写走访人", errors);
        var outcome = Required(input.Outcome, TextMax, nameof(input.Outcome), "请填写走访情况（宣传诫训的内容、本人的态度等）", errors);
        if (!errors.Ok) return (null, errors);

        var visit = HomeVisit.Create(person, input.VisitedOn!.Value, by!, outcome!, db.CurrentUser.Id, Now);
        db.Add(visit);
        await db.SaveChangesAsync(ct);
        return (visit, errors);
    }

    /// <summary>Links an adit of the caller's jurisdiction, found by its ledger number; an adit elsewhere is "not found".</summary>
    public async Task<(KeyPersonAdit? Link, FieldErrors Errors)> LinkAditAsync(KeyPerson person, AditLinkInput input, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var errors = new FieldErrors();
        var number = Required(input.AditNumber, 40, nameof(input.AditNumber), "请填写矿硐编号", errors);
        var relation = Optional(input.Relation, RelationMax, nameof(input.Relation), errors);
        if (!errors.Ok) return (null, errors);

        var adit = await db.Set<Adit>().Where(a => a.Number == number).Select(a => new { a.Id, a.DivisionCode }).FirstOrDefaultAsync(ct);
        if (adit is null || !db.CurrentUser.Scope.Contains(adit.DivisionCode))
            errors.Add(nameof(input.AditNumber), $"在您的管辖范围内没有编号为“{number}”的矿硐");
        else if (await db.Set<KeyPersonAdit>().AnyAsync(l => l.KeyPersonId == person.Id && l.AditId == adit.Id, ct))
            errors.Add(nameof(input.AditNumber), $"矿硐“{number}”已与此人关联");
        if (!errors.Ok) return (null, errors);

        var link = KeyPersonAdit.Link(person.Id, adit!.Id, relation);
        db.Add(link);
        await db.SaveChangesAsync(ct);
        return (link, errors);
    }

    /// <summary>Removes a link; false when there was none.</summary>
    public async Task<bool> UnlinkAditAsync(KeyPerson person, Guid aditId, CancellationToken ct)
    {
        RequireKeyPersonsAccess();
        var link = await db.Set<KeyPersonAdit>().FirstOrDefaultAsync(l => l.KeyPersonId == person.Id && l.AditId == aditId, ct);
        if (link is null) return false;
        db.Remove(link);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public const int PlatesMax = 200;

    /// <summary>
    /// 常用车辆: plates separated by commas, spaces, 、 or semicolons, each normalised as the checkpoints store them
    /// (<see cref="VehiclePlates.Normalise"/>) and checked for shape (a province character and 5–7 letters or digits);
    /// at most five; null when none.
    /// </summary>
    private static string? Plates(string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var plates = new List<string>();
        foreach (var raw in PlateSeparators().Split(text).Where(t => t.Length > 0))
        {
            var plate = VehiclePlates.Normalise(raw);
            if (!PlateShape().IsMatch(plate))
            {
                errors.Add(nameof(KeyPersonInput.Plates), $"车牌号“{raw}”格式不正确（如 豫C12345）");
                return null;
            }
            if (!plates.Contains(plate)) plates.Add(plate);
        }
        if (plates.Count > 5) errors.Add(nameof(KeyPersonInput.Plates), "常用车辆最多填写 5 个车牌号");
        return plates.Count == 0 ? null : string.Join("，", plates);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[\s,，;；、]+")]
    private static partial System.Text.RegularExpressions.Regex PlateSeparators();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}[A-Z][A-Z0-9]{4,6}[A-Z0-9挂学警港澳领试超]?$")]
    private static partial System.Text.RegularExpressions.Regex PlateShape();

    private async Task<KeyPerson.Profile?> CheckProfileAsync(KeyPersonInput input, JurisdictionScope scope, FieldErrors errors, CancellationToken ct)
    {
        var name = Required(input.Name, NameMax, nameof(input.Name), "请填写姓名", errors);
        var phone = Phone(input.Phone, errors);
        var division = await HomeDivisionAsync(db, input.Division, scope, errors, ct);
        var address = Optional(input.Address, AddressMax, nameof(input.Address), errors);
        var history = Optional(input.History, TextMax, nameof(input.History), errors);
        var priorCases = Optional(input.PriorCases, TextMax, nameof(input.PriorCases), errors);
        var level = Level(input.ControlLevel, errors);
        var plates = Plates(input.Plates, errors);
        if (name is null || division is null || level is null) return null;
        return new KeyPerson.Profile(name, phone, division.Code, address, history, priorCases, level.Value, plates);
    }

    /// <summary>
    /// The number must pass GB 11643 and not belong to anyone else. Numbers are unique across the whole database (one
    /// person, one record), so a number registered in another county is refused too; the message then says only
    /// that, without naming the person the caller may not see.
    /// </summary>
    private async Task<(string Plain, string Hash)?> CheckIdNumberAsync(string? text, KeyPerson? self, FieldErrors errors, CancellationToken ct)
    {
        if (IdNumber.Problem(text, Today) is { } problem)
        {
            errors.Add(IdField, problem);
            return null;
        }
        var plain = IdNumber.Normalize(text!);
        var hash = await ids.HashAsync(plain, ct);
        var sameBatch = db.ChangeTracker.Entries<KeyPerson>()
            .Any(e => e.State == EntityState.Added && e.Entity != self && e.Entity.IdNumberHash == hash);
        var existing = await HolderAsync(hash, self?.Id, ct);
        if (sameBatch) errors.Add(IdField, "该身份证号已登记（与本批前面的一行重复）");
        else if (existing is not null && db.CurrentUser.Scope.Contains(existing.DivisionCode)) errors.Add(IdField, $"该身份证号已登记（{existing.Name}）");
        else if (existing is not null) errors.Add(IdField, "该身份证号已登记（在其他辖区）");
        return errors.ContainsKey(IdField) ? null : (plain, hash);
    }

    /// <summary>The entry that holds an ID number: who, filed where, named what.</summary>
    private sealed record Holder(Guid Id, string DivisionCode, string Name);

    /// <summary>
    /// The entry holding an ID number (its hash), anywhere, other than <paramref name="except"/>: numbers are unique across
    /// the whole database. Registering refuses it (naming it only in the caller's scope); enrolling a case's party links it
    /// when in scope and refuses it elsewhere.
    /// </summary>
    private Task<Holder?> HolderAsync(string hash, Guid? except, CancellationToken ct)
    {
        var holders = db.Set<KeyPerson>().Beyond(ScopeExit.Uniqueness).Where(p => p.IdNumberHash == hash);
        if (except is { } id) holders = holders.Where(p => p.Id != id);
        return holders.Select(p => new Holder(p.Id, p.DivisionCode, p.Name)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Saves; a number registered by someone else at the same moment (the unique index refuses it) is a field error.</summary>
    private async Task<bool> TrySaveAsync(KeyPerson person, FieldErrors errors, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            var (hash, id) = (person.IdNumberHash, person.Id);
            if (!await db.Set<KeyPerson>().Beyond(ScopeExit.Uniqueness).AnyAsync(p => p.IdNumberHash == hash && p.Id != id, ct)) throw;
            db.Entry(person).State = EntityState.Detached;
            errors.Add(IdField, "该身份证号已登记");
            return false;
        }
    }

    /// <summary>
    /// The endpoints and pages require <c>Policies.KeyPersons</c>; this repeats it for callers that are not endpoints
    /// (the import), so a user who may not see key persons cannot create them either. System work may.
    /// </summary>
    private void RequireKeyPersonsAccess()
    {
        var me = db.CurrentUser;
        var system = !me.IsAuthenticated && me.Scope.IsAll;
        Rule.Check(system || me.CanSeeKeyPersons, "KeyPersonsForOfficeAndPolice", "重点人员信息仅限打非办和公安人员查看和登记");
    }
}
