using System.CommandLine;
using MineGuard.Data;

namespace MineGuard.Platform.Cli;

/// <summary>A feature's operator verb (<c>mineguard import …</c>), found by reflection so the CLI depends on no feature.</summary>
public interface ICliVerb
{
    static abstract string Verb { get; }

    /// <summary>The verb's command; <paramref name="run"/> runs a body in its own scope as the system, schema up to date.</summary>
    static abstract Command Command(WebApplication app, Func<WebApplication, string, Func<IServiceProvider, AppDbContext, Task<int>>, Task<int>> run);
}
