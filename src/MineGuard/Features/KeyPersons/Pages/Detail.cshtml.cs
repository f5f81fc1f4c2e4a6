using MineGuard.Platform.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Features.Admin;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.KeyPersons.Pages;

/// <summary>
/// One person, masked by default. "显示完整身份证号" is a POST (with its anti-forgery token) that writes the audit record
/// and shows the number in that one response only; reloading the page shows the masked number again.
/// </summary>
[Authorize(Policy = Policies.KeyPersons)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DetailModel(KeyPersonCommands commands, KeyPersonQueries queries, IAuthorizationService authorization) : PageModel
{
    public sealed class VisitForm
    {
        public DateOnly? VisitedOn { get; set; }
        public string? VisitedBy { get; set; }
        public string? Outcome { get; set; }
    }

    public sealed class LinkForm
    {
        public string? AditNumber { get; set; }
        public string? Relation { get; set; }
    }

    [BindProperty] public VisitForm Visit { get; set; } = new();
    [BindProperty] public LinkForm Link { get; set; } = new();

    public KeyPersonView Person { get; private set; } = null!;

    /// <summary>Set only in the response to an explicit, audited request.</summary>
    public string? FullIdNumber { get; private set; }

    public string? Notice { get; private set; }
    public bool CanWrite { get; private set; }

    public static readonly IReadOnlyList<string> Relations = ["居住在附近", "曾在此盗采被查获", "曾在此务工", "原矿主或经营者", "举报或线索涉及"];

    public string? Error(string key) => KeyPersonFormView.ErrorOf(ModelState, key);

    public async Task<IActionResult> OnGetAsync(Guid id, bool? created, bool? saved, string? done, CancellationToken ct)
    {
        Notice = created == true ? "已登记" : saved == true ? "已保存" : done switch
        {
            "visit" => "已添加走访记录", "link" => "已关联矿硐", "unlink" => "已取消关联", _ => null,
        };
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        await commands.RecordViewAsync(person, ct);
        return await ShowAsync(person, ct);
    }

    public async Task<IActionResult> OnPostRevealAsync(Guid id, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        FullIdNumber = await commands.RevealIdNumberAsync(person, ct);
        return await ShowAsync(person, ct);
    }

    public async Task<IActionResult> OnPostVisitAsync(Guid id, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        if (!await CanWriteAsync()) return Forbid();
        var (visit, errors) = await commands.AddHomeVisitAsync(person, new HomeVisitInput(Visit.VisitedOn, Visit.VisitedBy, Visit.Outcome), ct);
        if (visit is not null) return Redirect($"/key-persons/{id}?done=visit#visits");
        ModelState.AddFieldErrors(errors, nameof(Visit));
        return await ShowAsync(person, ct);
    }

    public async Task<IActionResult> OnPostLinkAsync(Guid id, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        if (!await CanWriteAsync()) return Forbid();
        var (link, errors) = await commands.LinkAditAsync(person, new AditLinkInput(Link.AditNumber, Link.Relation), ct);
        if (link is not null) return Redirect($"/key-persons/{id}?done=link#adits");
        ModelState.AddFieldErrors(errors, nameof(Link));
        return await ShowAsync(person, ct);
    }

    public async Task<IActionResult> OnPostUnlinkAsync(Guid id, Guid aditId, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        if (person is null) return NotFound();
        if (!await CanWriteAsync()) return Forbid();
        return await commands.UnlinkAditAsync(person, aditId, ct) ? Redirect($"/key-persons/{id}?done=unlink#adits") : NotFound();
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var person = await commands.FindAsync(id, ct);
        return person is null ? NotFound() : await ShowAsync(person, ct);
    }

    private async Task<IActionResult> ShowAsync(KeyPerson person, CancellationToken ct)
    {
        CanWrite = await CanWriteAsync();
        Person = await queries.ViewAsync(person, ct);
        return Page();
    }

    private async Task<bool> CanWriteAsync() => (await authorization.AuthorizeAsync(User, Policies.Writer)).Succeeded;
}
