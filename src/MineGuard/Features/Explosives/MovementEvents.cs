using System.Text.Json;
using MineGuard.Features.Monitoring;

namespace MineGuard.Features.Explosives;

/// <summary>
/// The ingestion API's <c>explosives.movement</c> event: a source system (the police's 民爆 system, the emergency
/// department's 剧毒化学品 system) pushes one movement per event, <c>occurredAt</c> its time and <c>movement</c> the
/// record as <c>POST /api/explosives/movements</c> takes it (without <c>id</c> and <c>at</c>). Same guarantees as every
/// event (once per key and event id, refused one by one) and the same checks (<see cref="MovementIntake.AddAsync"/>):
/// the movement's id is the event id when it is a Guid, else derived from the key and the event id.
/// </summary>
public sealed class MovementEvents(MovementIntake intake) : IIngestedEvents
{
    public const string Type = "explosives.movement";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyDictionary<string, string> Types { get; } = new Dictionary<string, string> { [Type] = "民爆物品/氰化钠流向" };

    public async Task<Dictionary<int, Dictionary<string, string[]>>> AddAsync(Guid apiKeyId, IReadOnlyList<ParsedEvent> events, CancellationToken ct)
    {
        var refused = new Dictionary<int, Dictionary<string, string[]>>();
        var items = new List<MovementInput>();
        var indexes = new List<int>();
        foreach (var e in events)
        {
            MovementInput? input = null;
            try
            {
                using var doc = JsonDocument.Parse(e.Data);
                if (doc.RootElement.TryGetProperty("movement", out var m) && m.ValueKind == JsonValueKind.Object) input = m.Deserialize<MovementInput>(Json);
            }
            catch (JsonException)
            {
                input = null;
            }
            if (input is null)
            {
                refused[e.Index] = new() { ["movement"] = ["流向记录（movement）须为对象，字段同 POST /api/explosives/movements 的一条记录"] };
                continue;
            }
            items.Add(input with { Id = IdOf(apiKeyId, e.ExternalId), At = e.OccurredUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
            indexes.Add(e.Index);
        }
        if (items.Count == 0) return refused;
        var result = await intake.AddAsync(items, ct, i => (indexes[i], $"第 {indexes[i] + 1} 个事件（序号 {indexes[i]}）"), sourceSystem: true);
        foreach (var r in result.Rejected)
            refused[r.Index] = new() { [r.Field == "at" ? "occurredAt" : r.Field == "id" ? "id" : $"movement.{r.Field}"] = [r.Reason] };
        return refused;
    }

    /// <summary>The event id itself when it is a Guid; else a Guid derived from the integration key and the event id.</summary>
    public static Guid IdOf(Guid apiKeyId, string externalId) =>
        Guid.TryParse(externalId, out var id) ? id
            : MovementIntake.DerivedId($"explosives|{apiKeyId}|{externalId}");
}
