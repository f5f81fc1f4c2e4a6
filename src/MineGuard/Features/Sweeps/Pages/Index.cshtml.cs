using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Sweeps.Pages;

/// <summary>
/// 排查行动 the caller sees (by kind, keyword), 50 a page; the office creates one here through the same desk as
/// <c>POST /api/sweeps</c> (scope, period, checklist, areas with who sweeps each), its hidden client id storing a double
/// submit once.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(SweepDesk desk, IAuthorizationService authz) : PageModel
{
    public sealed class SweepForm
    {
        public Guid? ClientId { get; set; }
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public Guid? EarlierSweepId { get; set; }
        public string? DivisionCode { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }
        public Guid? TemplateId { get; set; }

        /// <summary>One area a line: its division code or name, then (after a space, comma or colon) who sweeps it.</summary>
        public string? Areas { get; set; }
    }

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    [BindProperty] public SweepForm Form { get; set; } = new();

    public PageOf<SweepSummary> Result { get; private set; } = PageOf<SweepSummary>.Empty();
    public IReadOnlyList<SweepSummary> Items => Result.Items;
    public string? FilterError { get; private set; }
    public bool MayCreate { get; private set; }
    public List<ChecklistView> Templates { get; private set; } = [];
    public List<SweepSummary> Earlier { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await MayCreateAsync()) return Forbid();
        var (sweep, _, errors) = await desk.CreateAsync(new SweepInput(Form.Name, Form.Kind, Form.EarlierSweepId, Blank(Form.DivisionCode), Form.From,
            Form.To, Form.TemplateId, Areas(Form.Areas), Form.ClientId), ct);
        if (sweep is not null) return Redirect($"/sweeps/{sweep.Id}");
        ModelState.Clear();
        ModelState.AddFieldErrors(errors, "Form");
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The lines of the areas box as the API's areas: a code (digits, grid codes too) or a name, and the rest as who sweeps it.</summary>
    public static SweepAreaInput[]? Areas(string? text)
    {
        var lines = (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return null;
        return [.. lines.Select(line =>
        {
            var cut = line.IndexOfAny([' ', '\t', ',', '，', ':', '：', '、']);
            var (area, who) = cut < 0 ? (line, null) : (line[..cut], line[(cut + 1)..].Trim(' ', '\t', ',', '，', ':', '：'));
            var isCode = area.Length >= 9 && char.IsAsciiDigit(area[0]) && area.All(char.IsAsciiLetterOrDigit);
            return new SweepAreaInput(isCode ? area : null, isCode ? null : area, string.IsNullOrEmpty(who) ? null : who);
        })];
    }

    private async Task<bool> MayCreateAsync() => (await authz.AuthorizeAsync(User, Policies.Office)).Succeeded;

    private async Task LoadAsync(CancellationToken ct)
    {
        var (query, errors) = desk.Filter(Q, Kind);
        if (query is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = await query.PageAsync(ListPaging.PageNumber(P), desk.SummariesAsync, ct);
        MayCreate = await MayCreateAsync();
        if (!MayCreate) return;
        Templates = await desk.TemplatesAsync(ct);
        var (sweeps, _) = desk.Filter(null, SweepKinds.Sweep);
        Earlier = sweeps is null ? [] : (await sweeps.PageAsync(1, desk.SummariesAsync, ct)).Items.ToList();
        Form.ClientId ??= Guid.NewGuid();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
