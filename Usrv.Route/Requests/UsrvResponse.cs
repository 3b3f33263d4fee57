namespace Usrv.Route;

/// <summary>
/// The answer of <see cref="Router.HandleAsync"/> and of every stage: a status, headers and a body, which a host writes
/// to its connection unchanged (for <c>HEAD</c> it writes the headers only).
/// </summary>
public sealed class UsrvResponse
{
    /// <summary>Creates a response.</summary>
    /// <param name="status">HTTP status code.</param>
    /// <param name="contentType">Value of <c>Content-Type</c>, or <c>null</c> for no body type.</param>
    /// <param name="body">The body bytes (may be empty).</param>
    public UsrvResponse(int status, string? contentType, ReadOnlyMemory<byte> body)
    {
        Status = status;
        ContentType = contentType;
        Body = body;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>Value of the <c>Content-Type</c> header, or <c>null</c>.</summary>
    public string? ContentType { get; }

    /// <summary>The body when it is held in memory. Empty when <see cref="BodyStream"/> or <see cref="BodyWriter"/> is set.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// A streamed body (from <see cref="Reply.Stream"/>); the host copies then disposes it. <c>null</c> for in-memory bodies.
    /// </summary>
    public Stream? BodyStream { get; init; }

    /// <summary>
    /// A body written as it is made (a streamed JSON array, server-sent events: <see cref="Reply.JsonArray{T}"/>,
    /// <see cref="Reply.Events{T}"/>, <see cref="Reply.FromWriter"/>), or <c>null</c>. The host sends the headers without
    /// <c>Content-Length</c> (HTTP/1.1 chunked transfer coding, RFC 9112 section 7.1), then calls it once with its output
    /// stream and the request's <see cref="UsrvRequest.Aborted"/> token; the writer flushes as items come. A sealed call's
    /// answer is collected whole first (<see cref="ReadBodyAsync"/>), as its signature covers the whole body.
    /// </summary>
    public Func<Stream, CancellationToken, ValueTask>? BodyWriter { get; init; }

    /// <summary>Extra headers to send (e.g. <c>Allow</c> on a 405), in order. Never <c>Content-Type</c> or <c>Content-Length</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>A copy of this response with one more header (e.g. from a stage: <c>Server-Timing</c>, <c>X-Request-Id</c>).</summary>
    /// <param name="name">Header name; not <c>Content-Type</c> or <c>Content-Length</c>.</param>
    /// <param name="value">Header value.</param>
    public UsrvResponse WithHeader(string name, string value) =>
        new(Status, ContentType, Body) { BodyStream = BodyStream, BodyWriter = BodyWriter, Headers = [.. Headers, new(name, value)] };

    /// <summary>
    /// The whole body in memory, whatever its shape: <see cref="Body"/>, else <see cref="BodyStream"/> read to its end and
    /// disposed, else <see cref="BodyWriter"/> run into memory. A streamed body can be read once only.
    /// </summary>
    /// <param name="cancellationToken">Stops reading (the request's <see cref="UsrvRequest.Aborted"/>).</param>
    /// <returns>The body bytes.</returns>
    public async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(CancellationToken cancellationToken = default)
    {
        if (BodyStream is { } stream)
        {
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        if (BodyWriter is { } writer)
        {
            var buffer = new MemoryStream();
            await writer(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        return Body;
    }

    /// <summary>The body as UTF-8 text (for tests and logs of small answers).</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body.Span);
}
