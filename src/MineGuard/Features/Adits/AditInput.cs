namespace MineGuard.Features.Adits;

/// <summary>
/// An adit as a person types it in the form or an office's Excel ledger has it: every field a string, so that a bad
/// cell can be reported with its reason instead of failing to bind. <see cref="AditValidator"/> turns it into values.
/// </summary>
public sealed record AditInput
{
    public string? Number { get; init; }
    public string? Name { get; init; }

    /// <summary>County code; needed only when the user's scope is above county level.</summary>
    public string? County { get; init; }

    /// <summary>Township name (陶村林场, 陶村) or code.</summary>
    public string? Township { get; init; }

    public string? Village { get; init; }
    public string? Grid { get; init; }

    /// <summary>Longitude and latitude: decimal degrees or degrees-minutes-seconds.</summary>
    public string? Lon { get; init; }

    public string? Lat { get; init; }

    /// <summary>wgs84 (GPS, 天地图; default) or gcj02 (高德/腾讯 map picks).</summary>
    public string? Crs { get; init; }

    public string? Elevation { get; init; }
    public string? Mineral { get; init; }
    public string? Origin { get; init; }
    public string? RightsHolder { get; init; }
    public string? ClosureParty { get; init; }

    /// <summary>The responsible person (包保责任人): a person's id, phone, "姓名（手机号）" or name; or a user's log-in or name.</summary>
    public string? Responsible { get; init; }

    public string? Description { get; init; }

    /// <summary>Current sealing state from a ledger (未封堵 / 已封堵 / 已验收 / 发现破坏); empty means unsealed.</summary>
    public string? SealState { get; init; }

    public string? SealMethod { get; init; }
    public string? SealedOn { get; init; }

    /// <summary>The user confirms that an adit within 20 m of an existing one is a different adit.</summary>
    public bool ConfirmNearby { get; init; }
}
