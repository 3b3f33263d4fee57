using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Usrv.Route.Tests;

/// <summary>Keeps every log entry in memory, for tests that assert on what was logged.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    /// <summary>One logged entry.</summary>
    public sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider._lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}
