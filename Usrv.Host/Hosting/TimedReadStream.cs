namespace Usrv.Host;

/// <summary>
/// Wraps a request body stream so that a read that waits longer than a timeout fails (and the
/// connection is dropped) instead of holding a request loop forever: HttpListener on Unix has no body timeout of its own.
/// </summary>
internal sealed class TimedReadStream(Stream inner, TimeSpan timeout, Action onTimeout) : Stream
{
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
        var read = inner.ReadAsync(buffer, cancellationToken).AsTask();
        if (read.IsCompleted) return await read.ConfigureAwait(false);
        using var timer = new CancellationTokenSource();
        var finished = await Task.WhenAny(read, Task.Delay(timeout, timer.Token)).ConfigureAwait(false);
        if (finished != read)
        {
            onTimeout();
            _ = read.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe the abandoned read
            throw new IOException($"no body bytes arrived for {timeout.TotalSeconds:0.#} s; the connection was closed");
        }
        timer.Cancel();
        return await read.ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
