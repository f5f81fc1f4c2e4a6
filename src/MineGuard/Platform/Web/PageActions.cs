using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace MineGuard.Platform.Web;

/// <summary>
/// One step on a record's detail page (assign, verify, complete, merge…): run it, and on success go back to the page by a
/// GET (so a reload never posts the step twice) with a key the page turns into its "done" message; on field errors or a
/// refused rule show the page again with the Chinese message at the top and beside the fields, the typed input kept.
/// </summary>
public static class PageActions
{
    /// <param name="page">The page running the step.</param>
    /// <param name="db">Cleared before the page is loaded again, so it shows what is stored, not what the step half-changed.</param>
    /// <param name="action">The step; its field errors are keyed by the page's bound property names.</param>
    /// <param name="doneUrl">Where to go when it succeeded (usually the page itself with <c>?done=key</c>).</param>
    /// <param name="reload">Loads the page's record again for the error case.</param>
    /// <param name="problem">Receives the message to show at the top of the page.</param>
    public static async Task<IActionResult> RunAsync(this PageModel page, DbContext db, Func<Task<FieldErrors>> action, string doneUrl,
        Func<Task> reload, Action<string> problem)
    {
        try
        {
            var errors = await action();
            if (errors.Ok) return new RedirectResult(doneUrl);
            page.ModelState.AddFieldErrors(errors, "");
            problem(string.Join("；", errors.Values.SelectMany(v => v)));
        }
        catch (BusinessRuleException e)
        {
            problem(e.Message);
        }
        db.ChangeTracker.Clear();
        await reload();
        return new PageResult();
    }
}
