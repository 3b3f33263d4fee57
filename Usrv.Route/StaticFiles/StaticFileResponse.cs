using Microsoft.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>
/// The answer for one file (README, Static files): validators from its length and modification time (RFC 9110 section 8.8),
/// 304 on a matching <c>If-None-Match</c> / <c>If-Modified-Since</c> (section 13), one byte range as 206 with
/// <c>Content-Range</c>, 416 for a range past the end (section 14), a whole 200 for several ranges; the body streamed from
/// the file, never read whole into memory.
/// </summary>
internal static class StaticFileResponse
{
    public static UsrvResponse Create(UsrvRequest request, FileInfo file, string contentType, bool sealedCall)
    {
        long length = file.Length;
        var modified = new DateTimeOffset(file.LastWriteTimeUtc);
        var lastModified = modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond));
        var etag = $"\"{length:x}-{modified.UtcTicks:x}\"";
        List<KeyValuePair<string, string>> headers =
        [
            new(HeaderNames.ETag, etag),
            new(HeaderNames.LastModified, HeaderUtilities.FormatDate(lastModified)),
            new(HeaderNames.AcceptRanges, "bytes"),
        ];
        if (sealedCall) return Whole(file, contentType, headers);
        if (ConditionalRequest.HasCondition(request.Headers) && ConditionalRequest.IsNotModified(request.Headers, etag, lastModified))
            return ConditionalRequest.NotModified(headers);
        // RFC 9110 section 14.2: GET is the only method with ranges; HEAD ignores Range.
        if (request.Method != "GET" || request.Headers[HeaderNames.Range] is not { } rangeText
            || !IfRangeHolds(request.Headers[HeaderNames.IfRange], etag, lastModified)
            || !RangeHeaderValue.TryParse(rangeText, out var range)
            || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || range.Ranges.Count != 1)
        {
            return Whole(file, contentType, headers); // no range, an unknown unit, or several ranges: the whole file
        }
        var only = range.Ranges.First();
        long start, end;
        if (only.From is { } from)
        {
            start = from;
            end = Math.Min(only.To ?? long.MaxValue, length - 1);
        }
        else
        {
            start = Math.Max(0, length - only.To!.Value);
            end = only.To.Value == 0 ? -1 : length - 1;
        }
        if (start >= length || end < start)
        {
            return ProblemDetails.Response(
                416,
                $"the range {rangeText} is not satisfiable: the file has {length} bytes",
                [.. headers, new(HeaderNames.ContentRange, $"bytes */{length}")]);
        }
        var stream = Open(file);
        stream.Position = start;
        // the announced range, however the file changes while it is sent
        return new UsrvResponse(206, contentType, ReadOnlyMemory<byte>.Empty)
        {
            BodyStream = new RangeStream(stream, end - start + 1),
            Headers = [.. headers, new(HeaderNames.ContentRange, $"bytes {start}-{end}/{length}")],
        };
    }

    // RFC 9110 section 13.1.5: a strong entity tag that matches, or the exact Last-Modified date; else the whole file.
    private static bool IfRangeHolds(string? ifRange, string etag, DateTimeOffset lastModified)
    {
        if (ifRange is null) return true;
        if (EntityTagHeaderValue.TryParse(ifRange, out var tag))
            return !tag.IsWeak && string.Equals(tag.ToString(), etag, StringComparison.Ordinal);
        return HeaderUtilities.TryParseDate(ifRange, out var date) && date == lastModified;
    }

    // Bounded to the length at opening: a file that grows while it is sent must not write past its Content-Length.
    private static UsrvResponse Whole(FileInfo file, string contentType, List<KeyValuePair<string, string>> headers)
    {
        var stream = Open(file);
        return new(200, contentType, ReadOnlyMemory<byte>.Empty) { BodyStream = new RangeStream(stream, stream.Length), Headers = headers };
    }

    private static FileStream Open(FileInfo file) =>
        new(file.FullName, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });

    /// <summary>A read-only window of <paramref name="count"/> bytes from the inner stream's position; disposes it.</summary>
    private sealed class RangeStream(Stream inner, long count) : Stream
    {
        private readonly long _start = inner.Position;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => count;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int length) => Read(buffer.AsSpan(offset, length));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer[..(int)Math.Clamp(count - _position, 0, buffer.Length)]);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, length), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer[..(int)Math.Clamp(count - _position, 0, buffer.Length)], cancellationToken)
                .ConfigureAwait(false);
            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            long target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => count + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            inner.Position = _start + target;
            return _position = target;
        }

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
