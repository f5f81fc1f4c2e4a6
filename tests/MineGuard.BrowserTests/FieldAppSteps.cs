using Microsoft.Playwright;

namespace MineGuard.BrowserTests;

/// <summary>Steps in the field app that more than one browser test takes.</summary>
public static class FieldAppSteps
{
    /// <summary>
    /// One check-in answering 无 everywhere with one photo. The emulated camera draws the same picture at the same moment
    /// of each capture, so the two check-ins of a test shoot at different points of the video (<paramref name="videoSeconds"/>);
    /// a loaded machine once let both shots take the same frame, and the evaluator rightly called it one photo at two adits.
    /// <paramref name="expectNear"/>: whether the app should show the adit as near (null: not checked).
    /// </summary>
    public static async Task CheckInAsync(IPage page, Guid aditId, double videoSeconds, bool? expectNear = null)
    {
        await page.Locator($"button[data-adit='{aditId}']").ClickAsync();
        await page.Locator("#checkin:not([hidden])").WaitForAsync();
        if (expectNear is { } near) await Assertions.Expect(page.Locator("#ci-distance")).ToHaveClassAsync(near ? "distance near" : "distance far");
        var questions = page.Locator("#questions .q");
        for (var i = 0; i < await questions.CountAsync(); i++)
        {
            // 无 (no problem) everywhere.
            await questions.Nth(i).Locator("button.no").ClickAsync();
        }

        await page.WaitForFunctionAsync("t => { const v = document.querySelector('video'); return v && v.readyState >= 2 && v.currentTime >= t; }", videoSeconds);
        await page.Locator("#shoot").ClickAsync();
        await Assertions.Expect(page.Locator("#thumbs img")).ToHaveCountAsync(1);
        await page.Locator("#ci-submit").ClickAsync();
        await page.Locator("#patrol:not([hidden])").WaitForAsync();
    }
}
