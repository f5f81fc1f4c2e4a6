using Microsoft.EntityFrameworkCore;
using MineGuard.Features.Adits;

namespace MineGuard.Tests.Infrastructure;

/// <summary>The spots that depend on an app's database (the HTTP tests' <see cref="TestApp"/>).</summary>
public static partial class Spots
{
    private static bool avoided;

    /// <summary>
    /// Places no spot may come near: the demo adits (the same in every app of a run), read from the first app that
    /// starts with the demo data, so a test's random adit is never refused as lying within 20 m of one of them.
    /// </summary>
    public static async Task AvoidDemoAsync(TestApp app)
    {
        if (Volatile.Read(ref avoided)) return;
        var taken = await app.WithDbAsync(db => db.Adits().IgnoreQueryFilters().Select(a => new { a.Lon, a.Lat }).ToListAsync());
        lock (Given)
        {
            if (avoided) return;
            Given.AddRange(taken.Select(a => (a.Lon, a.Lat)));
            Volatile.Write(ref avoided, true);
        }
    }

    /// <summary>
    /// A spot in 嵩县 (<see cref="Songxian"/>) with no adit of the app's database within ~50 m now: the ledger refuses a row
    /// within 20 m of one, and not every test's adit comes from here (imports, the field app), for tests that count rows.
    /// </summary>
    public static async Task<(double Lon, double Lat)> FreeAsync(TestApp app)
    {
        while (true)
        {
            var s = Songxian();
            if (await IsFreeAsync(app, s)) return s;
        }
    }

    /// <summary>No adit of the app's database within ~50 m of the spot now.</summary>
    public static Task<bool> IsFreeAsync(TestApp app, (double Lon, double Lat) s) =>
        app.WithDbAsync(async db => !await db.Adits().IgnoreQueryFilters().AnyAsync(a =>
            a.Lat > s.Lat - 0.0005 && a.Lat < s.Lat + 0.0005 && a.Lon > s.Lon - 0.0006 && a.Lon < s.Lon + 0.0006));
}
