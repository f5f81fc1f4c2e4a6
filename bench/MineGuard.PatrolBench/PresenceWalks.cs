namespace MineGuard.PatrolBench;

/// <summary>One fix as the phone would record it: position, reported accuracy, device time (Unix ms).</summary>
public readonly record struct Fix(double Lat, double Lon, double Acc, long T);

/// <summary>How a walk's GPS error behaves (metres): a slowly wandering offset (AR(1) with correlation time
/// <see cref="Tau"/> seconds and standard deviation <see cref="Wander"/>) plus small white noise, and the accuracy the
/// phone reports around <see cref="BaseAccuracy"/>.</summary>
public sealed record GpsError(double Tau, double Wander, double White, double BaseAccuracy);

/// <summary>
/// Walks and their fixes for the presence red team: where a person really goes second by second, what a phone reports
/// of it (the slowly wandering error of real GPS, valleys, multipath, lost signal), and the field app's own filter
/// (a fix is kept when 5 s have passed or it moved 5 m, app.js MIN_STEP_MS/MIN_STEP_M). Positions are local metres
/// east/north of an origin, turned into degrees at the end.
/// </summary>
public sealed class PresenceWalks(Random random)
{
    public const double MetresPerDegree = 111_320;

    public double U(double a, double b) => a + (random.NextDouble() * (b - a));

    public double Gauss()
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static (double Lat, double Lon) Offset(double lat, double lon, double east, double north) =>
        (lat + (north / MetresPerDegree), lon + (east / (MetresPerDegree * Math.Cos(lat * Math.PI / 180))));

    public static (double East, double North) Local(double lat0, double lon0, double lat, double lon) =>
        ((lon - lon0) * MetresPerDegree * Math.Cos(lat0 * Math.PI / 180), (lat - lat0) * MetresPerDegree);

    public GpsError HonestError() => new(U(20, 120), U(1.5, 5), U(0.3, 1.2), U(3, 8));

    /// <summary>
    /// A person walking from <paramref name="from"/> to <paramref name="to"/> (local metres) on a wandering path at a
    /// varying pace with short stops: one true position per second, appended to <paramref name="path"/>.
    /// </summary>
    public void WalkTo(List<(double X, double Y)> path, (double X, double Y) to, double pace, double arrive = 6)
    {
        var (x, y) = path[^1];
        var deviation = 0.0;
        var paceFactor = 0.0;
        var stop = 0;
        for (var guard = 0; guard < 20_000; guard++)
        {
            var dx = to.X - x;
            var dy = to.Y - y;
            var left = Math.Sqrt((dx * dx) + (dy * dy));
            if (left < arrive) break;
            if (stop > 0)
            {
                stop--;
                path.Add((x, y));
                continue;
            }

            if (random.NextDouble() < 1.0 / 400) stop = (int)U(5, 60);
            // Forest paths bend: the heading wanders around the goal's bearing (Ornstein-Uhlenbeck, ~40° sd).
            deviation += (-deviation / 60.0) + (Gauss() * 0.09);
            paceFactor += (-paceFactor / 90.0) + (Gauss() * 0.035);
            var heading = Math.Atan2(dy, dx) + Math.Clamp(deviation, -1.2, 1.2) * Math.Min(1, left / 60);
            var speed = Math.Max(0.2, pace * (1 + Math.Clamp(paceFactor, -0.5, 0.5)));
            x += Math.Cos(heading) * speed;
            y += Math.Sin(heading) * speed;
            path.Add((x, y));
        }
    }

    /// <summary>Lingers around a spot for <paramref name="seconds"/> (looking at the adit, taking photos).</summary>
    public void Linger(List<(double X, double Y)> path, int seconds, double radius = 4)
    {
        var (cx, cy) = path[^1];
        var (x, y) = (cx, cy);
        for (var i = 0; i < seconds; i++)
        {
            if (random.NextDouble() < 0.05)
            {
                x = cx + U(-radius, radius);
                y = cy + U(-radius, radius);
            }

            path.Add((x, y));
        }
    }

    /// <summary>Options of what the phone goes through on a walk.</summary>
    public sealed record Conditions(bool Valley = false, IReadOnlyList<(int From, int To)>? Gaps = null, bool NetworkFallbacks = false);

    /// <summary>
    /// What the phone reports of a true path (one position a second from <paramref name="startMs"/> device time): one
    /// fix a second with callback jitter of tens of ms, the error model, and the app's 5 s / 5 m filter.
    /// </summary>
    public List<Fix> Observe(List<(double X, double Y)> path, double lat0, double lon0, long startMs, GpsError error, Conditions conditions,
        bool appFilter = true)
    {
        var fixes = new List<Fix>();
        var phi = Math.Exp(-1 / error.Tau);
        var drive = error.Wander * Math.Sqrt(1 - (phi * phi));
        var (ex, ey) = (Gauss() * error.Wander, Gauss() * error.Wander);
        var (mx, my, burst) = (0.0, 0.0, 0);
        long lastT = 0;
        (double X, double Y) lastKept = (double.NaN, double.NaN);
        var valleyFrom = conditions.Valley ? (int)(path.Count * U(0.15, 0.5)) : -1;
        var valleyTo = conditions.Valley ? valleyFrom + (int)(path.Count * U(0.2, 0.45)) : -1;
        for (var i = 0; i < path.Count; i++)
        {
            var inValley = i >= valleyFrom && i < valleyTo;
            var scale = inValley ? 2.5 : 1;
            ex = (phi * ex) + (drive * scale * Gauss());
            ey = (phi * ey) + (drive * scale * Gauss());
            if (inValley && burst == 0 && random.NextDouble() < 1.0 / 150)
            {
                // Multipath off a cliff: the fix is pulled tens of metres for a few seconds.
                burst = (int)U(3, 12);
                var (d, a) = (U(15, 50), U(0, 2 * Math.PI));
                (mx, my) = (Math.Cos(a) * d, Math.Sin(a) * d);
            }

            if (burst > 0) burst--;
            else (mx, my) = (0, 0);
            if (conditions.Gaps?.Any(g => i >= g.From && i < g.To) == true) continue;
            var t = startMs + (i * 1000L) + (long)Math.Round(U(0, 250));
            var x = path[i].X + ex + mx + (Gauss() * error.White);
            var y = path[i].Y + ey + my + (Gauss() * error.White);
            var acc = (error.BaseAccuracy * (0.8 + (0.5 * random.NextDouble())) * (inValley ? U(2.5, 4.5) : 1)) + (burst > 0 ? U(5, 25) : 0);
            if (conditions.NetworkFallbacks && inValley && random.NextDouble() < 1.0 / 900)
            {
                // The phone falls back to a network position for one fix: far off, and says so.
                var (d, a) = (U(150, 900), U(0, 2 * Math.PI));
                x += Math.Cos(a) * d;
                y += Math.Sin(a) * d;
                acc = d * U(1.2, 2.5);
            }

            if (appFilter && !double.IsNaN(lastKept.X) && t - lastT < 5000 && Math.Sqrt(Math.Pow(x - lastKept.X, 2) + Math.Pow(y - lastKept.Y, 2)) < 5)
                continue;
            lastT = t;
            lastKept = (x, y);
            var (lat, lon) = ToDegrees(lat0, lon0, x, y);
            fixes.Add(new Fix(lat, lon, Math.Round(acc, 3), t));
        }

        return fixes;
    }

    public static (double Lat, double Lon) ToDegrees(double lat0, double lon0, double x, double y) => Offset(lat0, lon0, x, y);
}
