using System.Buffers;
using System.Text;

namespace Usrv.Route;

/// <summary>
/// Reads a request body into memory within a size limit, and turns it into usrv's <c>data</c>
/// value: text for text-like and JSON bodies, bytes otherwise, <c>null</c> when empty.
/// </summary>
public static class RequestBody
{
    /// <summary>The first buffer of a body: 16 KiB, or less for a smaller declared length.</summary>
    internal const int FirstBufferBytes = 16 * 1024;

    /// <summary>The largest of the buffers a body is gathered in before it is copied whole: 1 MiB.</summary>
    internal const int LargestBufferBytes = 1024 * 1024;

    /// <summary>
    /// Reads the whole body into a new array of its exact length. The bytes are gathered in pooled buffers that grow
    /// (16 KiB, doubling up to 1 MiB each) with the bytes that arrive, never sized from the declared
    /// <c>Content-Length</c>: a client that declares a large body and sends little costs little.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="limit">Maximum body size in bytes.</param>
    /// <exception cref="ProblemException">413 when the body is larger than <paramref name="limit"/>;
    /// 400 when the client sends less than its <c>Content-Length</c> or the connection fails mid-body.</exception>
    /// <exception cref="OperationCanceledException">The client left (<see cref="ClientLeftException.Is"/>): nobody to answer.
    /// </exception>
    public static async ValueTask<byte[]> ReadAsync(UsrvRequest request, long limit)
    {
        if (request.ContentLength is long declared)
        {
            if (declared > limit) throw BodyProblems.TooLarge(limit);
            if (declared == 0) return [];
        }
        if (request.BufferedBody is { } buffered) return buffered.Length <= limit ? buffered : throw BodyProblems.TooLarge(limit);
        // One byte more than the body may have, so that the read that finds its end (or its excess) has room.
        long most = Math.Min(request.ContentLength ?? limit, limit);
        long expected = most < long.MaxValue ? most + 1 : most;
        var body = new GrowingBuffer((int)Math.Min(expected, FirstBufferBytes));
        bool readFailed = false;
        try
        {
            while (true)
            {
                var space = body.FreeSpace(expected);
                readFailed = true;
                int read = await request.Body.ReadAsync(space, request.Aborted).ConfigureAwait(false);
                readFailed = false;
                if (read == 0) break;
                body.Advance(read);
                if (body.Length > limit) throw BodyProblems.TooLarge(limit);
            }
            if (request.ContentLength is long length && body.Length != length)
            {
                throw BodyProblems.LengthMismatch(body.Length, length);
            }
            return body.ToArray();
        }
        catch (Exception e) when (
            e is IOException or ObjectDisposedException or InvalidOperationException && !ClientLeftException.Is(e, request))
        {
            throw BodyProblems.Incomplete();
        }
        finally
        {
            // A failed read may still be pending on the current buffer (a read abandoned at a timeout): that one is left
            // to the collector, never handed back to the pool for another request to get.
            body.Release(returnCurrent: !readFailed);
        }
    }

    /// <summary>
    /// usrv's <c>data</c>: <c>null</c> for an empty body, a string for <c>text/*</c>, JSON, XML and
    /// form-urlencoded bodies (decoded with the declared charset, UTF-8 by default), the bytes otherwise.
    /// </summary>
    public static object? ToData(byte[] body, string? contentType)
    {
        if (body.Length == 0) return null;
        return IsTextLike(contentType) ? DecodeText(body, contentType) : body;
    }

    /// <summary>
    /// True for media types whose body is text: <c>text/*</c>, <c>application/json</c>, <c>*+json</c>, <c>*/xml</c>,
    /// <c>*+xml</c>, form-urlencoded, JavaScript.
    /// </summary>
    public static bool IsTextLike(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = MediaType(contentType);
        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("/xml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/javascript", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes text with the <c>charset</c> of <paramref name="contentType"/> (UTF-8 when absent or unknown).</summary>
    public static string DecodeText(byte[] body, string? contentType)
    {
        var encoding = Encoding.UTF8;
        if (contentType is not null
            && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && parsed.Charset.HasValue)
        {
            try { encoding = Encoding.GetEncoding(parsed.Charset.Value!); }
            catch (ArgumentException) { /* unknown charset: UTF-8, as browsers do */ }
        }
        return encoding.GetString(body);
    }

    private static ReadOnlySpan<char> MediaType(string contentType)
    {
        var span = contentType.AsSpan();
        int semicolon = span.IndexOf(';');
        return (semicolon < 0 ? span : span[..semicolon]).Trim();
    }

    /// <summary>
    /// Bytes gathered in buffers rented from the shared pool, each twice the size of the one before (up to
    /// <see cref="LargestBufferBytes"/>): nothing is copied while the body grows, once at the end.
    /// </summary>
    private sealed class GrowingBuffer(int firstBytes)
    {
        private readonly List<byte[]> _full = [];
        private byte[] _current = ArrayPool<byte>.Shared.Rent(Math.Max(1, firstBytes));
        private int _used;

        /// <summary>The bytes gathered so far.</summary>
        public long Length { get; private set; }

        /// <summary>Room for the next read: what is left of the current buffer, else a new one, no larger than needed for
        /// <paramref name="expected"/> bytes in all.</summary>
        public Memory<byte> FreeSpace(long expected)
        {
            if (_used == _current.Length)
            {
                _full.Add(_current);
                long doubled = Math.Min((long)_current.Length * 2, LargestBufferBytes);
                long left = expected - Length; // none left: more than the declared length came, and is counted
                _current = ArrayPool<byte>.Shared.Rent((int)(left > 0 ? Math.Min(doubled, left) : doubled));
                _used = 0;
            }
            return _current.AsMemory(_used);
        }

        public void Advance(int count)
        {
            _used += count;
            Length += count;
        }

        /// <summary>The bytes gathered, in one array of their exact length.</summary>
        public byte[] ToArray()
        {
            if (Length == 0) return [];
            var result = GC.AllocateUninitializedArray<byte>(checked((int)Length));
            int at = 0;
            foreach (var buffer in _full)
            {
                buffer.CopyTo(result, at);
                at += buffer.Length;
            }
            _current.AsSpan(0, _used).CopyTo(result.AsSpan(at));
            return result;
        }

        /// <summary>Hands the buffers back to the pool (the current one only when <paramref name="returnCurrent"/>).</summary>
        public void Release(bool returnCurrent)
        {
            foreach (var buffer in _full) ArrayPool<byte>.Shared.Return(buffer);
            _full.Clear();
            if (returnCurrent) ArrayPool<byte>.Shared.Return(_current);
            _current = [];
            _used = 0;
        }
    }
}
