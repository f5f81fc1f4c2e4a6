using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Time;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Admin;

public sealed record HolidayInput(string? Date, string? Name, bool? IsWorkday);

public sealed record HolidayView(string Date, string Name, bool IsWorkday, string Weekday);

/// <summary>
/// The holiday table the working-day count uses (法定节假日 and 调休上班): administrators list a year's days, add or
/// replace one day, and remove one. The State Council publishes the year's arrangement each winter; an administrator
/// enters it here.
/// </summary>
public sealed class HolidaysApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<HolidayCommands>();

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/holidays").RequireAuthorization(Policies.Admin).WithTags("admin");
        api.MapGet("/", List).WithSummary("节假日与调休表（按年）");
        api.MapPost("/", Put).WithSummary("设置一天为节假日或调休上班日");
        api.MapDelete("/{date}", Delete).WithSummary("删除一天的节假日设置");
    }

    public static async Task<Results<Ok<List<HolidayView>>, ValidationProblem>> List(int? year, HolidayCommands holidays, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var y = year ?? holidays.Today.Year;
        if (y is < 2000 or > 2100) errors.Add("year", "年份须在 2000 至 2100 之间");
        if (!errors.Ok) return errors.ToProblem();
        return TypedResults.Ok((await holidays.YearAsync(y, ct)).Select(HolidayCommands.View).ToList());
    }

    public static async Task<Results<Ok<HolidayView>, ValidationProblem>> Put(HolidayInput input, HolidayCommands holidays, CancellationToken ct)
    {
        var (day, errors) = await holidays.PutAsync(input, ct);
        return day is null ? errors.ToProblem() : TypedResults.Ok(HolidayCommands.View(day));
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> Delete(string date, HolidayCommands holidays, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (CalendarDate.Problem("日期", date, out var day) is { } problem) errors.Add("date", problem);
        if (!errors.Ok) return errors.ToProblem();
        return await holidays.DeleteAsync(day, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}

/// <summary>The holiday table's commands, shared by the API and the admin page.</summary>
public sealed class HolidayCommands(AppDbContext db)
{
    private static readonly string[] Weekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    private DateTime Now => db.Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToLocal(Now));

    public static HolidayView View(Holiday h) =>
        new(h.Date.ToString("yyyy-MM-dd"), h.Name, h.IsWorkday, Weekdays[(int)h.Date.DayOfWeek]);

    public Task<List<Holiday>> YearAsync(int year, CancellationToken ct)
    {
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        return db.Set<Holiday>().AsNoTracking().Where(h => h.Date >= from && h.Date <= to).OrderBy(h => h.Date).ToListAsync(ct);
    }

    /// <summary>Adds a day or replaces the one already kept for that date.</summary>
    public async Task<(Holiday? Day, FieldErrors Errors)> PutAsync(HolidayInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var date = default(DateOnly);
        if (string.IsNullOrWhiteSpace(input.Date)) errors.Add(nameof(input.Date), "请填写日期");
        else if (CalendarDate.Problem("日期", input.Date, out date) is { } problem) errors.Add(nameof(input.Date), problem);
        else if (date.Year is < 2000 or > 2100) errors.Add(nameof(input.Date), "日期须在 2000 年至 2100 年之间");
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(nameof(input.Name), "请填写名称，如“春节”或“春节调休上班”");
        else if (name.Length > 40) errors.Add(nameof(input.Name), "名称不能超过 40 个字");
        else if (name.Contains('\0')) errors.Add(nameof(input.Name), "名称含有不允许的字符");
        var workday = input.IsWorkday ?? false;
        if (errors.Ok && workday && WorkingCalendar.UsualWorkday(date))
            errors.Add(nameof(input.IsWorkday), "调休上班日须为周六或周日；周一至周五本来就是工作日");
        if (!errors.Ok) return (null, errors);
        var day = await db.Set<Holiday>().FirstOrDefaultAsync(h => h.Date == date, ct);
        if (day is null) db.Add(day = Holiday.Create(date, name!, workday, Now));
        else day.Change(name!, workday, Now);
        await db.SaveChangesAsync(ct);
        return (day, errors);
    }

    public async Task<bool> DeleteAsync(DateOnly date, CancellationToken ct)
    {
        var day = await db.Set<Holiday>().FirstOrDefaultAsync(h => h.Date == date, ct);
        if (day is null) return false;
        db.Remove(day);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
