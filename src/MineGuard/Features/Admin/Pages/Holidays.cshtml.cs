using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Admin.Pages;

[Authorize(Policy = Policies.Admin)]
public sealed class HolidaysModel(HolidayCommands holidays) : PageModel
{
    public sealed class PutInput
    {
        public string? Date { get; set; }
        public string? Name { get; set; }
        public bool IsWorkday { get; set; }
    }

    [BindProperty]
    public PutInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    public int ShownYear { get; private set; }

    public List<HolidayView> Days { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (day, errors) = await holidays.PutAsync(new HolidayInput(Input.Date, Input.Name, Input.IsWorkday), ct);
        if (day is null) ModelState.AddFieldErrors(errors);
        else
        {
            Message = $"已保存：{day.Date:yyyy-MM-dd} {day.Name}（{(day.IsWorkday ? "调休上班" : "放假")}）";
            Year = day.Date.Year;
            Input = new PutInput();
            ModelState.Clear();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string date, CancellationToken ct)
    {
        if (!CalendarDate.TryParse(date, out var day)) return BadRequest();
        if (!await holidays.DeleteAsync(day, ct)) return NotFound();
        return Redirect($"/admin/holidays?year={day.Year}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ShownYear = Year is >= 2000 and <= 2100 ? Year.Value : holidays.Today.Year;
        Days = (await holidays.YearAsync(ShownYear, ct)).Select(HolidayCommands.View).ToList();
    }
}
