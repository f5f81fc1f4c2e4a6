using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace MineGuard.Features.Tips;

/// <summary>A named tipster's name and phone, as they gave them for the reward.</summary>
public sealed record Tipster(string? Name, string? Phone);

/// <summary>How a claim is to be paid, as the tipster chose: method and account (or "在现场领取").</summary>
public sealed record PayoutChoice(string Method, string? Account, string? Name, string? Phone);

/// <summary>
/// Encrypts what identifies a tipster (name, phone, payout account) with the data-protection key ring, as key persons'
/// ID numbers are. Only the reward officer and the discipline commission may decrypt (<see cref="CanSee"/>), and every
/// decryption is written to the audit trail before the value leaves the server.
/// </summary>
public sealed class TipsterIdentity(IDataProtectionProvider dataProtection)
{
    public const string Purpose = "MineGuard.Tips.Tipster";

    private readonly IDataProtector protector = dataProtection.CreateProtector(Purpose);

    public string? Protect(Tipster tipster) =>
        string.IsNullOrWhiteSpace(tipster.Name) && string.IsNullOrWhiteSpace(tipster.Phone) ? null
            : protector.Protect(JsonSerializer.Serialize(tipster));

    public string Protect(PayoutChoice claim) => protector.Protect(JsonSerializer.Serialize(claim));

    public Tipster UnprotectTipster(string value) => JsonSerializer.Deserialize<Tipster>(protector.Unprotect(value))!;

    public PayoutChoice UnprotectClaim(string value) => JsonSerializer.Deserialize<PayoutChoice>(protector.Unprotect(value))!;

    /// <summary>The reward officer (role) and the discipline commission (纪委监委 department users).</summary>
    public static bool CanSee(Platform.Auth.CurrentUser me) =>
        me.IsInRole(TipRoles.RewardOfficer) || (me.IsInRole(Platform.Auth.Roles.Department) && me.DepartmentCode == TipRoles.DisciplineDepartment);
}

public static class TipRoles
{
    /// <summary>举报奖励审批人: approves and pays rewards, sees named tipsters' identities.</summary>
    public const string RewardOfficer = Platform.Auth.Roles.Reward;

    public const string DisciplineDepartment = Platform.Jurisdiction.Department.Discipline;
    public const string PetitionsDepartment = Platform.Jurisdiction.Department.Petitions;

    /// <summary>Reward officer or the discipline commission: the only ones who see who a tipster is.</summary>
    public const string IdentityPolicy = "tip-identity";

    /// <summary>The reward officer alone approves and pays.</summary>
    public const string RewardPolicy = "tip-rewards";
}
