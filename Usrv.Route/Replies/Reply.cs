using System.Text;
using System.Text.Json;

namespace Usrv.Route;

/// <summary>
/// A reply that is not a status tuple: raw bytes, text, a stream, or JSON, with a chosen status,
/// content type and headers. Return it (or <c>Task&lt;Reply&gt;</c>) from a handler.
/// </summary>
/// <example><code>
/// [Bind("/logo.png")]
/// public static Reply Logo() => Reply.Bytes(200, File.ReadAllBytes("logo.png"), "image/png");
/// </code></example>
public sealed class Reply
{
    private Reply(int status, string? contentType, ReadOnlyMemory<byte> body, Stream? stream)
    {
        if (status is < 100 or > 599)
            throw new ArgumentOutOfRangeException(nameof(status), status, "an HTTP status is between 100 and 599");
        Status = status;
        ContentType = contentType;
        Body = body;
        Stream = stream;
    }

    /// <summary>HTTP status code (100-599).</summary>
    public int Status { get; }

    /// <summary>The <c>Content-Type</c> to send, or <c>null</c>.</summary>
    public string? ContentType { get; }

    /// <summary>The in-memory body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The streamed body, or <c>null</c>; the host disposes it after sending.</summary>
    public Stream? Stream { get; }

    /// <summary>Extra response headers (never <c>Content-Type</c>/<c>Content-Length</c>).</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>A raw byte body.</summary>
    public static Reply Bytes(
        int status,
        ReadOnlyMemory<byte> body,
        string contentType = "application/octet-stream") =>
        new(status, contentType, body, null);

    /// <summary>A text body, UTF-8 encoded; <paramref name="contentType"/> gets <c>; charset=utf-8</c>.</summary>
    public static Reply Text(int status, string text, string contentType = "text/plain") =>
        new(status, contentType + "; charset=utf-8", Encoding.UTF8.GetBytes(text), null);

    /// <summary>A value serialised as JSON with <see cref="UsrvJson.Options"/>.</summary>
    public static Reply Json<T>(int status, T value) =>
        new(status, ReplyConverter.JsonContentType, JsonSerializer.SerializeToUtf8Bytes(value, UsrvJson.Options), null);

    /// <summary>A streamed body (a file, a pipe), sent as it is read and disposed after.</summary>
    public static Reply FromStream(
        int status,
        Stream stream,
        string contentType = "application/octet-stream") =>
        new(status, contentType, default, stream);

    /// <summary>
    /// The body writer of a streamed reply (<see cref="JsonArray{T}"/>, <see cref="Events{T}"/>, <see cref="FromWriter"/>),
    /// given the router's JSON settings when the reply becomes a response; <c>null</c> otherwise.
    /// </summary>
    internal Func<JsonSerializerOptions, Stream, CancellationToken, ValueTask>? Writer { get; private init; }

    /// <summary>
    /// A body written as it is made: the host sends the headers without <c>Content-Length</c> (chunked on HTTP/1.1,
    /// RFC 9112 section 7.1), then calls <paramref name="writer"/> once with its output stream and the request's
    /// <see cref="UsrvRequest.Aborted"/> token. Flush the stream whenever the client should see what was written.
    /// </summary>
    /// <param name="status">HTTP status code (100-599).</param>
    /// <param name="writer">Writes the body; its exceptions after the headers went out drop the connection.</param>
    /// <param name="contentType">Value of <c>Content-Type</c>.</param>
    public static Reply FromWriter(
        int status,
        Func<Stream, CancellationToken, ValueTask> writer,
        string contentType = "application/octet-stream")
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new(status, contentType, default, null) { Writer = (_, stream, token) => writer(stream, token) };
    }

    /// <summary>
    /// A JSON array sent as its items come (<c>[</c>, items separated by <c>,</c>, <c>]</c>; each item serialised with
    /// the router's <see cref="RouterOptions.Json"/>), never held whole: what is written is flushed whenever the next item
    /// is not ready at once, and at least every 16 KiB. A handler may also return <c>IAsyncEnumerable&lt;T&gt;</c> itself
    /// (status 200). The client leaving cancels the enumeration and disposes the enumerator.
    /// </summary>
    /// <param name="status">HTTP status code (100-599).</param>
    /// <param name="items">The items; enumerated once, with the request's <see cref="UsrvRequest.Aborted"/> token.</param>
    public static Reply JsonArray<T>(int status, IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(status, ReplyConverter.JsonContentType, default, null)
        {
            Writer = (json, stream, token) => StreamedBodies.WriteJsonArrayAsync(items, json, stream, token),
        };
    }

    /// <summary>
    /// Server-sent events (WHATWG HTML, "Server-sent events"; <c>text/event-stream</c>), written by
    /// <see cref="System.Net.ServerSentEvents.SseFormatter"/> and flushed after each event: the data of an
    /// <c>SseItem&lt;string&gt;</c> as it is, any other data as JSON (<see cref="RouterOptions.Json"/>). A handler may also
    /// return <c>IAsyncEnumerable&lt;SseItem&lt;T&gt;&gt;</c> itself (status 200). The client leaving cancels the
    /// enumeration and disposes the enumerator.
    /// </summary>
    /// <param name="status">HTTP status code (100-599), usually 200.</param>
    /// <param name="events">The events; enumerated once, with the request's <see cref="UsrvRequest.Aborted"/> token.</param>
    public static Reply Events<T>(int status, IAsyncEnumerable<System.Net.ServerSentEvents.SseItem<T>> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new(status, StreamedBodies.EventStreamContentType, default, null)
        {
            Writer = (json, stream, token) => StreamedBodies.WriteEventsAsync(events, json, stream, token),
        };
    }

    /// <summary>Adds a response header and returns this reply, for chaining.</summary>
    public Reply WithHeader(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }
}
