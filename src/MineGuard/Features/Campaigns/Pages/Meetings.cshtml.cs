using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Campaigns.Pages;

/// <summary>联席会议: the meetings in scope with their decisions' standing, and the record form (decisions become assignments).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class MeetingsModel(MeetingDesk desk) : PageModel
{
    public sealed class DecisionRow
    {
        public string? Title { get; set; }
        public string? DepartmentCode { get; set; }
        public string? DueOn { get; set; }
    }

    public sealed class RecordInput
    {
        public Guid? ClientId { get; set; }
        public string? Date { get; set; }
        public string? Title { get; set; }
        public List<string> Departments { get; set; } = [];
        public string? Names { get; set; }
        public string? Minutes { get; set; }
        public List<DecisionRow> Decisions { get; set; } = [];
    }

    public const int DecisionRows = 3;

    [BindProperty] public RecordInput Input { get; set; } = new();

    public List<MeetingView> Items { get; private set; } = [];
    public bool MayWrite => desk.MayWrite;
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input = new RecordInput { ClientId = Guid.NewGuid() };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!desk.MayWrite) return Forbid();
        var rows = Input.Decisions.Where(d => !string.IsNullOrWhiteSpace(d.Title)).ToList();
        var (m, _, errors) = await desk.HoldAsync(new MeetingInput(Input.ClientId, null, Input.Date, Input.Title,
            Input.Departments.Select(d => new ParticipantInput(d, Input.Names)).ToList(), null, null, Input.Minutes,
            rows.Select(d => new DecisionInput(d.Title, string.IsNullOrWhiteSpace(d.DepartmentCode) ? null : d.DepartmentCode, null, d.DueOn)).ToList()), ct);
        if (m is null)
        {
            foreach (var (key, messages) in errors)
            {
                // decisions[i].field names the i-th filled row: shown under the form's row it came from.
                var field = key.StartsWith("decisions[", StringComparison.Ordinal) && int.TryParse(key[10..key.IndexOf(']')], out var i) && i < rows.Count
                    ? $"Input.Decisions[{Input.Decisions.IndexOf(rows[i])}]"
                    : key == "Participants" ? "Input.Departments" : $"Input.{key}";
                foreach (var message in messages) ModelState.AddModelError(field, message);
            }
        }
        else
        {
            ModelState.Clear();
            Message = $"已登记：{m.OnDate:yyyy-MM-dd} {m.Title}";
            Input = new RecordInput { ClientId = Guid.NewGuid() };
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await desk.ListAsync(ct);
        while (Input.Decisions.Count < DecisionRows) Input.Decisions.Add(new DecisionRow());
    }
}
