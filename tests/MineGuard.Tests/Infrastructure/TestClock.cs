namespace MineGuard.Tests.Infrastructure;

/// <summary>A clock the test sets (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;

    public void Set(DateTimeOffset to) => now = to;
}
