using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Features.Adits;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Incidents.Pages;

/// <summary>One line of a table in the form (timeline, causes, accountability); blank lines are left out.</summary>
public sealed class IncidentRow
{
    public string? At { get; set; }
    public string? Kind { get; set; }
    public string? What { get; set; }
    public string? By { get; set; }
    public string? To { get; set; }
    public string? Unit { get; set; }
    public string? Official { get; set; }
    public string? Post { get; set; }
    public string? Referred { get; set; }

    public bool IsBlank => new[] { At, What, By, To, Unit, Official, Post }.All(string.IsNullOrWhiteSpace);
}

/// <summary>The incident form as typed: numbers stay text so a wrong one is named in Chinese, not by the model binder.</summary>
public sealed class IncidentForm
{
    public string? Adit { get; set; }
    public string? OccurredAt { get; set; }
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Involved { get; set; }
    public string? Dead { get; set; }
    public string? Injured { get; set; }
    public string? Unharmed { get; set; }
    public string? Rescued { get; set; }
    public string? BlindRescuers { get; set; }
    public string? BlindRescuerDead { get; set; }
    public string? BlindRescuerInjured { get; set; }
    public string? OreKg { get; set; }
    public string? OreValue { get; set; }
    public string? DirectLoss { get; set; }
    public List<IncidentRow> Timeline { get; set; } = [];
    public List<IncidentRow> Findings { get; set; } = [];
    public List<IncidentRow> Accountability { get; set; } = [];
    public Guid? ClientId { get; set; }
}

/// <summary>
/// 登记事件事故: the office records an incident as the Songxian "9·26" report tells one — the adit (by its number), the time,
/// the people, the losses, the timeline with each report upward, the causes and lessons, the accountability. The same
/// <see cref="IncidentDesk.RecordAsync"/> as the API checks it; errors come back beside the fields with nothing typed lost.
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed partial class NewModel(AppDbContext db, IncidentDesk desk) : PageModel
{
    public const int TimelineRows = 8, FindingRows = 6, AccountabilityRows = 4;

    [BindProperty]
    public IncidentForm Input { get; set; } = new();

    public string? Error(string field) =>
        ModelState.TryGetValue("Input." + field, out var e) && e.Errors.Count > 0 ? string.Join("；", e.Errors.Select(x => x.ErrorMessage)) : null;

    public IEnumerable<(string Field, string Label, string? Value)> PeopleFields() =>
    [
        ("Involved", "涉及人数", Input.Involved), ("Dead", "死亡", Input.Dead), ("Injured", "受伤", Input.Injured), ("Unharmed", "未受伤", Input.Unharmed),
        ("Rescued", "获救", Input.Rescued), ("BlindRescuers", "盲目施救人数", Input.BlindRescuers), ("BlindRescuerDead", "其中死亡", Input.BlindRescuerDead),
        ("BlindRescuerInjured", "其中受伤", Input.BlindRescuerInjured),
    ];

    public async Task OnGetAsync(Guid? adit, CancellationToken ct)
    {
        Input = new IncidentForm { Kind = "poisoning", ClientId = Guid.NewGuid() };
        if (adit is { } id)
            Input.Adit = await db.Adits().AsNoTracking().Where(a => a.Id == id).Select(a => a.Number).FirstOrDefaultAsync(ct);
        Pad();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = new FieldErrors();
        Guid? aditId = null;
        var number = IncidentRules.Blank(Input.Adit);
        if (number is null) errors.Add("adit", "请填写发生事件的矿硐编号");
        else if ((aditId = await db.Adits().AsNoTracking().Where(a => a.Number == number).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct)) is null)
            errors.Add("adit", $"没有找到编号为“{number}”的矿硐，或它不在您的管辖范围内");

        var timeline = Rows(Input.Timeline, r => !string.IsNullOrWhiteSpace(r.At) || !string.IsNullOrWhiteSpace(r.What));
        var findings = Rows(Input.Findings, r => !string.IsNullOrWhiteSpace(r.What) || !string.IsNullOrWhiteSpace(r.Unit));
        var accountability = Rows(Input.Accountability, r => !r.IsBlank);
        int? dead = Count(errors, "dead", "死亡人数", Input.Dead), injured = Count(errors, "injured", "受伤人数", Input.Injured),
            unharmed = Count(errors, "unharmed", "未受伤人数", Input.Unharmed);
        var involved = Count(errors, "involved", "涉及人数", Input.Involved);
        var input = new IncidentInput(aditId, Input.OccurredAt, Input.Kind, Input.Title, Input.Summary,
            involved, dead, injured, unharmed,
            Count(errors, "rescued", "获救人数", Input.Rescued), Count(errors, "blindRescuers", "盲目施救人数", Input.BlindRescuers),
            Count(errors, "blindRescuerDead", "盲目施救死亡人数", Input.BlindRescuerDead),
            Count(errors, "blindRescuerInjured", "盲目施救受伤人数", Input.BlindRescuerInjured),
            (double?)Amount(errors, "oreKg", "盗采矿石数量", Input.OreKg), Amount(errors, "oreValue", "矿石价值", Input.OreValue),
            Amount(errors, "directLoss", "直接经济损失", Input.DirectLoss),
            [.. timeline.Select(r => new IncidentEntryInput(r.Row.At, r.Row.Kind, r.Row.What, r.Row.By, r.Row.To))],
            [.. findings.Select(r => new IncidentFindingInput(r.Row.Kind, r.Row.Unit, r.Row.What))],
            [.. accountability.Select(r => new AccountabilityInput(r.Row.Unit, r.Row.Official, r.Row.Post, r.Row.What, r.Row.Referred == "yes"))],
            null, Input.ClientId);

        if (errors.Ok)
        {
            var (incident, _, e) = await desk.RecordAsync(input, isDemo: false, ct);
            if (incident is not null) return Redirect($"/incidents/{incident.Id}?done={Uri.EscapeDataString("已登记")}");
            errors = e;
        }
        ModelState.Clear();
        // The desk names the lines it was given; the form shows them on the line the user typed them on.
        var shown = new FieldErrors();
        foreach (var (field, messages) in errors)
        {
            var key = Renumber(field, "timeline", timeline, "Timeline");
            key = Renumber(key, "findings", findings, "Findings");
            key = Renumber(key, "accountability", accountability, "Accountability");
            key = key == "aditId" ? "Adit" : char.ToUpperInvariant(key[0]) + key[1..];
            foreach (var m in messages) shown.Add(key, m);
        }
        ModelState.AddFieldErrors(shown);
        db.ChangeTracker.Clear();
        Pad();
        return Page();
    }

    private static List<(int Index, IncidentRow Row)> Rows(List<IncidentRow> rows, Func<IncidentRow, bool> kept) =>
        rows.Select((r, i) => (i, r)).Where(x => kept(x.r)).ToList();

    private static string Renumber(string field, string list, List<(int Index, IncidentRow Row)> rows, string property)
    {
        var m = Line().Match(field);
        if (!m.Success || m.Groups[1].Value != list) return field;
        var n = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var index = n < rows.Count ? rows[n].Index : n;
        var rest = m.Groups[3].Value;
        return $"{property}[{index}]{(rest.Length > 0 ? "." + char.ToUpperInvariant(rest[1]) + rest[2..] : "")}";
    }

    [GeneratedRegex(@"^(\w+)\[(\d+)\](\.\w+)?$")]
    private static partial Regex Line();

    private static int? Count(FieldErrors errors, string field, string label, string? text)
    {
        if (IncidentRules.Blank(text) is not { } t) return null;
        if (int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        errors.Add(field, $"{label}“{t}”不是整数");
        return null;
    }

    private static decimal? Amount(FieldErrors errors, string field, string label, string? text)
    {
        if (IncidentRules.Blank(text) is not { } t) return null;
        if (decimal.TryParse(t.Replace(",", "").Replace("，", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var n)) return n;
        errors.Add(field, $"{label}“{t}”不是数字");
        return null;
    }

    /// <summary>Empty lines to type into (more are added by the page's 添加一行 button).</summary>
    private void Pad()
    {
        while (Input.Timeline.Count < TimelineRows) Input.Timeline.Add(new IncidentRow { Kind = "event" });
        string[] kinds = ["direct", "indirect", "unit", "measure", "lesson"];
        while (Input.Findings.Count < FindingRows) Input.Findings.Add(new IncidentRow { Kind = kinds[Math.Min(Input.Findings.Count, kinds.Length - 1)] });
        while (Input.Accountability.Count < AccountabilityRows) Input.Accountability.Add(new IncidentRow { Referred = "no" });
    }
}
