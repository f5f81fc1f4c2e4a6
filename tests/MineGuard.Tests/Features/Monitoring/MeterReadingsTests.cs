using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Excel;
using MineGuard.Tests.Infrastructure;
using static MineGuard.Tests.Features.Monitoring.MonitoringFixtures;

namespace MineGuard.Tests.Features.Monitoring;

/// <summary>Meter readings: stored once from ingestion and from the power company's upload, read back as hourly kWh.</summary>
public sealed class MeterReadingsTests
{
    private static object Readings(string meter, string? kind, params (string At, double Kwh)[] readings) =>
        Event(EventTypes.Meter, meter, kind is null
            ? new { readings = readings.Select(r => new { at = r.At, kwh = r.Kwh }).ToArray() }
            : (object)new { kind, readings = readings.Select(r => new { at = r.At, kwh = r.Kwh }).ToArray() });

    private static async Task<(HttpClient Office, Guid KeyId, HttpClient Integration, string Meter, Guid DeviceId)> MeterAsync(TestApp app)
    {
        var office = await app.LoginAsync("sx-office");
        var (keyId, integration) = await IntegrationAsync(app);
        var device = await DeviceAsync(office, "meter", keyId, null, divisionCode: Township);
        return (office, keyId, integration, device.GetProperty("code").GetString()!, device.GetProperty("id").GetGuid());
    }

    private static Task<List<MeterReading>> StoredAsync(TestApp app, Guid deviceId) =>
        app.WithDbAsync(db => db.MeterReadings().AsNoTracking().Where(r => r.DeviceId == deviceId).OrderBy(r => r.Utc).ToListAsync());

    private static async Task<JsonElement> SeriesAsync(HttpClient client, string meter, string from, string to)
    {
        var response = await client.GetAsync($"/api/meters/{meter}/readings?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static double?[] Hours(JsonElement series) =>
        [.. series.GetProperty("hours").EnumerateArray().Select(h => h.GetProperty("kwh").ValueKind == JsonValueKind.Null ? (double?)null : h.GetProperty("kwh").GetDouble())];

    [Theory, OnSqlite, OnPostgres]
    public async Task Ingested_readings_are_stored_once_a_resend_changes_nothing_and_a_new_value_replaces_the_old_and_says_so(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, keyId, integration, meter, deviceId) = await MeterAsync(app);
        var batch = Readings(meter, null, ("2026-10-05T00:00:00+08:00", 1.5), ("2026-10-05T01:00:00+08:00", 2.5), ("2026-10-05T02:00:00+08:00", 3.5));
        Assert.Equal(1, (await IngestAsync(integration, batch)).GetProperty("acceptedCount").GetInt32());
        Assert.Equal(1, (await IngestAsync(integration, batch)).GetProperty("duplicateCount").GetInt32());
        // The same readings under a new event id: nothing stored twice.
        await IngestAsync(integration, Readings(meter, null, ("2026-10-05T00:00:00+08:00", 1.5), ("2026-10-04T16:00:00Z", 1.5)));
        var stored = await StoredAsync(app, deviceId);
        Assert.Equal([1.5, 2.5, 3.5], stored.Select(r => r.Kwh));
        Assert.Equal(new DateTime(2026, 10, 4, 16, 0, 0, DateTimeKind.Utc), stored[0].Utc);
        Assert.All(stored, r => Assert.Equal(MeterReadingKind.Interval, r.Kind));
        Assert.All(stored, r => Assert.Equal(Township, r.DivisionCode));

        // A corrected value for 01:00: the latest is kept, the old one remembered, the batch's audit record says so.
        await IngestAsync(integration, Readings(meter, null, ("2026-10-05T01:00:00+08:00", 2.75)));
        stored = await StoredAsync(app, deviceId);
        Assert.Equal([1.5, 2.75, 3.5], stored.Select(r => r.Kwh));
        Assert.Equal(2.5, stored[1].ReplacedKwh);
        var key = keyId.ToString();
        var audit = await app.WithDbAsync(db => db.Set<AuditRecord>().Where(r => r.EntityId == key && r.Action == "ingest").Select(r => r.Changes).ToListAsync());
        Assert.Contains(audit, a => a!.Contains("电表读数新增 3 条", StringComparison.Ordinal));
        Assert.Contains(audit, a => a!.Contains("重复 1 条", StringComparison.Ordinal));
        Assert.Contains(audit, a => a!.Contains("更正 1 条", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_reading_with_a_bad_time_or_kind_is_rejected_by_index(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, _, integration, meter, deviceId) = await MeterAsync(app);
        var result = await IngestAsync(integration,
            Readings(meter, null, ("2026-10-05 00:00", 1)),
            Readings(meter, "cumulative", ("2026-10-05T00:00:00+08:00", 1)),
            Readings(meter, null, ("2027-10-05T00:00:00+08:00", 1)));
        Assert.Equal(3, result.GetProperty("rejectedCount").GetInt32());
        var rejected = result.GetProperty("rejected");
        Assert.Contains("带时区", rejected[0].GetProperty("errors").GetProperty("readings")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("interval", rejected[1].GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("不晚于当前时间", rejected[2].GetProperty("errors").GetProperty("readings")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(app, deviceId));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_event_too_long_to_keep_is_rejected_naming_its_readings_and_the_rest_of_the_batch_is_stored(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (_, _, integration, meter, deviceId) = await MeterAsync(app);
        var start = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var many = Enumerable.Range(0, 600).Select(h => (start.AddHours(h).ToString("yyyy-MM-ddTHH:mm:sszzz"), 1.25)).ToArray();
        var result = await IngestAsync(integration, Readings(meter, null, many), Readings(meter, null, ("2026-10-06T00:00:00+08:00", 2)));
        Assert.Equal(1, result.GetProperty("rejectedCount").GetInt32());
        Assert.Equal(1, result.GetProperty("acceptedCount").GetInt32());
        var message = result.GetProperty("rejected")[0].GetProperty("errors").GetProperty("readings")[0].GetString()!;
        Assert.Contains("事件内容过长", message, StringComparison.Ordinal);
        Assert.Contains("分成多个事件", message, StringComparison.Ordinal);
        Assert.Equal([2.0], (await StoredAsync(app, deviceId)).Select(r => r.Kwh));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Register_and_interval_readings_become_hourly_kWh_and_a_reset_a_rollover_or_a_gap_is_not_a_spike(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, _, integration, register, _) = await MeterAsync(app);
        var interval = (await DeviceAsync(office, "meter", (await app.WithDbAsync(db => db.Devices().Where(d => d.Code == register).Select(d => d.ApiKeyId).SingleAsync())),
            null, divisionCode: Township)).GetProperty("code").GetString()!;
        var rollover = (await DeviceAsync(office, "meter", (await app.WithDbAsync(db => db.Devices().Where(d => d.Code == register).Select(d => d.ApiKeyId).SingleAsync())),
            null, divisionCode: Township)).GetProperty("code").GetString()!;
        await IngestAsync(integration,
            // Counts at 00:00 … 04:00, reset to 5 at 03:00; then silent until 14:00 (a 10-hour gap, not spread).
            Readings(register, "register", ("2026-10-06T00:00:00+08:00", 1000), ("2026-10-06T01:00:00+08:00", 1010), ("2026-10-06T02:00:00+08:00", 1025),
                ("2026-10-06T03:00:00+08:00", 5), ("2026-10-06T04:00:00+08:00", 12), ("2026-10-06T14:00:00+08:00", 60)),
            // Quarter-hour interval readings add up in their hour.
            Readings(interval, null, ("2026-10-06T00:00:00+08:00", 1), ("2026-10-06T00:15:00+08:00", 1), ("2026-10-06T00:30:00+08:00", 1),
                ("2026-10-06T00:45:00+08:00", 1), ("2026-10-06T02:00:00+08:00", 3)),
            // A five-digit register wrapping past 99999.
            Readings(rollover, "register", ("2026-10-06T00:00:00+08:00", 99990), ("2026-10-06T01:00:00+08:00", 99998), ("2026-10-06T02:00:00+08:00", 3)));

        var series = await SeriesAsync(office, register, "2026-10-06 00:00", "2026-10-06 06:00");
        Assert.Equal([10, 15, null, 7, null, null], Hours(series));
        Assert.Equal("reset", Assert.Single(series.GetProperty("breaks").EnumerateArray()).GetProperty("kind").GetString());
        var gap = Hours(await SeriesAsync(office, register, "2026-10-06 04:00", "2026-10-06 15:00"));
        Assert.All(gap, h => Assert.Null(h));

        Assert.Equal([4, null, 3], Hours(await SeriesAsync(office, interval, "2026-10-06T00:00:00+08:00", "2026-10-06T03:00:00+08:00")));
        var wrapped = await SeriesAsync(office, rollover, "2026-10-06 00:00", "2026-10-06 02:00");
        Assert.Equal([8, 5], Hours(wrapped));
        Assert.Equal("rollover", Assert.Single(wrapped.GetProperty("breaks").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(rollover, wrapped.GetProperty("deviceId").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Readings_are_read_in_scope_by_the_office_only(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, _, _, meter, _) = await MeterAsync(app);
        const string query = "?from=2026-10-01&to=2026-10-02";
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/meters/{meter}/readings{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/meters/{meter}/readings{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.LoginAsync("sx-police")).GetAsync($"/api/meters/{meter}/readings{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.LoginAsync("hj-office")).GetAsync($"/api/meters/{meter}/readings{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/meters/no-such-meter/readings{query}")).StatusCode);

        var bad = await office.GetAsync($"/api/meters/{meter}/readings?from=昨天");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("开始时间", problem.GetProperty("errors").GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        var tooLong = await office.GetAsync($"/api/meters/{meter}/readings?from=2025-01-01&to=2026-10-01");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName)
    {
        var token = await TestApp.AntiForgeryTokenAsync(client, "/monitoring/meters/upload");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content), "file", fileName },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        return await client.PostAsync("/api/meters/readings/upload", form);
    }

    private static async Task<JsonElement> UploadOkAsync(HttpClient client, byte[] content, string fileName)
    {
        var response = await UploadAsync(client, content, fileName);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_power_company_csv_stores_good_rows_once_and_lists_bad_rows_and_unknown_meters(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, _, _, meter, deviceId) = await MeterAsync(app);
        var unknown = $"UNKNOWN-{Guid.NewGuid():N}"[..20];
        var csv = Encoding.UTF8.GetBytes(string.Join("\r\n",
            "某供电公司 2026年10月 电表抄表数据",
            "户号,抄表时间,有功电量(kWh)",
            $"{meter},2026-10-07 00:00,1.25",
            $"{meter},2026/10/7 1:00,2",
            $"{meter},2026-10-07 02:00,\"1,000.5\"",
            $"{meter},十月七日,3",
            $"{meter},2026-10-07 04:00,-1",
            $"{unknown},2026-10-07 00:00,5",
            ""));
        var first = await UploadOkAsync(office, csv, "10月抄表.csv");
        Assert.Equal(6, first.GetProperty("rows").GetInt32());
        Assert.Equal(3, first.GetProperty("stored").GetInt32());
        var errors = first.GetProperty("errors").EnumerateArray().Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(),
            Message: e.GetProperty("message").GetString()!)).ToList();
        Assert.Equal([6, 7, 8], errors.Select(e => e.Row));
        Assert.Equal(["抄表时间", "有功电量(kWh)", "户号"], errors.Select(e => e.Column));
        Assert.Contains("时间无法识别", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("未登记的电表", errors[2].Message, StringComparison.Ordinal);
        Assert.Equal([unknown], first.GetProperty("unknownMeters").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal([1.25, 2, 1000.5], (await StoredAsync(app, deviceId)).Select(r => r.Kwh));
        Assert.All(await StoredAsync(app, deviceId), r => Assert.Equal(MeterReadings.Upload, r.Source));

        var again = await UploadOkAsync(office, csv, "10月抄表.csv");
        Assert.Equal(0, again.GetProperty("stored").GetInt32());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(3, (await StoredAsync(app, deviceId)).Count);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_power_company_xlsx_with_register_counts_is_stored_and_read_as_hourly_use(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, _, _, meter, deviceId) = await MeterAsync(app);
        using var xlsx = new MemoryStream();
        using (var writer = XlsxWriter.Create(xlsx, "抄表", [new("表号"), new("日期时间"), new("示数")]))
        {
            writer.WriteRow([meter, "2026-10-08 00:00", 500.0]);
            writer.WriteRow([meter, "2026-10-08 01:00", 512.5]);
            writer.WriteRow([meter, "2026-10-08 02:00", 530.0]);
        }
        var result = await UploadOkAsync(office, xlsx.ToArray(), "register.xlsx");
        Assert.Equal(3, result.GetProperty("stored").GetInt32());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        Assert.All(await StoredAsync(app, deviceId), r => Assert.Equal(MeterReadingKind.Register, r.Kind));
        Assert.Equal([12.5, 17.5], Hours(await SeriesAsync(office, meter, "2026-10-08 00:00", "2026-10-08 02:00")));

        // Not a sheet, and a department officer: refused.
        var bad = await UploadAsync(office, [1, 2, 3, 0], "x.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("file", out _));
        var police = await app.LoginAsync("sx-police");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(xlsx.ToArray()), "file", "register.xlsx" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsync("/api/meters/readings/upload", form)).StatusCode);
        using var anonymousForm = new MultipartFormDataContent { { new ByteArrayContent(xlsx.ToArray()), "file", "register.xlsx" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync("/api/meters/readings/upload", anonymousForm)).StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_upload_page_shows_the_summary_and_the_bad_rows(string provider)
    {
        var app = await TestApp.Shared(provider);
        var (office, _, _, meter, _) = await MeterAsync(app);
        var token = await TestApp.AntiForgeryTokenAsync(office, "/monitoring/meters/upload");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes($"表号,抄表时间,有功电量\r\n{meter},2026-10-09 00:00,1\r\n{meter},2026-10-09 01:00,abc\r\n")), "Upload", "m.csv" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var html = await (await office.PostAsync("/monitoring/meters/upload", form)).Content.ReadAsStringAsync();
        Assert.Contains("新增 1 条", html, StringComparison.Ordinal);
        Assert.Contains("第 3 行", html, StringComparison.Ordinal);
        Assert.Contains("不是非负数字", html, StringComparison.Ordinal);
    }

    [Theory, OnPostgres]
    public async Task A_reading_in_a_month_without_a_partition_gets_its_partition_first(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, demo: true);
        var (office, _, integration, meter, deviceId) = await MeterAsync(app);
        Task<bool> PartitionExistsAsync() => app.WithDbAsync(db =>
            db.Database.SqlQueryRaw<bool>("SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'MeterReadings_2024_03' AND relispartition) AS \"Value\"").SingleAsync());
        Assert.False(await PartitionExistsAsync());
        await IngestAsync(integration, Readings(meter, null, ("2024-03-15T10:00:00+08:00", 4), ("2026-10-10T10:00:00+08:00", 5)));
        Assert.True(await PartitionExistsAsync());
        Assert.Equal([4.0, 5.0], (await StoredAsync(app, deviceId)).Select(r => r.Kwh));
        // And the upload path, for another month, twice.
        var csv = Encoding.UTF8.GetBytes($"户号,抄表时间,有功电量\r\n{meter},2024-04-02 00:30,6\r\n");
        Assert.Equal(1, (await UploadOkAsync(office, csv, "april.csv")).GetProperty("stored").GetInt32());
        Assert.Equal(0, (await UploadOkAsync(office, csv, "april.csv")).GetProperty("stored").GetInt32());
        Assert.Equal(3, (await StoredAsync(app, deviceId)).Count);
    }
}
