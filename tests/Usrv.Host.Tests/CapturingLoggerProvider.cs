using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Usrv.Host.Tests;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every formatted log line, for tests to read.</summary>
/// <example><code>
/// var lines = new CapturingLoggerProvider();
/// using var loggers = LoggerFactory.Create(b => b.AddProvider(lines));
/// ...
/// await lines.WaitForAsync(line => line.Message.Contains("GET /test"), TimeSpan.FromSeconds(5));
/// </code></example>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();
    private readonly SemaphoreSlim _written = new(0);

    /// <summary>One log line: category, level, formatted message and the exception, if any.</summary>
    public sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

    /// <summary>Every line so far, in order.</summary>
    public IReadOnlyList<LogLine> Lines => [.. _lines];

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Waits (at most <paramref name="timeout"/>) for a line that satisfies <paramref name="match"/>; null when none came.</summary>
    public async Task<LogLine?> WaitForAsync(Func<LogLine, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line) return line;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            await _written.WaitAsync(left); // woken by every new line
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _written.Dispose();

    private void Add(LogLine line)
    {
        _lines.Enqueue(line);
        _written.Release();
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Add(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}
