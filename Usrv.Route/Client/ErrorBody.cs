using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Usrv.Route.Client;

/// <summary>
/// What an error answer (a status outside 2xx) says, read by one set of rules for every client built on
/// <see cref="Peer"/>: <see cref="Peer"/>'s own <see cref="UsrvCallException"/>, and the API clients of Usrv.Plugins,
/// which read their vendor's error shape from <see cref="Json"/> and fall back to <see cref="Text"/>.
/// </summary>
/// <example><code>
/// var response = await peer.SendAsync(call);
/// if (!response.IsSuccess)
/// {
///     var answer = ErrorBody.Read(response);
///     Console.WriteLine($"{answer.Status} {answer.Title}: {answer.Detail}");
/// }
/// </code></example>
/// <remarks>
/// <para>Problem details (RFC 9457) are recognised by their media type, as the RFC names them: a JSON object in a body
/// declared JSON (<c>application/problem+json</c>, <c>application/json</c> or any <c>+json</c> type) gives its string
/// members <c>title</c> and <c>detail</c>.</para>
/// <para>Texts taken from the body are cut to their first <see cref="MaxTextLength"/> characters, followed by
/// <c>...</c>, so that an HTML error page or a runaway body does not become a message; problem members are kept
/// whole. Nothing here is a secret of the caller: the body is what the server chose to send.</para>
/// </remarks>
public sealed class ErrorBody
{
    /// <summary>The most characters of body text kept in <see cref="Text"/> and <see cref="Detail"/>: 500.</summary>
    public const int MaxTextLength = 500;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ErrorBody(int status, string title, string? detail, string? text, JsonElement? json, object? body)
    {
        Status = status;
        Title = title;
        Detail = detail;
        Text = text;
        Json = json;
        Body = body;
    }

    /// <summary>The HTTP status answered.</summary>
    public int Status { get; }

    /// <summary>
    /// The problem details' <c>title</c>, or else the status's reason phrase (<see cref="ProblemDetails.Title"/>:
    /// <c>Not Found</c>, or <c>Client Error</c>/<c>Server Error</c> for a status without one).
    /// </summary>
    public string Title { get; }

    /// <summary>
    /// The problem details' <c>detail</c>; else, when <see cref="Body"/> decoded to text, that text (cut to
    /// <see cref="MaxTextLength"/>); else <c>null</c> (an empty or binary body, a JSON object without <c>detail</c>,
    /// a JSON array or number).
    /// </summary>
    public string? Detail { get; }

    /// <summary>
    /// The body as text, cut to <see cref="MaxTextLength"/>, whatever it holds: the text of a text-like media type
    /// (<see cref="RequestBody.IsTextLike"/>, JSON included) in its charset; for any other type or none, the bytes when
    /// they are valid UTF-8 without control characters other than tab, CR and LF. <c>null</c> for an empty or binary body.
    /// </summary>
    public string? Text { get; }

    /// <summary>
    /// The body parsed as JSON (UTF-8, RFC 8259), whatever its declared media type, since APIs label their error JSON
    /// loosely; <c>null</c> when it is empty or does not parse. Vendor error shapes are read from here, e.g. Pinata's
    /// <c>{"error": {"reason", "details"}}</c> or Binance's <c>{"code", "msg"}</c>.
    /// </summary>
    public JsonElement? Json { get; }

    /// <summary>
    /// The body decoded by media type as <see cref="PeerResponse.Value"/> is: problem details as a
    /// <c>Dictionary&lt;string, object?&gt;</c>, text as a string, other types as bytes; <c>null</c> when empty.
    /// </summary>
    public object? Body { get; }

    /// <summary>Reads the error answer a <see cref="Peer"/> received (its body as opened, its value as decoded).</summary>
    /// <param name="response">The answer, usually one whose <see cref="PeerResponse.IsSuccess"/> is false.</param>
    /// <returns>Status, title, detail, text, JSON and decoded body of the answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    public static ErrorBody Read(PeerResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.Status, response.ContentType, response.Body, response.Value);
    }

    /// <summary>Reads an error answer from its parts, e.g. an <see cref="HttpResponseMessage"/> received elsewhere.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="contentType">The <c>Content-Type</c> as sent, or <c>null</c>; an unparsable one counts as none.</param>
    /// <param name="body">The body bytes.</param>
    /// <returns>
    /// As <see cref="Read(PeerResponse)"/>; the body is decoded as a <see cref="Peer"/> decodes it, except that a
    /// multipart body stays bytes.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static ErrorBody Read(int status, string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var type = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed : null;
        return Read(status, type?.ToString(), body, PeerResponseDecoder.Decode(body, type));
    }

    private static ErrorBody Read(int status, string? contentType, byte[] body, object? decoded)
    {
        var title = ProblemDetails.Title(status);
        string? detail;
        if (decoded is Dictionary<string, object?> problem)
        {
            title = problem.GetValueOrDefault("title") as string ?? title;
            detail = problem.GetValueOrDefault("detail") as string;
        }
        else
        {
            detail = decoded is string text ? Cut(text) : null;
        }
        return new ErrorBody(status, title, detail, TextOf(body, contentType), JsonOf(body), decoded);
    }

    private static string? TextOf(byte[] body, string? contentType)
    {
        if (body.Length == 0) return null;
        if (RequestBody.IsTextLike(contentType)) return Cut(RequestBody.DecodeText(body, contentType));
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null; // not UTF-8: binary
        }
        return text.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')) ? null : Cut(text);
    }

    private static JsonElement? JsonOf(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The first MaxTextLength characters and "...", never splitting a surrogate pair.
    private static string Cut(string text)
    {
        if (text.Length <= MaxTextLength) return text;
        var end = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
        return text[..end] + "...";
    }
}
