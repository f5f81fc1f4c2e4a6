using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Admin;

public sealed record UserInput(
    string? UserName, string? DisplayName, string? Password, string? DivisionCode, string? DepartmentCode,
    string[]? Roles, string? PhoneNumber);

public sealed record UserUpdate(
    string? DisplayName, string? DivisionCode, string? DepartmentCode, string[]? Roles, string? PhoneNumber,
    bool Disabled, string? NewPassword);

public sealed record DivisionInput(string? ParentCode, string? Kind, string? Name, string? Code);

public sealed record ApiKeyInput(string? Name, string? DivisionCode);

/// <summary>
/// What an administrator may change: users, villages and grids, API keys. Shared by the admin pages and the admin
/// API so both refuse the same things with the same messages. Every check is against the acting admin's own scope.
/// </summary>
public sealed class AdminCommands(AppDbContext db, UserManager<AppUser> users)
{
    private JurisdictionScope Scope => db.CurrentUser.Scope;

    public IQueryable<AppUser> UsersInScope() => db.Users.Within(Scope, u => u.DivisionCode);

    public async Task<(AppUser? User, FieldErrors Errors)> CreateUserAsync(UserInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.UserName)) errors.Add(nameof(input.UserName), "请填写用户名");
        if (string.IsNullOrWhiteSpace(input.DisplayName)) errors.Add(nameof(input.DisplayName), "请填写姓名");
        if (string.IsNullOrEmpty(input.Password)) errors.Add(nameof(input.Password), "请设置初始密码");
        else await users.ValidatePasswordAsync(new AppUser { UserName = input.UserName }, input.Password, nameof(input.Password), errors);
        var division = await CheckDivisionAsync(input.DivisionCode, nameof(input.DivisionCode), errors, ct);
        CheckDepartment(input.DepartmentCode, errors);
        CheckRoles(input.Roles, errors);
        if (!string.IsNullOrWhiteSpace(input.UserName) && await users.FindByNameAsync(input.UserName.Trim()) is not null)
            errors.Add(nameof(input.UserName), $"用户名“{input.UserName.Trim()}”已被使用");
        if (!errors.Ok) return (null, errors);

        var user = new AppUser
        {
            UserName = input.UserName!.Trim(), DisplayName = input.DisplayName!.Trim(), DivisionCode = division!.Code,
            DepartmentCode = input.DepartmentCode!, PhoneNumber = Blank(input.PhoneNumber),
            CreatedUtc = db.Clock.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, input.Password!);
        if (!created.Succeeded)
        {
            foreach (var e in created.Errors) errors.Add(e.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(input.Password) : nameof(input.UserName), e.Description);
            return (null, errors);
        }
        await users.AddToRolesAsync(user, input.Roles!.Distinct());
        await tx.CommitAsync(ct);
        return (user, errors);
    }

    public async Task<FieldErrors> UpdateUserAsync(AppUser user, UserUpdate input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.DisplayName)) errors.Add(nameof(input.DisplayName), "请填写姓名");
        var division = await CheckDivisionAsync(input.DivisionCode, nameof(input.DivisionCode), errors, ct);
        CheckDepartment(input.DepartmentCode, errors);
        CheckRoles(input.Roles, errors);
        if (user.Id == db.CurrentUser.Id && (input.Disabled || input.Roles?.Contains(Roles.Admin) != true))
            errors.Add(nameof(input.Roles), "不能停用自己或取消自己的管理员角色");
        if (!string.IsNullOrEmpty(input.NewPassword)) await users.ValidatePasswordAsync(user, input.NewPassword, nameof(input.NewPassword), errors);
        if (!errors.Ok) return errors;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var scopeChanged = user.DivisionCode != division!.Code || user.IsDisabled != input.Disabled;
        user.DisplayName = input.DisplayName!.Trim();
        user.DivisionCode = division.Code;
        user.DepartmentCode = input.DepartmentCode!;
        user.PhoneNumber = Blank(input.PhoneNumber);
        user.IsDisabled = input.Disabled;
        // A disabled account is locked out for good; enabling it lifts the lock.
        user.LockoutEnd = input.Disabled ? DateTimeOffset.MaxValue : null;
        if (!string.IsNullOrEmpty(input.NewPassword))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, input.NewPassword);
            if (!reset.Succeeded) throw new InvalidOperationException(string.Join("; ", reset.Errors.Select(e => e.Description)));
        }
        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current.Except(input.Roles!));
        await users.AddToRolesAsync(user, input.Roles!.Distinct().Except(current));
        // A new scope, role or state must not wait for the old cookie to expire.
        if (scopeChanged || !current.ToHashSet().SetEquals(input.Roles!)) await users.UpdateSecurityStampAsync(user);
        else await users.UpdateAsync(user);
        await tx.CommitAsync(ct);
        return errors;
    }

    public async Task<(Division? Division, FieldErrors Errors)> AddDivisionAsync(DivisionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var parent = await CheckDivisionAsync(input.ParentCode, nameof(input.ParentCode), errors, ct);
        if (string.IsNullOrWhiteSpace(input.Name)) errors.Add(nameof(input.Name), "请填写名称");
        if (input.Kind is not ("village" or "grid")) errors.Add(nameof(input.Kind), "类型只能是“村”或“网格”");
        if (parent is not null && parent.Level is not (DivisionLevel.Township or DivisionLevel.Village))
            errors.Add(nameof(input.ParentCode), "村和网格只能建在乡镇（或村）之下");
        if (input.Kind == "village" && parent is { Level: not DivisionLevel.Township })
            errors.Add(nameof(input.ParentCode), "村只能建在乡镇之下");
        string? villageCode = null;
        if (input.Kind == "village" && parent is not null)
        {
            villageCode = input.Code?.Trim();
            if (villageCode is null || villageCode.Length != 12 || !villageCode.All(char.IsAsciiDigit))
                errors.Add(nameof(input.Code), "村的统计用区划代码应为 12 位数字");
            else if (!villageCode.StartsWith(parent.Code, StringComparison.Ordinal))
                errors.Add(nameof(input.Code), $"村代码必须以所属乡镇代码 {parent.Code} 开头");
            else if (await db.Divisions.AnyAsync(d => d.Code == villageCode, ct))
                errors.Add(nameof(input.Code), $"代码 {villageCode} 已存在");
        }
        if (parent is not null && !string.IsNullOrWhiteSpace(input.Name)
            && await db.Divisions.AnyAsync(d => d.ParentCode == parent.Code && d.Name == input.Name.Trim(), ct))
            errors.Add(nameof(input.Name), $"“{parent.Name}”下已有同名的“{input.Name.Trim()}”");
        if (!errors.Ok) return (null, errors);

        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (villageCode is not null)
        {
            var village = Division.Village(parent!, villageCode, input.Name!.Trim(), isDemo: false, now);
            db.Divisions.Add(village);
            await db.SaveChangesAsync(ct);
            return (village, errors);
        }
        // Two admins adding grids at once must not pick the same serial: take the next one under a lock
        // (SQLite: the transaction holds the write lock from its start; PostgreSQL: a lock per township).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(LockKey.DivisionChildren, parent!.Code, ct);
        var prefix = parent!.Code + "G";
        var existing = await db.Divisions.Where(d => d.ParentCode == parent.Code && d.Level == DivisionLevel.Grid)
            .Select(d => d.Code).ToListAsync(ct);
        var serial = existing.Select(c => int.TryParse(c[prefix.Length..], out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;
        var grid = Division.Grid(parent, serial, input.Name!.Trim(), isDemo: false, now);
        db.Divisions.Add(grid);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (grid, errors);
    }

    public async Task<(string? PlainKey, ApiKey? Key, FieldErrors Errors)> CreateApiKeyAsync(ApiKeyInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.Name)) errors.Add(nameof(input.Name), "请填写接入方名称（例如“县公安卡口平台”）");
        var division = await CheckDivisionAsync(input.DivisionCode, nameof(input.DivisionCode), errors, ct);
        if (!errors.Ok) return (null, null, errors);
        var (key, plain) = ApiKey.Create(input.Name!.Trim(), division!.Code, db.CurrentUser.Id, db.Clock.GetUtcNow().UtcDateTime);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (plain, key, errors);
    }

    /// <summary>The division must exist and lie within the acting admin's own scope.</summary>
    private async Task<Division?> CheckDivisionAsync(string? code, string field, FieldErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            errors.Add(field, "请选择行政区划");
            return null;
        }
        var normalized = Division.NormalizeCode(code);
        var division = await db.Divisions.FirstOrDefaultAsync(d => d.Code == normalized, ct);
        if (division is null) errors.Add(field, $"未知的行政区划代码：{code.Trim()}");
        else if (!Scope.Contains(division.Code)) errors.Add(field, $"“{division.Name}”（{division.Code}）超出您的管辖范围");
        else return division;
        return null;
    }

    private static void CheckDepartment(string? code, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(code) || Department.NameOf(code) is null) errors.Add("DepartmentCode", "请选择部门");
    }

    private static void CheckRoles(string[]? roles, FieldErrors errors)
    {
        if (roles is null || roles.Length == 0) errors.Add("Roles", "至少选择一个角色");
        else if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } bad) errors.Add("Roles", $"未知的角色：{bad}");
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
