using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>What to watch on a page besides what a test asks for.</summary>
[Flags]
public enum Watch
{
    /// <summary>Uncaught script errors.</summary>
    Errors = 1,

    /// <summary>Console errors (a CSP refusal shows here), not the browser's own "Failed to load resource" lines.</summary>
    Console = 2,

    /// <summary>Answers of 400 and above, except /favicon.ico (the browser asks for it on its own; the product has none).</summary>
    Responses = 4,

    /// <summary>Native dialogs: the app asks in the page (js/confirm.js), never by window.confirm; dismissed.</summary>
    Dialogs = 8,
}

/// <summary>The one collector of a page's problems the browser tests assert empty at the end.</summary>
public static class PageProblems
{
    public static List<string> WatchProblems(this IPage page, Watch what, List<string>? into = null)
    {
        var problems = into ?? [];
        if (what.HasFlag(Watch.Errors)) page.PageError += (_, e) => problems.Add(e);
        if (what.HasFlag(Watch.Console))
            page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) problems.Add(m.Text); };
        if (what.HasFlag(Watch.Responses))
            page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) problems.Add($"{r.Status} {r.Url}"); };
        if (what.HasFlag(Watch.Dialogs)) page.Dialog += (_, d) => { problems.Add("native dialog: " + d.Message); _ = d.DismissAsync(); };
        return problems;
    }
}
