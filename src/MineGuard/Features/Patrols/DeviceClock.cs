using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Data;
using MineGuard.Platform.Audit;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Patrols;

/// <summary>
/// 手机时钟读数: what one request to /api/field told about the phone's clock (device clock minus server clock). Kept
/// bounded: a reading is stored only when the skew moved by more than <see cref="PresenceThresholds.ClockReadingStepSeconds"/>
/// since the last stored reading of the same member and phone, or that one is older than
/// <see cref="PresenceThresholds.ClockReadingRefreshHours"/>; so a clock set back and put right shows as a jump.
/// </summary>
[OwnRecord]
public sealed class DeviceClockReading : IInJurisdiction, IOwnedByUser
{
    private DeviceClockReading() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>The member's division when it was read (the readings are the member's, judged by the system).</summary>
    public string DivisionCode { get; private set; } = "";

    /// <summary>The app's own device id (<c>X-Device-Id</c>); null from an app that sends none.</summary>
    public Guid? DeviceId { get; private set; }

    public DateTime ServerUtc { get; private set; }
    public double SkewSeconds { get; private set; }

    /// <summary>What the phone was doing: bundle (取任务), states (查询结果), upload (上传).</summary>
    public string Request { get; private set; } = "";

    public static DeviceClockReading Create(Guid userId, string divisionCode, Guid? deviceId, DateTime serverUtc, double skewSeconds, string request) => new()
    {
        Id = Guid.NewGuid(), UserId = userId, DivisionCode = divisionCode, DeviceId = deviceId, ServerUtc = serverUtc,
        SkewSeconds = Math.Round(skewSeconds, 1), Request = request,
    };

    /// <summary>Whether a new reading says something the last one does not.</summary>
    public static bool Worth(DeviceClockReading? last, DateTime nowUtc, double skewSeconds) =>
        last is null || Math.Abs(last.SkewSeconds - skewSeconds) > PresenceThresholds.ClockReadingStepSeconds
        || nowUtc - last.ServerUtc > TimeSpan.FromHours(PresenceThresholds.ClockReadingRefreshHours);
}

internal sealed class DeviceClockReadingConfiguration : IEntityTypeConfiguration<DeviceClockReading>
{
    public void Configure(EntityTypeBuilder<DeviceClockReading> e)
    {
        e.ToTable("DeviceClockReadings");
        e.HasKey(r => r.Id);
        e.Property(r => r.DivisionCode).HasMaxLength(24);
        e.Property(r => r.Request).HasMaxLength(16);
        e.HasIndex(r => new { r.UserId, r.DeviceId, r.ServerUtc });
        e.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// The phone's identity and clock as every request to /api/field carries them: <c>X-Device-Id</c> (a UUID the app makes
/// once and keeps) and <c>X-Device-Time</c> (the phone's clock, Unix ms). Neither is required here: an old app without
/// them still works, and a malformed value is ignored (the writes check <c>X-Device-Time</c> themselves).
/// </summary>
public static class FieldDevice
{
    public const string IdHeader = "X-Device-Id";

    /// <summary>The request's device id, when it is a UUID (and not the empty one).</summary>
    public static Guid? Id(HttpContext http) =>
        Guid.TryParse(http.Request.Headers[IdHeader].ToString(), out var id) && id != Guid.Empty ? id : null;

    /// <summary>The request's <c>X-Device-Time</c> as Unix ms, when it is a positive number (plausible or not).</summary>
    public static long? Time(HttpContext http) =>
        long.TryParse(http.Request.Headers[FieldApi.DeviceTimeHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? ms
            : null;

    /// <summary>The request's device clock minus the server's, in seconds, when the header is a plausible phone time.</summary>
    public static double? Skew(HttpContext http, DateTimeOffset nowUtc) =>
        Time(http) is { } ms && FieldSync.IsPhoneTime(ms) ? (DateTimeOffset.FromUnixTimeMilliseconds(ms) - nowUtc).TotalSeconds : null;

    /// <summary>
    /// The endpoint filter of the field API: records the phone's clock from every request that carries it (bundle
    /// fetches and verdict polls included), before the handler runs, so an upload's own reading is there when it is judged.
    /// </summary>
    public static async ValueTask<object?> RecordClock(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        if (db.CurrentUser.Id is { } me && Skew(http, db.Clock.GetUtcNow()) is { } skew)
        {
            var device = Id(http);
            var now = db.Clock.GetUtcNow().UtcDateTime;
            var last = await db.Own<DeviceClockReading>(me).AsNoTracking().Where(r => r.DeviceId == device)
                .OrderByDescending(r => r.ServerUtc).FirstOrDefaultAsync(http.RequestAborted);
            if (DeviceClockReading.Worth(last, now, skew))
            {
                var request = HttpMethods.IsGet(http.Request.Method)
                    ? http.Request.Path.Value?.EndsWith("/bundle", StringComparison.Ordinal) == true ? "bundle" : "states"
                    : "upload";
                var reading = DeviceClockReading.Create(me, db.CurrentUser.Scope.Code, device, now, skew, request);
                db.Set<DeviceClockReading>().Add(reading);
                await db.SaveChangesAsync(http.RequestAborted);
                db.Entry(reading).State = EntityState.Detached;
            }
        }

        return await next(context);
    }
}
