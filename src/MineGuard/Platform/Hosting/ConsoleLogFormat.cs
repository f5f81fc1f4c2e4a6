using Microsoft.Extensions.Logging.Console;

namespace MineGuard.Platform.Hosting;

/// <summary>
/// Console logs a person can read when the app runs in a terminal, JSON for a log collector when its output is
/// redirected (systemd, Docker, a file). <c>Logging:Console:FormatterName</c> (json, simple, systemd) overrides both.
/// </summary>
public static class ConsoleLogFormat
{
    public static string Choose(string? configured, bool outputRedirected) =>
        !string.IsNullOrWhiteSpace(configured) ? configured : outputRedirected ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;

    public static void Configure(IServiceCollection services) =>
        services.AddOptions<ConsoleLoggerOptions>().PostConfigure<IConfiguration>((o, config) =>
            o.FormatterName = Choose(config["Logging:Console:FormatterName"], Console.IsOutputRedirected));
}
