using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Excel;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.People;

namespace MineGuard.Features.Persons;

public sealed record PersonInput(string? DivisionCode, string? Name, string? Phone, string? Unit, string? Post, string? Note);

public sealed record PersonMergeInput(Guid? Into);

public sealed record PersonView(Guid Id, string DivisionCode, string Division, string Name, string Phone, bool PhoneMasked, string? Unit,
    string? Post, string? Note, bool HasAccount, Guid? MergedIntoId);

public sealed record PersonList(int Total, int Page, int PageSize, List<PersonView> Items);

public sealed record DuplicateGroup(string Phone, List<PersonView> Persons);

/// <summary>
/// 责任人 of the jurisdiction: listed by everyone on staff (phones masked unless the reader manages people: the office
/// and administrators), added, edited and merged by the office.
/// </summary>
public sealed class PersonsApi : IFeature
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/persons").RequireAuthorization(Policies.Staff).WithTags("persons");
        api.MapGet("/", List).WithSummary("责任人名录（可搜索）");
        api.MapGet("/duplicates", Duplicates).RequireAuthorization(Policies.Office).WithSummary("手机号相同的疑似重复责任人");
        api.MapGet("/{id:guid}", Get).WithSummary("责任人详情");
        api.MapPost("/", Create).RequireAuthorization(Policies.Office).WithSummary("新增责任人");
        api.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Office).WithSummary("修改责任人");
        api.MapPost("/{id:guid}/merge", Merge).RequireAuthorization(Policies.Office).WithSummary("合并重复的责任人");
        api.MapExport("/export", Export, "导出责任人名录（留痕；手机号码仅办公室和管理员可见完整）");
        api.MapPost("/import", Import).RequireAuthorization(Policies.Office).WithSummary("从 Excel 导入责任人")
            .WithMetadata(new RequestSizeLimitAttribute(PersonSheets.MaxBytes + 64 * 1024))
            .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = PersonSheets.MaxBytes + 64 * 1024 });
        api.MapPost("/{id:guid}/account", GiveAccount).RequireAuthorization(Policies.Admin).WithSummary("为责任人开通登录账号");
    }

    /// <summary>The register as the list filters it, .xlsx or .csv through the one export: audited, phones masked unless the caller manages people.</summary>
    public static async Task<Results<FileStreamHttpResult, Accepted<ExportJobView>, ValidationProblem>> Export(string? q, string? format,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (q is { Length: > 50 }) return new FieldErrors { { "q", ["搜索词不能超过 50 个字"] } }.ToProblem();
        var full = PersonSheets.ManagesPeople(db);
        return await ListExport.SendAsync(http, format, "责任人名录", PersonSheets.Columns, nameof(Person), string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            services =>
            {
                var reader = services.GetRequiredService<AppDbContext>();
                return new ListRows<Person>(PersonSheets.Register(reader, q), (batch, token) => PersonSheets.CellsAsync(reader, batch, full, token));
            }, ct, auditNote: full ? "手机号码完整" : "手机号码已遮蔽");
    }

    /// <summary>Persons from an .xlsx (姓名/手机号码/单位/职务/所属区划), matched by phone: bad rows listed by row number.</summary>
    public static async Task<Results<Ok<PersonImportResult>, ValidationProblem>> Import(IFormFile? file, AppDbContext db, CancellationToken ct)
    {
        await using var stream = file?.OpenReadStream();
        var (result, errors) = await PersonSheets.ImportAsync(db, file?.FileName, stream, file?.Length ?? 0, ct);
        return result is null ? errors.ToProblem() : TypedResults.Ok(result);
    }

    /// <summary>A log-in for a person who has none (administrators; the user-creation checks of the admin pages).</summary>
    public static async Task<Results<Ok<PersonView>, NotFound, ValidationProblem>> GiveAccount(Guid id, PersonAccountInput input, AppDbContext db,
        MineGuard.Features.Admin.AdminCommands admin, CancellationToken ct)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null) return TypedResults.NotFound();
        var (user, errors) = await PersonSheets.GiveAccountAsync(db, admin, person, input, ct);
        if (user is null) return errors.ToProblem();
        return TypedResults.Ok((await ViewsAsync(db, [person], ct))[0]);
    }

    public static async Task<Results<Ok<PersonList>, ValidationProblem>> List(string? q, string? division, int? page, int? pageSize,
        AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (q is { Length: > 50 }) errors.Add("q", "搜索词不能超过 50 个字");
        if (division is { Length: > 24 }) errors.Add("division", "地区代码不正确");
        if (page is < 1 or > 100_000) errors.Add("page", "页码应在 1 到 100000 之间");
        if (pageSize is < 1 or > 500) errors.Add("pageSize", "每页条数应在 1 到 500 之间");
        if (!errors.Ok) return errors.ToProblem();
        var query = db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(division)) query = query.Within(JurisdictionScope.Of(division.Trim()), p => p.DivisionCode);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = PhoneNumber.TryNormalize(term, out var phone)
                ? query.Where(p => p.Phone == phone)
                : query.Where(p => p.Name.Contains(term) || (p.Unit != null && p.Unit.Contains(term)) || (p.Post != null && p.Post.Contains(term)));
        }
        var (number, size) = (page ?? 1, pageSize ?? 50);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(p => p.DivisionCode).ThenBy(p => p.Name).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PersonList(total, number, size, await ViewsAsync(db, rows, ct)));
    }

    public static async Task<Results<Ok<PersonView>, NotFound>> Get(Guid id, AppDbContext db, CancellationToken ct) =>
        await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } person
            ? TypedResults.Ok((await ViewsAsync(db, [person], ct))[0])
            : TypedResults.NotFound();

    /// <summary>People entered more than once (the same phone), for the office to merge.</summary>
    public static async Task<Ok<List<DuplicateGroup>>> Duplicates(AppDbContext db, CancellationToken ct)
    {
        var phones = await db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null && p.Phone != "")
            .GroupBy(p => p.Phone).Where(g => g.Count() > 1).Select(g => g.Key).Order().Take(200).ToListAsync(ct);
        var rows = await db.Set<Person>().AsNoTracking().Where(p => p.MergedIntoId == null && phones.Contains(p.Phone))
            .OrderBy(p => p.Phone).ThenBy(p => p.Name).ToListAsync(ct);
        var views = await ViewsAsync(db, rows, ct); // in the rows' order, phones in full (office only)
        return TypedResults.Ok(views.GroupBy(v => v.Phone).Select(g => new DuplicateGroup(g.Key, g.ToList())).ToList());
    }

    public static async Task<Results<Created<PersonView>, ValidationProblem>> Create(PersonInput input, AppDbContext db, CancellationToken ct)
    {
        var (errors, phone) = await CheckAsync(input, db, null, ct);
        if (!errors.Ok) return errors.ToProblem();
        var person = Person.Create(input.DivisionCode!.Trim(), input.Name!.Trim(), phone, Trim(input.Unit), Trim(input.Post), Trim(input.Note),
            null, db.Clock.GetUtcNow().UtcDateTime);
        db.Add(person);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/persons/{person.Id}", (await ViewsAsync(db, [person], ct))[0]);
    }

    public static async Task<Results<Ok<PersonView>, NotFound, ValidationProblem>> Update(Guid id, PersonInput input, AppDbContext db, CancellationToken ct)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null) return TypedResults.NotFound();
        var (errors, phone) = await CheckAsync(input, db, id, ct);
        if (!errors.Ok) return errors.ToProblem();
        person.Update(input.DivisionCode!.Trim(), input.Name!.Trim(), phone, Trim(input.Unit), Trim(input.Post), Trim(input.Note), db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, [person], ct))[0]);
    }

    public static async Task<Results<Ok<PersonView>, NotFound, ValidationProblem>> Merge(Guid id, PersonMergeInput input, AppDbContext db, CancellationToken ct)
    {
        var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null) return TypedResults.NotFound();
        if (input.Into is not { } intoId) return new FieldErrors { { "into", ["请选择要合并到的人员"] } }.ToProblem();
        // The target must be in the caller's scope too: a merge never reaches another county's record.
        var into = await db.Set<Person>().FirstOrDefaultAsync(p => p.Id == intoId, ct);
        if (into is null) return new FieldErrors { { "into", ["要合并到的人员不存在或不在您的辖区内"] } }.ToProblem();
        person.MergeInto(into, db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, [into], ct))[0]);
    }

    private static async Task<(FieldErrors Errors, string Phone)> CheckAsync(PersonInput input, AppDbContext db, Guid? self, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(nameof(input.Name), "请填写姓名");
        else if (name.Length > 50) errors.Add(nameof(input.Name), "姓名不能超过 50 个字");
        if (!PhoneNumber.TryNormalize(input.Phone, out var phone))
            errors.Add(nameof(input.Phone), string.IsNullOrWhiteSpace(input.Phone) ? "请填写联系电话，短信提醒要发到这个号码" : "联系电话不正确：手机号为 11 位数字，座机请带区号");
        if (input.Unit?.Trim() is { Length: > 100 }) errors.Add(nameof(input.Unit), "单位不能超过 100 个字");
        if (input.Post?.Trim() is { Length: > 50 }) errors.Add(nameof(input.Post), "职务不能超过 50 个字");
        if (input.Note?.Trim() is { Length: > 500 }) errors.Add(nameof(input.Note), "备注不能超过 500 个字");
        var code = input.DivisionCode?.Trim();
        if (string.IsNullOrEmpty(code)) errors.Add(nameof(input.DivisionCode), "请选择所在地区（县、乡镇、村或网格）");
        else if (code.Length < 6 || code.Length > 24 || !db.CurrentUser.Scope.Contains(code)
                 || !await db.Divisions.AnyAsync(d => d.Code == code && d.Level >= DivisionLevel.County, ct))
            errors.Add(nameof(input.DivisionCode), "所选地区不在您的辖区内");
        if (errors.Ok)
        {
            // One person per phone in a county: a second record is the same person entered twice (merge, not add).
            var county = code![..6];
            var taken = await db.Beyond<Person>(ScopeExit.Uniqueness).AsNoTracking()
                .Where(p => p.Phone == phone && p.MergedIntoId == null && p.Id != self && p.DivisionCode.StartsWith(county))
                .Select(p => new { p.Name, p.DivisionCode }).FirstOrDefaultAsync(ct);
            if (taken is not null)
                errors.Add(nameof(input.Phone), db.CurrentUser.Scope.Contains(taken.DivisionCode)
                    ? $"该电话已登记给“{taken.Name}”，同一人请修改原记录" : "该电话已在本县登记给其他人员");
        }
        return (errors, phone);
    }

    internal static async Task<List<PersonView>> ViewsAsync(AppDbContext db, List<Person> rows, CancellationToken ct)
    {
        var codes = rows.Select(p => p.DivisionCode).Distinct().ToList();
        var names = await db.DivisionNamesAsync(codes, ct);
        // A person's phone is personal data: in full only for those who manage people.
        var full = PersonSheets.ManagesPeople(db);
        return rows.Select(p => new PersonView(p.Id, p.DivisionCode, names.GetValueOrDefault(p.DivisionCode, p.DivisionCode), p.Name,
            full ? p.Phone : PhoneNumber.Mask(p.Phone), !full, p.Unit, p.Post, p.Note, p.UserId is not null, p.MergedIntoId)).ToList();
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
