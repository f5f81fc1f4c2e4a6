using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Adits;

/// <summary>封堵记录: one step of an adit's sealing history. Never changed once written.</summary>
public sealed class SealingEvent : IInJurisdiction
{
    private SealingEvent() { }

    public Guid Id { get; private set; }
    public Guid AditId { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public SealingEventKind Kind { get; private set; }

    /// <summary>The day it happened (sealed, accepted, found broken), as the office knows it.</summary>
    public DateOnly OccurredOn { get; private set; }

    public SealMethod? Method { get; private set; }

    /// <summary>封堵标准, e.g. the county's written sealing standard.</summary>
    public string? Standard { get; private set; }

    /// <summary>Who did it: the sealing team or contractor, or who found the breach.</summary>
    public string? PerformedBy { get; private set; }

    public Guid? PerformedByUserId { get; private set; }

    /// <summary>How a breach was found (巡查发现, 群众举报, 视频监控…).</summary>
    public string? HowFound { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The note's column (a spot check's breach note is cut to it).</summary>
    public const int NoteMax = 2000;
    public Guid? RecordedById { get; private set; }
    public DateTime RecordedUtc { get; private set; }

    internal static SealingEvent Create(
        Adit adit, SealingEventKind kind, DateOnly on, Guid? recordedBy, DateTime nowUtc, SealMethod? method = null,
        string? standard = null, string? performedBy = null, Guid? performedByUserId = null, string? note = null,
        string? howFound = null) =>
        new()
        {
            Id = Guid.CreateVersion7(), AditId = adit.Id, DivisionCode = adit.DivisionCode, Kind = kind, OccurredOn = on,
            Method = method, Standard = standard, PerformedBy = performedBy,
            PerformedByUserId = kind == SealingEventKind.Accepted ? recordedBy : performedByUserId,
            HowFound = howFound, Note = note is null ? null : Platform.Web.StoredValueLimits.Cut(note, NoteMax), RecordedById = recordedBy, RecordedUtc = nowUtc,
        };
}
