using Microsoft.Extensions.Logging;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// Errors the apps under test log (a 500's exception, a background job that failed) appended to the file named by
/// MINEGUARD_TEST_ERROR_LOG, so that a test that only sees a status code can be diagnosed: <c>.ci/run</c> prints the
/// file's end when the run fails. Not set: nothing is written.
/// </summary>
internal sealed class ErrorLog(string provider) : ILoggerProvider
{
    private static readonly string? File = Environment.GetEnvironmentVariable("MINEGUARD_TEST_ERROR_LOG");
    private static readonly Lock Gate = new();

    public static bool Enabled => !string.IsNullOrEmpty(File);

    public ILogger CreateLogger(string categoryName) => new Logger(provider, categoryName);

    public void Dispose() { }

    private sealed class Logger(string provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{provider}] {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}"
                       + (exception is null ? "" : exception + Environment.NewLine);
            lock (Gate) System.IO.File.AppendAllText(File!, line);
        }
    }
}
