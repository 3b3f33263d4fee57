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

    /// <summary>Adds a response header and returns this reply, for chaining.</summary>
    public Reply WithHeader(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }
}
