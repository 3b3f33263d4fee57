namespace Usrv.Route;

/// <summary>
/// Counts the bytes read through it and refuses more than <paramref name="limit"/> with 413: the whole-body limit of
/// multipart uploads (<see cref="MultipartLimits.MaxTotalBytes"/>), which <c>MultipartReader</c> does not keep itself.
/// </summary>
/// <param name="inner">The body stream, read forward only.</param>
/// <param name="limit">Most bytes allowed, in bytes.</param>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _total;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    private int Count(int read)
    {
        _total += read;
        if (_total > limit) throw BodyProblems.MultipartTooLarge(limit);
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
