using MineGuard.Platform.Jurisdiction;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Notifications;

public sealed record NotificationView(Guid Id, string Title, string Body, string? Link, string SourceType, Guid? SourceId, DateTime CreatedUtc, DateTime? ReadUtc);

/// <summary>My notifications: the unread count, one page of them (newest first), the total over all pages and the page number.</summary>
public sealed record NotificationList(int Unread, List<NotificationView> Items, int Total = 0, int Page = 1);

public sealed record UnreadView(int Unread);

public sealed record SmsAttemptView(int Number, string Node, DateTime StartedUtc, DateTime? FinishedUtc, string Outcome, string? GatewayMessageId, string? Error);

public sealed record SmsView(
    Guid Id, string Phone, string Text, string DivisionCode, string SourceType, Guid? SourceId, string Status, int Attempts,
    DateTime CreatedUtc, DateTime? SentUtc, string? GatewayMessageId, string? LastError, List<SmsAttemptView> History);

/// <summary>My notifications (站内通知, with an unread count for the header) and the SMS outbox (短信发件箱) for the office.</summary>
public sealed class NotificationsApi : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config)
    {
        services.Configure<SmsOptions>(config.GetSection("Sms"));
        services.AddSingleton<ISmsGateway>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SmsOptions>>().Value;
            if (!string.Equals(o.Gateway, "http", StringComparison.OrdinalIgnoreCase)) return new OutboxGateway();
            if (string.IsNullOrWhiteSpace(o.Url)) throw new InvalidOperationException("Sms:Gateway is http but Sms:Url is not set.");
            return new HttpSmsGateway(new HttpClient { Timeout = TimeSpan.FromSeconds(15) }, o);
        });
        services.AddSingleton<SmsSender>();
        services.AddHostedService(sp => sp.GetRequiredService<SmsSender>());
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/notifications").RequireAuthorization(Policies.Staff).WithTags("notifications");
        mine.MapGet("/", List).WithSummary("我的消息列表（q 为关键字，p 为页码，每页 200 条）");
        mine.MapGet("/unread-count", Unread).WithSummary("我的未读消息数");
        mine.MapPost("/{id:guid}/read", Read).WithSummary("标记一条消息为已读");
        mine.MapPost("/read-all", ReadAll).WithSummary("全部标记为已读");
        app.MapGet("/api/sms-outbox", Outbox).RequireAuthorization(Policies.Office).WithTags("notifications").WithSummary("短信发送队列（办公室）");
    }

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> List(bool? unread, AppDbContext db, CancellationToken ct,
        string? q = null, int? p = null)
    {
        var (query, errors) = Filter(db, unread, q);
        if (query is null) return errors.ToProblem();
        return TypedResults.Ok(await PageAsync(db, query, p, 200, ct));
    }

    /// <summary>The current user's own notifications (only unread, keyword in title or text), newest first.</summary>
    public static (IOrderedQueryable<Notification>? Query, FieldErrors Errors) Filter(AppDbContext db, bool? unread, string? q)
    {
        var errors = new FieldErrors();
        var query = db.Own<Notification>(db.CurrentUser.Id).AsNoTracking();
        if (unread == true) query = query.Where(n => n.ReadUtc == null);
        if (ListPaging.Keyword(q, errors) is { } text) query = query.Where(n => n.Title.Contains(text) || n.Body.Contains(text));
        return errors.Ok ? (query.OrderByDescending(n => n.CreatedUtc).ThenBy(n => n.Id), errors) : (null, errors);
    }

    /// <summary>One page of the filtered notifications with the unread count (the page shows 50, the API 200).</summary>
    public static async Task<NotificationList> PageAsync(AppDbContext db, IOrderedQueryable<Notification> query, int? page, int size, CancellationToken ct)
    {
        var rows = await query.PageAsync(page, ct, size);
        return new NotificationList(await UnreadCountAsync(db, ct),
            [.. rows.Items.Select(n => new NotificationView(n.Id, n.Title, n.Body, n.Link, n.SourceType, n.SourceId, n.CreatedUtc, n.ReadUtc))], rows.Total, rows.Page);
    }

    /// <summary>The link of one of my notifications (null when it has none or is not mine).</summary>
    public static Task<string?> LinkAsync(Guid id, AppDbContext db, CancellationToken ct) =>
        db.Own<Notification>(db.CurrentUser.Id).Where(n => n.Id == id).Select(n => n.Link).FirstOrDefaultAsync(ct);

    public static async Task<Ok<UnreadView>> Unread(AppDbContext db, CancellationToken ct) => TypedResults.Ok(new UnreadView(await UnreadCountAsync(db, ct)));

    /// <summary>
    /// Unread notifications of the current user. A person's own notifications are theirs wherever the thing sits (a
    /// responsible person may be named on an adit outside their own grid), so the filter is the user id, deliberately.
    /// </summary>
    public static Task<int> UnreadCountAsync(AppDbContext db, CancellationToken ct)
    {
        var me = db.CurrentUser.Id;
        return db.Own<Notification>(me).CountAsync(n => n.ReadUtc == null, ct);
    }

    public static async Task<Results<NoContent, NotFound>> Read(Guid id, AppDbContext db, CancellationToken ct)
    {
        var me = db.CurrentUser.Id;
        var n = await db.Own<Notification>(me).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return TypedResults.NotFound();
        n.MarkRead(db.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<UnreadView>> ReadAll(AppDbContext db, CancellationToken ct)
    {
        var me = db.CurrentUser.Id;
        var now = db.Clock.GetUtcNow().UtcDateTime;
        // Marking read is the reader's own bookkeeping: one statement, no audit record per notification.
        await db.Own<Notification>(me).Where(n => n.ReadUtc == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadUtc, now), ct);
        return TypedResults.Ok(new UnreadView(0));
    }

    public static async Task<Results<Ok<List<SmsView>>, ValidationProblem>> Outbox(string? status, AppDbContext db, CancellationToken ct)
    {
        var query = db.Set<SmsMessage>().AsNoTracking();
        switch (status)
        {
            case null or "" or "all": break;
            case "pending": query = query.Where(s => s.Status == SmsStatus.Pending); break;
            case "sent": query = query.Where(s => s.Status == SmsStatus.Sent); break;
            case "failed": query = query.Where(s => s.Status == SmsStatus.Failed); break;
            default: return new FieldErrors { ["status"] = ["状态只能是 pending、sent、failed 或 all"] }.ToProblem();
        }
        return TypedResults.Ok(await OutboxAsync(db, query, 500, ct));
    }

    public static async Task<List<SmsView>> OutboxAsync(AppDbContext db, IQueryable<SmsMessage> query, int take, CancellationToken ct)
    {
        var rows = await query.OrderByDescending(s => s.CreatedUtc).Take(take).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var attempts = (await db.Set<SmsAttempt>().AsNoTracking().Where(a => ids.Contains(a.SmsMessageId)).ToListAsync(ct))
            .ToLookup(a => a.SmsMessageId);
        return rows.Select(s => new SmsView(s.Id, s.Phone, s.Text, s.DivisionCode, s.SourceType, s.SourceId, StatusName(s.Status), s.Attempts,
            s.CreatedUtc, s.SentUtc, s.GatewayMessageId, s.LastError,
            attempts[s.Id].OrderBy(a => a.Number).ThenBy(a => a.StartedUtc)
                .Select(a => new SmsAttemptView(a.Number, a.Node, a.StartedUtc, a.FinishedUtc, OutcomeName(a.Outcome), a.GatewayMessageId, a.Error)).ToList()))
            .ToList();
    }

    public static string StatusName(SmsStatus s) => s switch { SmsStatus.Sent => "已发送", SmsStatus.Failed => "发送失败", _ => "待发送" };

    public static string OutcomeName(SmsAttemptOutcome o) => o switch
    {
        SmsAttemptOutcome.Accepted => "网关已接收",
        SmsAttemptOutcome.Retry => "失败，将重试",
        SmsAttemptOutcome.Refused => "被网关拒绝",
        SmsAttemptOutcome.Unknown => "结果未知",
        _ => "发送中",
    };
}
