// Fixture types for ModuleWallsTests.A_forbidden_reference_fails_the_rule: a tiny product with one allowed and three
// forbidden references (a feature using another feature's type in a method body, Platform using a feature, a cycle).
#pragma warning disable CA1812, CA1822, IDE0051
namespace MineGuard.Tests.Architecture.Fixture.Features.Adits
{
    public sealed class Place { public string Code { get; set; } = ""; }
}

namespace MineGuard.Tests.Architecture.Fixture.Platform
{
    public sealed class Clock
    {
        // Forbidden: Platform → Features.
        public object Peek() => new Fixture.Features.Tips.Tip();
    }
}

namespace MineGuard.Tests.Architecture.Fixture.Features.Tips
{
    public sealed class Tip
    {
        public Fixture.Features.Adits.Place? Place { get; set; }
        public Fixture.Platform.Clock? Clock { get; set; }

        // Forbidden: only in a method body, so the IL is read.
        public int Count() => new Fixture.Features.Petitions.Petition().Number;
    }
}

namespace MineGuard.Tests.Architecture.Fixture.Features.Petitions
{
    public sealed class Petition
    {
        public int Number { get; set; }

        // Forbidden too: Petitions → Tips closes a cycle.
        public Fixture.Features.Tips.Tip? Source { get; set; }
    }
}
