using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

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

    /// <summary>The entity tag sent as <c>ETag</c> (RFC 9110 section 8.8.3), quoted (<c>"v1"</c>, <c>W/"v1"</c>), or <c>null</c>.</summary>
    public string? ETag { get; private set; }

    /// <summary>The time sent as <c>Last-Modified</c> (RFC 9110 section 8.8.2), whole seconds, UTC; or <c>null</c>.</summary>
    public DateTimeOffset? LastModified { get; private set; }

    /// <summary>
    /// Sends <paramref name="etag"/> as the reply's <c>ETag</c> (RFC 9110 section 8.8.3), so that a <c>GET</c> or <c>HEAD</c>
    /// whose <c>If-None-Match</c> matches it (weak comparison, <c>*</c>, lists) is answered 304 Not Modified without a body
    /// (RFC 9110 section 13.1.2; README, Conditional requests). Only a 200 reply is ever turned into a 304.
    /// </summary>
    /// <param name="etag">
    /// An entity tag as it goes on the wire: quoted, optionally weak, e.g. <c>"\"v1\""</c> or <c>"W/\"v1\""</c>.
    /// </param>
    /// <returns>This reply, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="etag"/> is not an entity tag (unquoted, or <c>*</c>).</exception>
    public Reply WithETag(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        if (!EntityTagHeaderValue.TryParse(etag, out var parsed) || parsed.Tag.Equals("*", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{etag}' is not an entity tag: quote it, e.g. \"v1\" or W/\"v1\" (RFC 9110 section 8.8.3)",
                nameof(etag));
        }
        ETag = parsed.ToString();
        Headers.Add(new(HeaderNames.ETag, ETag));
        return this;
    }

    /// <summary>
    /// Sends <paramref name="lastModified"/> as the reply's <c>Last-Modified</c> (RFC 9110 section 8.8.2, an IMF-fixdate, so
    /// truncated to whole seconds), so that a <c>GET</c> or <c>HEAD</c> with an <c>If-Modified-Since</c> at or after it, and no
    /// <c>If-None-Match</c>, is answered 304 Not Modified (RFC 9110 section 13.1.3).
    /// </summary>
    /// <param name="lastModified">When the representation last changed; any offset (sent in GMT).</param>
    /// <returns>This reply, for chaining.</returns>
    public Reply WithLastModified(DateTimeOffset lastModified)
    {
        var seconds = lastModified.ToUniversalTime();
        LastModified = seconds.AddTicks(-(seconds.Ticks % TimeSpan.TicksPerSecond));
        Headers.Add(new(HeaderNames.LastModified, HeaderUtilities.FormatDate(LastModified.Value)));
        return this;
    }

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

    /// <summary>The cookies this reply sets, in order: each becomes its own <c>Set-Cookie</c> header line (RFC 6265 section 3).</summary>
    public List<ReplyCookie> Cookies { get; } = [];

    /// <summary>
    /// Sets a cookie (RFC 6265 section 4.1) and returns this reply, for chaining. The value is percent-encoded as ASP.NET
    /// Core's <c>Response.Cookies.Append</c> does (a <see cref="FromCookieAttribute"/> parameter or
    /// <see cref="UsrvRequest.Cookies"/> decodes it); <paramref name="options"/> default to <c>Path=/; HttpOnly;
    /// SameSite=Lax</c>, plus <c>Secure</c> when the request came over HTTPS (<see cref="ReplyCookieOptions"/>).
    /// </summary>
    /// <param name="name">The cookie's name, an RFC 9110 token (letters, digits, <c>!#$%&amp;'*+-.^_`|~</c>).</param>
    /// <param name="value">The value, any text.</param>
    /// <param name="options">The attributes; <see cref="ReplyCookieOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or not a token.</exception>
    public Reply WithCookie(string name, string value, ReplyCookieOptions? options = null)
    {
        Cookies.Add(new ReplyCookie(name, value, options, isProtected: false));
        return this;
    }

    /// <summary>
    /// Sets a cookie whose value is encrypted and authenticated by ASP.NET Core Data Protection with
    /// <see cref="RouterOptions.DataProtection"/> (purpose <c>Usrv.Route.Cookie</c> and the cookie's name, so a value cannot be
    /// moved to another cookie). A <c>[FromCookie(Protected = true)]</c> parameter reads it back; a value a client altered
    /// reads as absent. Without <see cref="RouterOptions.DataProtection"/> the request fails with a 500 (logged).
    /// </summary>
    /// <param name="name">The cookie's name, an RFC 9110 token.</param>
    /// <param name="value">The value to protect, any text.</param>
    /// <param name="options">The attributes; <see cref="ReplyCookieOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or not a token.</exception>
    public Reply WithProtectedCookie(string name, string value, ReplyCookieOptions? options = null)
    {
        Cookies.Add(new ReplyCookie(name, value, options, isProtected: true));
        return this;
    }

    /// <summary>
    /// Tells the client to drop cookie <paramref name="name"/>: sets it empty with <c>Max-Age=0</c> and an <c>Expires</c> in
    /// 1970 (RFC 6265 section 3.1). <paramref name="options"/> must name the cookie's <c>Path</c> and <c>Domain</c>.
    /// </summary>
    /// <param name="name">The cookie's name.</param>
    /// <param name="options">The cookie's <c>Path</c> and <c>Domain</c>; <see cref="ReplyCookieOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or not a token.</exception>
    public Reply WithoutCookie(string name, ReplyCookieOptions? options = null)
    {
        var expired = (options ?? ReplyCookieOptions.Default) with { MaxAge = TimeSpan.Zero, Expires = DateTimeOffset.UnixEpoch };
        Cookies.Add(new ReplyCookie(name, "", expired, isProtected: false));
        return this;
    }
}
