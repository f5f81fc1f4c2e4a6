using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Data;
using MineGuard.Features.Assignments;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Campaigns.Pages;

/// <summary>宣传: the activities in scope, the form to record one (with materials), and the villages of the mining townships not yet reached.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PublicityModel(PublicityDesk desk, CampaignDesk campaigns, AppDbContext db) : PageModel
{
    public sealed class RecordInput
    {
        public Guid? ClientId { get; set; }
        public string? DivisionCode { get; set; }
        public string? Kind { get; set; }
        public string? Date { get; set; }
        public string? Place { get; set; }
        public string? Topic { get; set; }
        public string? PeopleReached { get; set; }
        public List<string> Villages { get; set; } = [];
        public List<string> Departments { get; set; } = [];
        public Guid? CampaignId { get; set; }
    }

    [BindProperty] public RecordInput Input { get; set; } = new();

    [BindProperty] public List<IFormFile> Materials { get; set; } = [];

    [BindProperty(SupportsGet = true)] public string? County { get; set; }

    public List<PublicityView> Items { get; private set; } = [];
    public PublicityCoverageView? Coverage { get; private set; }
    public List<CampaignView> Campaigns { get; private set; } = [];
    public bool MayWrite => desk.MayWrite;
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input = new RecordInput { ClientId = Guid.NewGuid(), Date = campaigns.Today.ToString("yyyy-MM-dd") };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!desk.MayWrite) return Forbid();
        var errors = new FieldErrors();
        int? people = null;
        if (!string.IsNullOrWhiteSpace(Input.PeopleReached))
        {
            if (int.TryParse(Input.PeopleReached.Trim(), out var n)) people = n;
            else errors.Add(nameof(Input.PeopleReached), "受众人数须为整数");
        }
        if (errors.Ok)
        {
            var (a, _, recorded) = await desk.RecordAsync(new PublicityInput(Input.ClientId, Input.DivisionCode, Input.Kind, Input.Date, Input.Place, Input.Topic,
                people, Input.Villages, Input.Departments, Input.CampaignId), ct);
            errors = recorded;
            if (a is not null)
            {
                var refused = await AssignmentDesk.AddFilesAsync(db, PublicityActivity.FileSubject, a.Id, a.DivisionCode, Materials, nameof(Materials), ct);
                ModelState.Clear();
                if (!refused.Ok) ModelState.AddFieldErrors(refused, "");
                Message = $"已登记：{a.OnDate:yyyy-MM-dd} {PublicityKinds.Names[a.Kind]}（{a.Place}）";
                Input = new RecordInput { ClientId = Guid.NewGuid(), Date = campaigns.Today.ToString("yyyy-MM-dd") };
            }
        }
        if (!errors.Ok) ModelState.AddFieldErrors(errors);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await desk.ListAsync(ct);
        Campaigns = await campaigns.ListAsync(ct);
        var (coverage, errors) = await desk.CoverageAsync(County, ct);
        Coverage = coverage;
        if (!errors.Ok) ModelState.AddFieldErrors(errors, "");
    }
}
