using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MineGuard.Data;
using MineGuard.Platform.Deadlines;
using MineGuard.Platform.Time;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Deadlines;

/// <summary>Durations ("7d", "5wd"…), working days over weekends, holidays and make-up days, and the holiday table's API.</summary>
public sealed class WorkingCalendarTests
{
    [Theory]
    [InlineData("7d", 7, DurationUnit.Days)]
    [InlineData("24h", 24, DurationUnit.Hours)]
    [InlineData("90m", 90, DurationUnit.Minutes)]
    [InlineData("5wd", 5, DurationUnit.WorkingDays)]
    [InlineData("5工作日", 5, DurationUnit.WorkingDays)]
    [InlineData(" 3 WD ", 3, DurationUnit.WorkingDays)]
    public void Durations_parse(string text, int amount, DurationUnit unit)
    {
        Assert.True(Duration.TryParse(text, out var d));
        Assert.Equal(new Duration(amount, unit), d);
        Assert.Equal(d, Duration.Parse(d.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("d7")]
    [InlineData("-3d")]
    [InlineData("1.5h")]
    [InlineData("7w")]
    public void Bad_durations_are_refused(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Duration.Parse(text));
    }

    private static DateTime China(int month, int day, int hour) => ChinaTime.ToUtc(new DateTime(2026, month, day, hour, 0, 0));

    [Theory, OnSqlite, OnPostgres]
    public async Task Working_days_skip_weekends_and_holidays_and_count_make_up_days(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var admin = await app.LoginAsync("sx-admin");
        // Days made up for the test (not an official arrangement): Monday 9 November off, Saturday 14 November worked.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/holidays", new { date = "2026-11-09", name = "测试假日" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/holidays", new { date = "2026-11-14", name = "测试调休上班", isWorkday = true })).StatusCode);

        async Task<DateTime> Add(DateTime start, string duration)
        {
            using var scope = app.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<WorkingCalendar>().AddAsync(start, Duration.Parse(duration), CancellationToken.None);
        }
        var thursday = China(11, 5, 10);
        Assert.Equal(China(11, 6, 10), await Add(thursday, "1wd"));   // Friday
        Assert.Equal(China(11, 10, 10), await Add(thursday, "2wd"));  // over the weekend and the Monday holiday to Tuesday
        Assert.Equal(China(11, 13, 10), await Add(thursday, "5wd"));  // Friday the 13th
        Assert.Equal(China(11, 14, 10), await Add(thursday, "6wd"));  // the make-up Saturday
        Assert.Equal(China(11, 16, 10), await Add(thursday, "7wd"));  // the next Monday
        Assert.Equal(China(11, 12, 10), await Add(thursday, "7d"));   // calendar days ignore all of it
        Assert.Equal(thursday.AddHours(24), await Add(thursday, "24h"));
        Assert.Equal(thursday.AddMinutes(90), await Add(thursday, "90m"));
        // From a day off: the end of the Nth working day (Saturday + 1 working day = the end of Tuesday, Monday being off).
        Assert.Equal(China(11, 11, 0), await Add(China(11, 7, 10), "1wd"));

        // Removing the holiday makes Monday a working day again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/holidays/2026-11-09")).StatusCode);
        Assert.Equal(China(11, 9, 10), await Add(thursday, "2wd"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_holiday_table_is_for_administrators_and_names_the_bad_field(string provider)
    {
        var app = await TestApp.Shared(provider);
        // A year nobody else uses, so the shared app's other tests never count these days.
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/holidays?year=2091")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/holidays", new { date = "2091-10-01", name = "国庆节" })).StatusCode);
        var office = await app.LoginAsync("sx-office");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync("/api/holidays?year=2091")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync("/api/holidays", new { date = "2091-10-01", name = "国庆节" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.DeleteAsync("/api/holidays/2091-10-01")).StatusCode);

        var admin = await app.LoginAsync("sx-admin");
        var bad = await admin.PostAsJsonAsync("/api/holidays", new { date = "2091-02-30", name = "国庆节" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("日期", errors.GetProperty("date")[0].GetString());
        var noName = await admin.PostAsJsonAsync("/api/holidays", new { date = "2091-10-01" });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("名称", (await noName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("name")[0].GetString());
        var weekdayWorked = await admin.PostAsJsonAsync("/api/holidays", new { date = "2091-10-01", name = "调休", isWorkday = true });
        Assert.Equal(HttpStatusCode.BadRequest, weekdayWorked.StatusCode);
        Assert.True((await weekdayWorked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("isWorkday", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.DeleteAsync("/api/holidays/2091-13-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/holidays?year=1900")).StatusCode);
        Assert.Empty(await admin.GetFromJsonAsync<JsonElement[]>("/api/holidays?year=2091") ?? []);

        // Added, replaced (same date), listed by year, removed.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/holidays", new { date = "2091-10-01", name = "国庆" })).StatusCode);
        var replaced = await (await admin.PostAsJsonAsync("/api/holidays", new { date = "2091年10月1日", name = "国庆节" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2091-10-01", replaced.GetProperty("date").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/holidays", new { date = "2091-09-29", name = "国庆调休上班", isWorkday = true })).StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement[]>("/api/holidays?year=2091") ?? [];
        Assert.Equal("2091-09-29,2091-10-01", string.Join(",", listed.Select(d => d.GetProperty("date").GetString())));
        Assert.Equal("国庆节", listed[1].GetProperty("name").GetString());
        Assert.True(listed[0].GetProperty("isWorkday").GetBoolean());

        // The page lists them and the admin menu links to it.
        var page = await admin.GetStringAsync("/admin/holidays?year=2091");
        Assert.Contains("国庆调休上班", page);
        Assert.Contains("href=\"/admin/holidays\"", page);
        var denied = await office.GetAsync("/admin/holidays");
        Assert.Equal(HttpStatusCode.Found, denied.StatusCode); // to the access-denied page

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/holidays/2091-10-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/holidays/2091-10-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/holidays/2091-09-29")).StatusCode);
    }
}
