using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Patrols.Pages;

/// <summary>The patrol rules of the user's own node (compliance numbers, proof-of-presence thresholds).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class RulesModel(AppDbContext db, PatrolCommands commands, IAuthorizationService auth) : PageModel
{
    public static readonly IReadOnlyList<(string Name, string Label)> Fields =
    [
        (nameof(PatrolRuleSet.PatrolsPerWeek), "乡镇、林场巡查队每周巡查次数"),
        (nameof(PatrolRuleSet.ChecksPerAditPerMonth), "每个矿硐每月核验到位次数"),
        (nameof(PatrolRuleSet.CrossPatrolsPerMonth), "每月交叉巡查次数"),
        (nameof(PatrolRuleSet.CityTeamPatrolDaysPerMonth), "市联合巡查队每月巡查天数"),
        (nameof(PatrolRuleSet.MaxDistanceMetres), "签到距矿硐最远（米）"),
        (nameof(PatrolRuleSet.MaxAccuracyMetres), "定位精度要求（米）"),
        (nameof(PatrolRuleSet.MaxSpeedKmh), "轨迹最高速度（公里/小时）"),
        (nameof(PatrolRuleSet.MaxTrackGapMinutes), "轨迹最长中断（分钟）"),
        (nameof(PatrolRuleSet.ClockToleranceMinutes), "手机时间误差（分钟）"),
        (nameof(PatrolRuleSet.PhotoToleranceMinutes), "照片时间误差（分钟）"),
        (nameof(PatrolRuleSet.PhotoMaxDistanceMetres), "照片位置误差（米）"),
        (nameof(PatrolRuleSet.CheckInHopKmh), "两次签到间最高速度（公里/小时）"),
        (nameof(PatrolRuleSet.NightStartHour), "夜间开始（时）"),
        (nameof(PatrolRuleSet.NightEndHour), "夜间结束（时）"),
        (nameof(PatrolRuleSet.HomeRadiusMetres), "住所附近范围（米）"),
    ];

    public PatrolRuleSet Rules { get; private set; } = new();
    public string DivisionName { get; private set; } = "";

    /// <summary>Whose numbers these are: this jurisdiction's own, an ancestor's, or the defaults.</summary>
    public string SetBy { get; private set; } = "";

    /// <summary>Where the default frequencies come from, said honestly for the user's own province.</summary>
    public string DefaultsNote { get; private set; } = "";
    public bool CanEdit { get; private set; }
    public bool Saved { get; private set; }
    private Dictionary<string, string> posted = [];

    public string Value(string name) => posted.TryGetValue(name, out var v) ? v
        : Convert.ToString(typeof(PatrolRuleSet).GetProperty(name)!.GetValue(Rules), CultureInfo.InvariantCulture) ?? "";

    public async Task OnGetAsync(bool saved, CancellationToken ct)
    {
        Saved = saved;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Office)).Succeeded) return Forbid();
        await LoadAsync(ct);
        var values = new PatrolRuleSet { RequirePhoto = Request.Form["RequirePhoto"] == "true" };
        foreach (var (name, label) in Fields)
        {
            var text = Request.Form[name].ToString().Trim();
            posted[name] = text;
            var property = typeof(PatrolRuleSet).GetProperty(name)!;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                || property.PropertyType == typeof(int) && number != Math.Floor(number))
            {
                ModelState.AddModelError(name, $"{label}应为数字");
                continue;
            }

            property.SetValue(values, property.PropertyType == typeof(int) ? (int)number : number);
        }

        if (ModelState.ErrorCount == 0) ModelState.AddFieldErrors(PatrolCommands.Check(values), "");
        if (ModelState.ErrorCount > 0) return Page();
        await commands.SaveRulesAsync(db.CurrentUser.Scope.Code, values, ct);
        return Redirect("/patrols/rules?saved=true");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanEdit = (await auth.AuthorizeAsync(User, Policies.Office)).Succeeded;
        var code = db.CurrentUser.Scope.Code;
        Rules = await db.PatrolRulesAsync(code, ct);
        DivisionName = await NameAsync(code, ct) ?? code;
        SetBy = Rules.DivisionCode != code ? $"本辖区未单独设置，沿用{await NameAsync(Rules.DivisionCode, ct) ?? Rules.DivisionCode}的设置。"
            : await db.PatrolRuleSets().AnyAsync(r => r.DivisionCode == code, ct) ? $"以下为{DivisionName}自己的设置。"
            : "本辖区和上级均未设置，以下为系统默认值。";
        DefaultsNote = code.StartsWith(PatrolRuleSet.DefaultsSourceDivision, StringComparison.Ordinal)
            ? $"巡查频次的默认值取自本市的{PatrolRuleSet.DefaultsSource}。"
            : $"巡查频次的默认值参照{PatrolRuleSet.DefaultsSource}，不是{(code.Length >= 2 ? await NameAsync(code[..2], ct) : null) ?? "本省"}或本地的规定，请按本省、市、县的要求修改。";
    }

    private Task<string?> NameAsync(string code, CancellationToken ct) =>
        db.Divisions.Where(d => d.Code == code).Select(d => d.Name).FirstOrDefaultAsync(ct);
}
