using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

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
    private int _queued;
    private long _dropped;

    /// <summary>Starts the background writer.</summary>
    /// <param name="output">Where lines go (standard output by default).</param>
    /// <param name="flushInterval">Longest time a line waits (100 ms by default).</param>
    public BatchingConsoleLoggerProvider(TextWriter? output = null, TimeSpan? flushInterval = null)
    {
        _output = output ?? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
        _flushInterval = flushInterval ?? TimeSpan.FromMilliseconds(100);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

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
            _output.Write($"{DateTime.Now:yyyy-MM-dd HH:mm:ss} warn: Usrv.Host[0] {dropped} log lines dropped: the output is too slow\n");
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
