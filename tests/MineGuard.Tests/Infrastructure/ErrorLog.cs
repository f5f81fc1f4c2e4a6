using Microsoft.Extensions.Logging;

namespace MineGuard.Tests.Infrastructure;

/// <summary>
/// Errors the apps under test log (a 500's exception, a background job that failed) appended to the file named by
/// MINEGUARD_TEST_ERROR_LOG, so that a test that only sees a status code can be diagnosed: <c>.ci/run</c> prints the
/// file's end when the run fails. Not set: nothing is written. Each line names the app's engine, the test or fixture
/// that started the app, and the request's path when the error happened in one (the host's logging scope).
/// </summary>
internal sealed class ErrorLog(string provider, string origin) : ILoggerProvider, ISupportExternalScope
{
    private static readonly string? File = Environment.GetEnvironmentVariable("MINEGUARD_TEST_ERROR_LOG");
    private static readonly Lock Gate = new();

    public static bool Enabled => !string.IsNullOrEmpty(File);

    private readonly string tag = $"{provider} {origin}";
    private IExternalScopeProvider? scopes;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    /// <summary>The request path and trace id of the scopes around the log call, if any.</summary>
    private string RequestPath()
    {
        string? path = null, trace = null;
        scopes?.ForEachScope((scope, _) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                foreach (var (key, value) in pairs)
                {
                    if (key == "RequestPath") path = value?.ToString();
                    else if (key == "TraceId") trace = value?.ToString();
                }
        }, (object?)null);
        return (path is null ? "" : $" {path}") + (trace is null ? "" : $" trace={trace}");
    }

    private sealed class Logger(ErrorLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{owner.tag}{owner.RequestPath()}] {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}"
                       + (exception is null ? "" : exception + Environment.NewLine);
            lock (Gate) System.IO.File.AppendAllText(File!, line);
        }
    }
}
