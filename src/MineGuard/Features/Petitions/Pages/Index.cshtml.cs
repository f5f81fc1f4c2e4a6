using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Petitions.Pages;

[Authorize(Policy = Policies.Staff)]
public sealed class PetitionsIndexModel(PetitionCommands commands, AppDbContext db, CurrentUser me) : PageModel
{
    public PageOf<PetitionView> Result { get; private set; } = PageOf<PetitionView>.Empty();
    public IReadOnlyList<PetitionView> Items => Result.Items;
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? P { get; set; }
    public string? FilterError { get; private set; }
    public List<(string Code, string Name)> Places { get; private set; } = [];
    public bool CanWrite => me.CanWrite;
    public string? Problem { get; private set; }
    public string? Notice { get; private set; }

    /// <summary>The refused form's messages by input property, shown beside each field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    [BindProperty]
    public PetitionInput Input { get; set; } = new(null, null, null, null, null, null, null);

    public async Task OnGetAsync(bool? saved, CancellationToken ct)
    {
        Notice = saved == true ? "已保存" : null;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanWrite) return Forbid();
        var (petition, errors) = await commands.RecordAsync(Input, ct);
        if (petition is not null) return Redirect("/petitions?saved=true");
        Problem = "未登记：请按提示修改后重新提交（已填写的内容都保留着）";
        Errors = errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostReplyAsync(Guid id, string? reply, CancellationToken ct) => Act(id, p => commands.ReplyAsync(p, new ReplyInput(reply), ct), ct);

    public Task<IActionResult> OnPostRouteAsync(Guid id, string? departmentCode, CancellationToken ct) => Act(id, p => commands.RerouteAsync(p, new RerouteInput(departmentCode), ct), ct);

    public Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken ct) =>
        Act(id, async p => { await commands.ArchiveAsync(p, ct); return new FieldErrors(); }, ct);

    private async Task<IActionResult> Act(Guid id, Func<Petition, Task<FieldErrors>> act, CancellationToken ct)
    {
        if (!CanWrite) return Forbid();
        var p = await commands.FindAsync(id, ct);
        if (p is null) return NotFound();
        try
        {
            var errors = await act(p);
            if (errors.Ok) return Redirect("/petitions?saved=true");
            Problem = string.Join("；", errors.Values.SelectMany(v => v));
        }
        catch (BusinessRuleException e)
        {
            Problem = e.Message;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var (page, errors) = await commands.ListAsync(new PetitionQuery(null, null, null, Q, ListPaging.PageNumber(P)), ct);
        if (page is null) FilterError = string.Join("；", errors.Values.SelectMany(v => v));
        else Result = page;
        Places = (await db.Divisions.AsNoTracking().Within(me.Scope).Where(d => d.Level == DivisionLevel.County || d.Level == DivisionLevel.Township)
            .OrderBy(d => d.Code).Select(d => new { d.Code, d.Name }).ToListAsync(ct)).Select(d => (d.Code, d.Name)).ToList();
    }
}
