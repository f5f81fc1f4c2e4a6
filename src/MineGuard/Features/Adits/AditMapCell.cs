using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Adits;

/// <summary>
/// The map's cluster pyramid: for each stored level (a tile zoom, <see cref="Levels"/>), each tile of that level and each
/// division code (at the fine levels the adit's own, so the jurisdiction filter applies exactly as on <see cref="Adit"/>;
/// at the coarse levels, up to <see cref="CountyLevels"/>, its county's: migration 0055), how many active
/// adits lie in it, the sums of their zoom-20 tile positions (for the cluster's mean position) and the count per map
/// state. Kept by database triggers on "Adits" (migrations 0051, 0055) in the same transaction as every insert, update and
/// delete, whatever wrote it (EF, bulk insert, COPY, raw SQL): the app never writes it. A row whose adits all left keeps
/// a count of 0 and is skipped by readers.
/// </summary>
public sealed class AditMapCell : IInJurisdiction
{
    /// <summary>The stored tile zooms: every second one from 3 to 17, so a cluster view reads its own level or the one
    /// below it (at most four stored tiles per cluster cell). Keep in step with the triggers of migration 0051.</summary>
    public static readonly int[] Levels = [3, 5, 7, 9, 11, 13, 15, 17];

    /// <summary>The levels up to this one are kept per county (the division code's first six digits), not per township
    /// or village: a city view reads a row per county and tile. Keep in step with the triggers of migration 0055.</summary>
    public const int CountyLevels = 13;

    /// <summary>The length of a county's division code.</summary>
    public const int CountyCodeLength = 6;

    public int Level { get; private set; }
    public int X { get; private set; }
    public int Y { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public int Count { get; private set; }
    public long SumX { get; private set; }
    public long SumY { get; private set; }
    public int Unsealed { get; private set; }
    public int Sealed { get; private set; }
    public int Accepted { get; private set; }
    public int Breached { get; private set; }
    public int Weak { get; private set; }

    /// <summary>The stored level that answers clusters of tiles at zoom <paramref name="cellZoom"/>: the same or the next finer.</summary>
    public static int LevelFor(int cellZoom) => Levels.FirstOrDefault(l => l >= cellZoom, Levels[^1]);
}

internal sealed class AditMapCellConfiguration : IEntityTypeConfiguration<AditMapCell>
{
    public void Configure(EntityTypeBuilder<AditMapCell> e)
    {
        e.ToTable("AditMapCells");
        e.HasKey(c => new { c.Level, c.X, c.Y, c.DivisionCode });
        e.Property(c => c.DivisionCode).HasMaxLength(24);
    }
}
