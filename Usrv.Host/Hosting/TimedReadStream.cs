using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// Wraps a request body stream so that a read that waits longer than a timeout fails (and the
/// connection is dropped) instead of holding a request forever: HttpListener on Unix has no body timeout of its own.
/// Its failures are those the router tells apart: the timeout is an <see cref="IOException"/> whose inner exception is a
/// <see cref="TimeoutException"/> (400), a connection the client reset is a <see cref="ClientLeftException"/>, any other
/// transport failure an <see cref="IOException"/> (400), and <paramref name="translate"/> may give a host's own.
/// </summary>
/// <remarks>
/// With a minimum data rate (Kestrel's rule: bytes per second after a grace period), a read also fails once the body as
/// a whole has arrived slower than that rate: a client that trickles a byte every 29 s cannot hold a request forever.
/// </remarks>
/// <param name="inner">The transport's body stream.</param>
/// <param name="timeout">Longest wait for the next bytes.</param>
/// <param name="onTimeout">Drops the connection when <paramref name="timeout"/> runs out or the body is too slow.</param>
/// <param name="translate">The router's exception for a failure of <paramref name="inner"/>, or <c>null</c> to keep it.</param>
/// <param name="minBytesPerSecond">The minimum data rate, in bytes per second; 0 for none.</param>
/// <param name="grace">The time before the minimum data rate applies.</param>
internal sealed class TimedReadStream(
    Stream inner,
    TimeSpan timeout,
    Action onTimeout,
    Func<Exception, Exception?>? translate = null,
    double minBytesPerSecond = 0,
    TimeSpan grace = default) : Stream
{
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadWithTimeoutAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (translate?.Invoke(e) is { } translated)
        {
            throw translated;
        }
        catch (Exception e) when (IsReset(e))
        {
            // The client reset its connection mid-body: it left, there is nobody to answer (not a 400, not a handler failure).
            throw new ClientLeftException($"the client reset the connection while the body was read: {e.Message}", e);
        }
        catch (System.Net.HttpListenerException e)
        {
            // Any other failure of the connection mid-body: an I/O failure, so the router answers 400 (not a handler failure).
            throw new IOException($"the connection failed while reading the body: {e.Message}", e);
        }
    }

    // A reset, however the transport wraps it: an IOException around a SocketException (managed HttpListener, Kestrel's
    // ConnectionResetException), or an HttpListenerException that carries the socket error.
    private static bool IsReset(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            var error = cause switch
            {
                System.Net.Sockets.SocketException socket => socket.SocketErrorCode,
                System.Net.HttpListenerException listener => (System.Net.Sockets.SocketError)listener.ErrorCode,
                _ => System.Net.Sockets.SocketError.Success,
            };
            if (error == System.Net.Sockets.SocketError.ConnectionReset) return true;
        }
        return false;
    }

    private async ValueTask<int> ReadWithTimeoutAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var wait = Wait();
        if (wait <= TimeSpan.Zero) throw TooSlow();
        var read = inner.ReadAsync(buffer, cancellationToken).AsTask();
        if (read.IsCompleted) return Count(await read.ConfigureAwait(false));
        using var timer = new CancellationTokenSource();
        var finished = await Task.WhenAny(read, Task.Delay(wait, timer.Token)).ConfigureAwait(false);
        if (finished != read)
        {
            _ = read.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe the abandoned read
            throw TooSlow();
        }
        timer.Cancel();
        return Count(await read.ConfigureAwait(false));
    }

    private int Count(int read)
    {
        _read += read;
        return read;
    }

    // The longest the next read may take: the per-read timeout, or less when the body's rate would fall under the minimum.
    private TimeSpan Wait()
    {
        if (minBytesPerSecond <= 0) return timeout;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_started);
        var deadline = grace + TimeSpan.FromSeconds(_read / minBytesPerSecond);
        var left = deadline - elapsed;
        return left < timeout ? left : timeout;
    }

    private IOException TooSlow()
    {
        onTimeout();
        return new IOException(minBytesPerSecond > 0
            ? $"the body arrived slower than {minBytesPerSecond:0.#} bytes/s (or stalled {timeout.TotalSeconds:0.#} s); " +
                "the connection was closed"
            : $"no body bytes arrived for {timeout.TotalSeconds:0.#} s; the connection was closed",
            new TimeoutException());
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
