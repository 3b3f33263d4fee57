namespace Usrv.Host;

/// <summary>
/// Wraps a request body stream so that a read that waits longer than a timeout fails (and the
/// connection is dropped) instead of holding a request loop forever: HttpListener on Unix has no body timeout of its own.
/// </summary>
/// <remarks>
/// With a minimum data rate (Kestrel's rule: bytes per second after a grace period), a read also fails once the body as
/// a whole has arrived slower than that rate: a client that trickles a byte every 29 s cannot hold a request forever.
/// </remarks>
internal sealed class TimedReadStream(
    Stream inner, TimeSpan timeout, Action onTimeout, double minBytesPerSecond = 0, TimeSpan grace = default) : Stream
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
        catch (System.Net.HttpListenerException e)
        {
            // A client that hangs up mid-body: an I/O failure like any other, so the router answers 400 (not a handler failure).
            throw new IOException($"the connection failed while reading the body: {e.Message}", e);
        }
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
            : $"no body bytes arrived for {timeout.TotalSeconds:0.#} s; the connection was closed");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
