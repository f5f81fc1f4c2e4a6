using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MineGuard.Features.Monitoring;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Time;

namespace MineGuard.Features.Satellite;

/// <summary>
/// The ingestion API's <c>satellite.change</c> event is a 卫片图斑: one patch per event (the event id is the patch's id,
/// <c>polygon</c> its outline), put into a batch and matched, checked and routed exactly as a file import
/// (<see cref="SatelliteDesk.StageAsync"/>), so a patch pushed by a remote-sensing system is never only a stored signal.
/// <c>batch</c> names it (<c>{batchId, province, periodFrom, periodTo, crs}</c>); without it the patch goes into the
/// monthly batch of the key's province, <c>{province}-{yyyy-MM}-推送</c>, for the China-time month of <c>occurredAt</c>.
/// <c>changeType</c>, <c>beforeImage</c>, <c>afterImage</c> as in the file's properties. A refused patch refuses its event.
/// </summary>
public sealed class SatelliteChangeEvents(SatelliteDesk desk, AlertDesk locks, CurrentUser user) : IIngestedEvents
{
    public const string UnnamedChange = "未注明";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyDictionary<string, string> Types { get; } = new Dictionary<string, string> { [EventTypes.Satellite] = EventTypes.Chinese[EventTypes.Satellite] };

    private sealed record BatchPart(string? BatchId, string? Province, string? PeriodFrom, string? PeriodTo, string? Crs);

    public async Task<Dictionary<int, Dictionary<string, string[]>>> AddAsync(Guid apiKeyId, IReadOnlyList<ParsedEvent> events, CancellationToken ct)
    {
        var refused = new Dictionary<int, Dictionary<string, string[]>>();
        var groups = new Dictionary<string, (BatchPart Batch, List<(ParsedEvent Event, JsonObject Feature)> Patches)>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var data = JsonNode.Parse(e.Data)!.AsObject();
            BatchPart? batch;
            try
            {
                batch = data["batch"] switch
                {
                    null => Monthly(e.OccurredUtc),
                    JsonObject b => b.Deserialize<BatchPart>(Json),
                    _ => null,
                };
            }
            catch (JsonException)
            {
                batch = null;
            }
            if (batch is null)
            {
                refused[e.Index] = new() { ["batch"] = ["批次（batch）须为对象：{batchId, province, periodFrom, periodTo, crs}，或省略（归入本省当月的推送批次）"] };
                continue;
            }
            var properties = new JsonObject
            {
                ["id"] = e.ExternalId,
                ["changeType"] = data["changeType"] is JsonValue v && v.ToString() is { Length: > 0 } type ? type : UnnamedChange,
                ["beforeImage"] = data["beforeImage"]?.DeepClone(),
                ["afterImage"] = data["afterImage"]?.DeepClone(),
                ["crs"] = data["crs"]?.DeepClone(),
            };
            var feature = new JsonObject { ["type"] = "Feature", ["properties"] = properties, ["geometry"] = data["polygon"]?.DeepClone() };
            var key = batch.BatchId?.Trim() ?? "";
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = (batch, []);
            group.Patches.Add((e, feature));
        }

        // Two pushes may create the same batch (the monthly one above all): the batch keys are locked for the ingestion's
        // transaction, all in one call so that no two pushes deadlock.
        await locks.LockAsync(groups.Keys.Select(k => "satellite-batch:" + k), ct);
        foreach (var (batch, patches) in groups.Values)
        {
            var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray([.. patches.Select(p => (JsonNode)p.Feature)]) };
            var input = new BatchInput(batch.BatchId, batch.Province, batch.PeriodFrom, batch.PeriodTo, batch.Crs,
                JsonSerializer.SerializeToElement(collection));
            var (staged, errors) = await desk.StageAsync(input, ct);
            if (staged is null)
            {
                var named = errors.ToDictionary(kv => kv.Key == "features" ? "polygon" : "batch." + kv.Key, kv => kv.Value);
                foreach (var (e, _) in patches) refused[e.Index] = named;
                continue;
            }
            foreach (var r in staged.Rejected) refused[patches[r.Index].Event.Index] = new() { ["polygon"] = [r.Problem] };
        }
        return refused;
    }

    /// <summary>The default batch: the key's province, the calendar month (China time) the change was seen in.</summary>
    private BatchPart Monthly(DateTime occurredUtc)
    {
        var day = DateOnly.FromDateTime(ChinaTime.ToLocal(occurredUtc));
        var first = new DateOnly(day.Year, day.Month, 1);
        var province = user.Scope.Code.Length >= 2 ? user.Scope.Code[..2] : "";
        return new BatchPart(string.Create(CultureInfo.InvariantCulture, $"{province}-{first:yyyy-MM}-推送"), province,
            first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "wgs84");
    }
}
