using System.Text.Json;

namespace MineGuard.Platform.Notifications;

/// <summary>What the gateway said: accepted (with its message id), worth retrying, or refused for good.</summary>
public sealed record SmsResult(SmsAttemptOutcome Outcome, string? GatewayMessageId, string? Error)
{
    public static SmsResult Accepted(string id) => new(SmsAttemptOutcome.Accepted, id, null);

    public static SmsResult Retry(string error) => new(SmsAttemptOutcome.Retry, null, error);

    public static SmsResult Refused(string error) => new(SmsAttemptOutcome.Refused, null, error);
}

/// <summary>
/// The seam to whatever delivers SMS. The message id goes with every attempt, so a gateway that de-duplicates by it
/// sends a message once even when our retry follows a send whose answer was lost.
/// </summary>
public interface ISmsGateway
{
    string Name { get; }

    Task<SmsResult> SendAsync(Guid messageId, string phone, string text, CancellationToken ct);
}

/// <summary>
/// The default: no external gateway. Messages stay in the outbox table, marked as "sent to the outbox", where staff
/// read what would have been sent (/sms-outbox).
/// </summary>
public sealed class OutboxGateway : ISmsGateway
{
    public string Name => "outbox";

    public Task<SmsResult> SendAsync(Guid messageId, string phone, string text, CancellationToken ct) =>
        Task.FromResult(SmsResult.Accepted($"outbox:{messageId:N}"));
}

/// <summary>Configuration section "Sms": which gateway, and the HTTP gateway's address, key and body template.</summary>
public sealed class SmsOptions
{
    /// <summary>"outbox" (default) or "http".</summary>
    public string Gateway { get; set; } = "outbox";

    public string? Url { get; set; }
    public string? Key { get; set; }

    /// <summary>The JSON body with {id}, {phone} and {text} placeholders (values are JSON-escaped).</summary>
    public string Template { get; set; } = """{"clientId":"{id}","mobile":"{phone}","content":"{text}"}""";

    public int MaxAttempts { get; set; } = 6;

    /// <summary>Seconds before the first retry; doubled each time, at most an hour.</summary>
    public int FirstRetrySeconds { get; set; } = 30;

    public int ClaimSeconds { get; set; } = 60;
    public int IntervalSeconds { get; set; } = 5;
    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// An HTTP SMS gateway (the operator's or a provincial platform's): POSTs the template with an "Authorization: Bearer
/// key" header. 2xx is accepted (the id is read from "messageId"/"id"/"msgId" in the answer, or the answer itself);
/// 408, 429 and 5xx and timeouts are retried; other 4xx are refused.
/// </summary>
public sealed class HttpSmsGateway(HttpClient http, SmsOptions options) : ISmsGateway
{
    public string Name => "http";

    public async Task<SmsResult> SendAsync(Guid messageId, string phone, string text, CancellationToken ct)
    {
        var body = options.Template.Replace("{id}", Escape(messageId.ToString()), StringComparison.Ordinal)
            .Replace("{phone}", Escape(phone), StringComparison.Ordinal).Replace("{text}", Escape(text), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (!string.IsNullOrEmpty(options.Key)) request.Headers.Authorization = new("Bearer", options.Key);
        request.Headers.Add("Idempotency-Key", messageId.ToString());
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return SmsResult.Retry($"网关无应答：{ex.Message}");
        }
        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(ct);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return SmsResult.Accepted(MessageId(answer) ?? $"http:{messageId:N}");
            var error = $"网关返回 {code}：{(answer.Length > 200 ? answer[..200] : answer)}";
            return code is 408 or 429 or >= 500 ? SmsResult.Retry(error) : SmsResult.Refused(error);
        }
    }

    private static string? MessageId(string answer)
    {
        try
        {
            using var doc = JsonDocument.Parse(answer);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "messageId", "id", "msgId" })
                {
                    if (doc.RootElement.TryGetProperty(name, out var v)) return v.ToString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: take the text itself when it is short.
        }
        return answer.Trim() is { Length: > 0 and <= 100 } t ? t : null;
    }

    private static string Escape(string s) => JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
