using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Usrv.Host;

/// <summary>
/// A Microsoft.Extensions.Logging provider that writes single-line entries to standard output in batches:
/// the request thread formats the line and queues it; one background task writes whatever has queued up, at most
/// every <c>flushInterval</c>, in one write. The stock console logger wakes its writer thread for every entry, which
/// at one access line per request costs a quarter of the built-in host's throughput on 2 cores (see the issue notes).
/// </summary>
/// <remarks>
/// Line format, as the stock simple console formatter's single-line mode: <c>2026-11-22 01:37:58 info: Usrv.Access[0] message</c>,
/// exception text on the following lines. At most <see cref="MaxQueuedLines"/> wait; beyond that entries are dropped and counted.
/// Given a <see cref="ConsoleFormatter"/> (<see cref="Json"/>: Microsoft.Extensions.Logging's own JSON console formatter), the
/// request thread formats each entry with it instead, and the batching stays.
/// </remarks>
public sealed class BatchingConsoleLoggerProvider : ILoggerProvider
{
    /// <summary>Most lines waiting to be written; more are dropped (and the count of dropped lines is written).</summary>
    public const int MaxQueuedLines = 100_000;

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TextWriter _output;
    private readonly TimeSpan _flushInterval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private readonly ConsoleFormatter? _formatter;
    private readonly IDisposable? _formatterServices;
    private int _queued;
    private long _dropped;

    /// <summary>Starts the background writer.</summary>
    /// <param name="output">Where lines go (standard output by default).</param>
    /// <param name="flushInterval">Longest time a line waits (100 ms by default).</param>
    public BatchingConsoleLoggerProvider(TextWriter? output = null, TimeSpan? flushInterval = null)
        : this(output, flushInterval, null, null)
    {
    }

    private BatchingConsoleLoggerProvider(TextWriter? output, TimeSpan? flushInterval, ConsoleFormatter? formatter, IDisposable? services)
    {
        _formatter = formatter;
        _formatterServices = services;
        _output = output ?? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
        _flushInterval = flushInterval ?? TimeSpan.FromMilliseconds(100);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// A provider that writes one JSON object per line with Microsoft.Extensions.Logging's JSON console formatter
    /// (<c>AddJsonConsole</c>): <c>Timestamp</c> (UTC, ISO 8601), <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>,
    /// <c>Message</c>, <c>Exception</c> when there is one, and <c>State</c> with the message's named values.
    /// </summary>
    /// <param name="output">Where lines go (standard output by default).</param>
    /// <param name="flushInterval">Longest time a line waits (100 ms by default).</param>
    /// <returns>The provider; disposing it writes every queued line.</returns>
    public static BatchingConsoleLoggerProvider Json(TextWriter? output = null, TimeSpan? flushInterval = null)
    {
        // The formatter types are internal to Microsoft.Extensions.Logging.Console: they are had as its logging builder registers them.
        var services = new ServiceCollection()
            .AddLogging(builder => builder.AddJsonConsole(options =>
            {
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
                options.IncludeScopes = false;
            }))
            .BuildServiceProvider();
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        return new BatchingConsoleLoggerProvider(output, flushInterval, formatter, services);
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    [ThreadStatic]
    private static StringWriter? _formatted;

    // One entry through the formatter, as the text of one line (the formatter ends it with a newline).
    private string Format<TState>(in LogEntry<TState> entry)
    {
        var writer = _formatted ??= new StringWriter(CultureInfo.InvariantCulture);
        var text = writer.GetStringBuilder().Clear();
        _formatter!.Write(entry, null, writer);
        if (text.Length > 0 && text[^1] != '\n') text.Append('\n');
        var line = text.ToString();
        if (text.Capacity > 16 * 1024) _formatted = null; // no large buffer kept per thread after a long exception
        return line;
    }

    private void Enqueue(string line)
    {
        if (Interlocked.Increment(ref _queued) > MaxQueuedLines)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _lines.Enqueue(line);
    }

    private async Task WriteLoopAsync()
    {
        using var timer = new PeriodicTimer(_flushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Drain();
        }
        catch (OperationCanceledException) { /* stopping: the last drain is in Dispose */ }
    }

    private void Drain()
    {
        bool wrote = false;
        while (_lines.TryDequeue(out var line))
        {
            Interlocked.Decrement(ref _queued);
            _output.Write(line);
            wrote = true;
        }
        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            var message = $"{dropped} log lines dropped: the output is too slow";
            _output.Write(_formatter is null
                ? $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} warn: Usrv.Host[0] {message}\n"
                : Format(new LogEntry<string>(LogLevel.Warning, "Usrv.Host", default, message, null, static (m, _) => m)));
            wrote = true;
        }
        if (wrote)
        {
            try { _output.Flush(); }
            catch (IOException) { /* stdout closed: nothing to save */ }
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try { _writer.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        Drain();
        _stop.Dispose();
        _formatterServices?.Dispose();
    }

    private sealed class Logger(BatchingConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            if (provider._formatter is not null)
            {
                provider.Enqueue(provider.Format(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter)));
                return;
            }
            var message = formatter(state, exception);
            var line = new StringBuilder(message.Length + category.Length + 48)
                .Append(DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture))
                .Append(Level(logLevel)).Append(": ").Append(category).Append('[').Append(eventId.Id).Append("] ")
                .Append(message);
            if (exception is not null) line.Append(' ').Append(exception.ToString().Replace(Environment.NewLine, " "));
            provider.Enqueue(line.Append('\n').ToString());
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
