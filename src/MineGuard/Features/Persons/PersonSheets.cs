using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Persons;

public sealed record PersonImportError(int Row, string Field, string Message);

/// <param name="Notes">Rows taken with a remark: a village written short (黄庄村 for 黄庄村民委员会) and which one it was.</param>
public sealed record PersonImportResult(int Created, int Updated, int Unchanged, List<PersonImportError> Errors, List<PersonImportError> Notes);

public sealed record PersonAccountInput(string? UserName, string? Password, string[]? Roles, string? DepartmentCode);

/// <summary>
/// 责任人名录 in and out of Excel, and a log-in for a person later. Import (.xlsx/.csv, columns 姓名/手机号码/单位/职务/所属区划
/// and optionally 乡镇, headers matched like the ledger import's) matches people by phone within the county, so a
/// re-import updates instead of duplicating; 所属区划 takes a code, a name, or a village as ledgers write it (黄庄村),
/// through the ledger import's own matching (<see cref="CountyDivisions"/>); bad rows are listed by row number and the
/// good ones saved. Export is a sensitive read: audited, the
/// phone masked unless the caller manages people.
/// </summary>
public static class PersonSheets
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public static readonly IReadOnlyList<SheetField> Fields =
    [
        new("name", "姓名", true, ["名字", "责任人", "责任人姓名", "包保责任人", "name"]),
        new("phone", "手机号码", true, ["手机", "手机号", "电话", "联系电话", "联系方式", "phone", "mobile"]),
        new("unit", "单位", false, ["工作单位", "所在单位", "unit"]),
        new("post", "职务", false, ["职位", "岗位", "post"]),
        new("division", "所属区划", false, ["区划", "所在地区", "村", "所在村", "所属村", "行政村", "村社区", "division", "village"]),
        // With a 乡镇 column, a village is looked for in that township (as the adit ledger does); alone, it is the division.
        new("township", "乡镇", false, ["所属乡镇", "所在乡镇", "乡镇名称", "乡镇林场", "township"]),
    ];

    public static readonly IReadOnlyList<XlsxWriter.Column> Columns =
        [new("姓名", 12), new("手机号码", 16), new("单位", 24), new("职务", 14), new("所属区划", 20), new("区划代码", 16), new("有登录账号", 10)];

    /// <summary>May the caller see phones in full and change the register (the office and administrators)?</summary>
    public static bool ManagesPeople(AppDbContext db) =>
        db.CurrentUser.IsInRole(Roles.Office) || db.CurrentUser.IsInRole(Roles.Admin) || db.CurrentUser.Scope.IsAll;

    public static async Task<(PersonImportResult? Result, FieldErrors Errors)> ImportAsync(AppDbContext db, string? fileName, Stream? content, long length,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (length > MaxBytes)
        {
            errors.Add("file", "文件超过 10 MB，请拆分后再上传");
            return (null, errors);
        }
        if (await UploadedSheet.ReadAsync(fileName, length == 0 ? null : content, Fields, errors, ct) is not { } sheet) return (null, errors);

        var scope = db.CurrentUser.Scope;
        var divisions = await db.Divisions.AsNoTracking().Within(scope).Where(d => d.Level >= DivisionLevel.County)
            .Select(d => new { d.Code, d.Name }).ToListAsync(ct);
        var byCode = divisions.ToDictionary(d => d.Code, d => d.Code, StringComparer.Ordinal);
        var byName = divisions.GroupBy(d => d.Name).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First().Code, StringComparer.Ordinal);
        var fallback = scope.Code.Length >= 6 && byCode.ContainsKey(scope.Code) ? scope.Code : null;
        // The county's townships and villages, matched as the ledger import matches them (a user above the counties
        // writes codes or full names).
        var places = scope.Code.Length >= 6 && await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == scope.Code.Substring(0, 6) && d.Level == DivisionLevel.County, ct) is { } county
            ? await CountyDivisions.LoadAsync(db, county, ct) : null;
        var existing = await db.Set<Person>().Where(p => p.MergedIntoId == null).ToListAsync(ct);
        var byPhone = existing.GroupBy(p => (County: p.DivisionCode[..Math.Min(6, p.DivisionCode.Length)], p.Phone)).ToDictionary(g => g.Key, g => g.First());
        var body = sheet.Rows;
        var taken = await TakenPhonesAsync(db, body.Select(r => Cell(r, "phone")), ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var (created, updated, unchanged) = (0, 0, 0);
        var (rowErrors, notes) = (new List<PersonImportError>(), new List<PersonImportError>());
        string? Cell(SheetRow row, string key) => sheet.Cell(row, key);
        foreach (var row in body)
        {
            var before = rowErrors.Count;
            var name = Cell(row, "name");
            if (name is null) rowErrors.Add(new(row.Number, "姓名", "姓名为空"));
            else if (name.Length > 50) rowErrors.Add(new(row.Number, "姓名", "姓名超过 50 个字"));
            var rawPhone = Cell(row, "phone");
            if (!PhoneNumber.TryNormalize(rawPhone, out var phone))
                rowErrors.Add(new(row.Number, "手机号码", rawPhone is null ? "手机号码为空" : $"手机号码“{rawPhone}”不正确：手机号为 11 位数字，座机请带区号"));
            var unit = Cell(row, "unit");
            if (unit is { Length: > 100 }) rowErrors.Add(new(row.Number, "单位", "单位超过 100 个字"));
            var post = Cell(row, "post");
            if (post is { Length: > 50 }) rowErrors.Add(new(row.Number, "职务", "职务超过 50 个字"));
            var (division, field, problem, note) = Place(Cell(row, "township"), Cell(row, "division"));
            if (problem is not null) rowErrors.Add(new(row.Number, field, problem));
            if (rowErrors.Count > before) continue;
            if (note is not null) notes.Add(new(row.Number, field, note));

            var countyCode = division![..6];
            if (byPhone.TryGetValue((countyCode, phone), out var person))
            {
                if (person.Name == name && person.Unit == unit && person.Post == post && person.DivisionCode == division)
                {
                    unchanged++;
                    continue;
                }
                person.Update(division, name!, phone, unit, post, person.Note, now);
                updated++;
                continue;
            }
            if (taken.Contains((countyCode, phone)))
            {
                rowErrors.Add(new(row.Number, "手机号码", "该电话已在本县登记给其他人员"));
                continue;
            }
            person = Person.Create(division, name!, phone, unit, post, null, null, now);
            db.Add(person);
            byPhone[(countyCode, phone)] = person;
            created++;
        }

        // 所属区划 (and 乡镇): a code or a unique name in the caller's scope; else a township of the county, or a village
        // of the named township or, without one, of the county, as the ledger writes it.
        (string? Division, string Field, string? Problem, string? Note) Place(string? townshipText, string? place)
        {
            Division? township = null;
            if (townshipText is not null)
            {
                township = places?.Find(townshipText, DivisionLevel.Township, null);
                if (township is null || !scope.Contains(township.Code))
                    return (null, "乡镇", $"乡镇“{townshipText}”不在您的辖区内，请填乡镇全称或区划代码", null);
            }
            if (place is null)
            {
                return township is not null ? (township.Code, "乡镇", null, null)
                    : fallback is not null ? (fallback, "所属区划", null, null) : (null, "所属区划", "请填写所属区划（乡镇、村或网格）", null);
            }
            var known = byCode.GetValueOrDefault(Division.NormalizeCode(place)) ?? (township is null ? byName.GetValueOrDefault(place) : null);
            if (known is not null) return (known, "所属区划", null, null);
            if (places is null) return (null, "所属区划", $"区划“{place}”不在您的辖区内或有重名，请填区划代码", null);
            string? error, note = null;
            var found = township is null ? places.Find(place, DivisionLevel.Township, null) : null;
            found ??= township is not null ? places.Find(place, DivisionLevel.Grid, township.Code) : places.Find(place, DivisionLevel.Grid, null);
            if (found is null)
                found = township is not null ? places.Village(place, township, out error, out note) : places.VillageInCounty(place, out error, out note);
            else error = null;
            // A code or a township's name that is not the county's is not a village either: say so in the old words.
            if (found is null && (place.All(char.IsAsciiDigit) || place.EndsWith('镇') || place.EndsWith('乡') || place.EndsWith("街道", StringComparison.Ordinal) || place.EndsWith("林场", StringComparison.Ordinal)))
                error = $"区划“{place}”不在您的辖区内或有重名，请填区划代码";
            if (found is null) return (null, "所属区划", error, null);
            return scope.Contains(found.Code) ? (found.Code, "所属区划", null, note) : (null, "所属区划", $"区划“{place}”不在您的辖区内", null);
        }
        if (created + updated > 0) db.AuditEvent("import", nameof(Person), "*", $"导入责任人名录：新增 {created} 人，更新 {updated} 人，{rowErrors.Count} 行有误未导入");
        await db.SaveChangesAsync(ct);
        return (new PersonImportResult(created, updated, unchanged, rowErrors, notes), errors);
    }

    /// <summary>
    /// The file's phones already registered in their county beyond the caller's scope, as (county, phone): one query for
    /// the whole file (a 20,000-row register asked it once per row).
    /// </summary>
    private static async Task<HashSet<(string County, string Phone)>> TakenPhonesAsync(AppDbContext db, IEnumerable<string?> cells, CancellationToken ct)
    {
        var phones = cells.Select(c => PhoneNumber.TryNormalize(c, out var p) ? p : null).OfType<string>().Distinct().ToList();
        if (phones.Count == 0) return [];
        var found = await db.Beyond<Person>(ScopeExit.Uniqueness).Where(p => p.MergedIntoId == null && phones.Contains(p.Phone))
            .Select(p => new { p.DivisionCode, p.Phone }).ToListAsync(ct);
        return [.. found.Select(p => (p.DivisionCode[..Math.Min(6, p.DivisionCode.Length)], p.Phone))];
    }

    /// <summary>The register as the list filters it (the keyword: a phone, or a name, unit or post containing it), by division and name.</summary>
    public static IQueryable<Person> Register(AppDbContext db, string? q)
    {
        var query = db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = PhoneNumber.TryNormalize(term, out var phone) ? query.Where(p => p.Phone == phone)
                : query.Where(p => p.Name.Contains(term) || (p.Unit != null && p.Unit.Contains(term)) || (p.Post != null && p.Post.Contains(term)));
        }
        return query.OrderBy(p => p.DivisionCode).ThenBy(p => p.Name).ThenBy(p => p.Id);
    }

    /// <summary>A batch of the register as the export's cells: phones masked unless <paramref name="full"/>.</summary>
    public static async Task<IEnumerable<object?[]>> CellsAsync(AppDbContext db, List<Person> batch, bool full, CancellationToken ct)
    {
        var names = await db.DivisionNamesAsync(batch.Select(p => p.DivisionCode).Distinct().ToList(), ct);
        return batch.Select(p => new object?[] { p.Name, full ? p.Phone : PhoneNumber.Mask(p.Phone), p.Unit, p.Post,
            names.GetValueOrDefault(p.DivisionCode, p.DivisionCode), p.DivisionCode, p.UserId is null ? "否" : "是" });
    }

    /// <summary>
    /// A log-in for a person who had none: an account made by the administrators' own user creation (same checks and
    /// messages), named and placed as the person, then linked to the person record.
    /// </summary>
    public static async Task<(AppUser? User, FieldErrors Errors)> GiveAccountAsync(AppDbContext db, AdminCommands admin, Person person,
        PersonAccountInput input, CancellationToken ct)
    {
        if (person.UserId is not null || person.MergedIntoId is not null)
            return (null, new FieldErrors { { "userName", [person.UserId is not null ? "该人员已有登录账号" : "该人员已合并到另一条记录，请在合并后的记录上开通账号"] } });
        var (user, errors) = await admin.CreateUserAsync(new UserInput(input.UserName, person.Name, input.Password, person.DivisionCode,
            string.IsNullOrWhiteSpace(input.DepartmentCode) ? "local-government" : input.DepartmentCode, input.Roles is { Length: > 0 } r ? r : [Roles.Responsible],
            person.Phone.Length > 0 ? person.Phone : null), ct);
        if (user is null) return (null, errors);
        person.LinkAccount(user.Id, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return (user, errors);
    }
}
