using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// What both hosts do alike when they translate between their transport and the router (DESIGN, Hosts): write a
/// <see cref="UsrvResponse"/> (in-memory or streamed body, headers only for <c>HEAD</c>).
/// </summary>
internal static class ResponseMapping
{
    /// <summary>
    /// Writes <paramref name="answer"/> to <paramref name="target"/>; a streamed body is copied, then disposed; a body writer
    /// is called with the transport's stream (wrapped so that a failed write cancels <paramref name="clientLeft"/> first).
    /// </summary>
    public static async Task WriteAsync<T>(
        T target, UsrvResponse answer, bool isHead, CancellationToken cancellationToken, CancellationTokenSource? clientLeft = null)
        where T : ITransportResponse
    {
        if (answer.BodyStream is { } stream)
        {
            await using (stream.ConfigureAwait(false))
            {
                // A seekable stream (a file) knows its length: sent as Content-Length, else chunked.
                target.Start(answer.Status, answer.ContentType, answer.Headers, stream.CanSeek ? stream.Length - stream.Position : null);
                if (!isHead) await stream.CopyToAsync(target.Body, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (answer.BodyWriter is { } writer)
        {
            // Streamed (DESIGN, Replies): no Content-Length, so chunked on HTTP/1.1 (RFC 9112 section 7.1); the writer flushes.
            target.Start(answer.Status, answer.ContentType, answer.Headers, null);
            if (isHead) return;
            var body = clientLeft is null ? target.Body : new ClientLeftStream(target.Body, clientLeft);
            await writer(body, cancellationToken).ConfigureAwait(false);
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        // A 304 sends no Content-Length: it would have to be the 200's (RFC 9110 section 8.6), and 0 is not.
        target.Start(answer.Status, answer.ContentType, answer.Headers, answer.Status == 304 ? null : answer.Body.Length);
        if (!isHead && answer.Body.Length > 0) await target.WriteBodyAsync(answer.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The transport's stream for a body writer on a host whose request token does not see the client leave by itself
    /// (HttpListener): a failed write or flush cancels the request's token before the failure reaches the writer, so that
    /// the handler's <c>CancellationToken</c> fires while its enumerator is still running.
    /// </summary>
    private sealed class ClientLeftStream(Stream inner, CancellationTokenSource clientLeft) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => Guard(() => inner.Flush());

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            try
            {
                await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                await Left().ConfigureAwait(false);
                throw;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Guard(() => inner.Write(buffer, offset, count));

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                await Left().ConfigureAwait(false);
                throw;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Guard(Action write)
        {
            try
            {
                write();
            }
            catch (Exception)
            {
                Left().GetAwaiter().GetResult();
                throw;
            }
        }

        private async Task Left()
        {
            try
            {
                await clientLeft.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException) { /* the request is over */ }
        }
    }
}
