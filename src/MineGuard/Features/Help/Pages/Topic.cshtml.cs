using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;

namespace MineGuard.Features.Help.Pages;

/// <summary>One module's help page; an unknown module is the Chinese 404 page.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class TopicModel : PageModel
{
    public HelpTopic Topic { get; private set; } = null!;

    public IActionResult OnGet(string module)
    {
        if (HelpTopics.Find(module) is not { } topic) return NotFound();
        Topic = topic;
        return Page();
    }
}
