namespace MineGuard.Features.Monitoring;

/// <summary>
/// Event types another feature takes in through the ingestion API (the explosives loop's movements), with the same
/// guarantees as the device events: stored once per integration key and event id (the batch's <c>DeviceEvents</c> row),
/// refused one by one naming the field and the reason, saved in the batch's transaction and audit event. The feature
/// registers it in DI; <see cref="EventIngestion"/> hands it the batch's fresh events of its types.
/// </summary>
public interface IIngestedEvents
{
    /// <summary>The event types it takes (code → Chinese name).</summary>
    IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Checks the fresh events of its types and adds the good ones to the context, unsaved; returns the refused ones by their batch index.</summary>
    Task<Dictionary<int, Dictionary<string, string[]>>> AddAsync(Guid apiKeyId, IReadOnlyList<ParsedEvent> events, CancellationToken ct);
}
