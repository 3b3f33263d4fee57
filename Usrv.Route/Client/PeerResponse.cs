using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// An answer received by a <see cref="Peer"/>: status, headers and the body, opened if it was sealed and decoded by
/// content type.
/// </summary>
public sealed class PeerResponse
{
    private readonly Lazy<IReadOnlyDictionary<string, string>> _headers;

    internal PeerResponse(
        int status, string? contentType, Lazy<IReadOnlyDictionary<string, string>> headers, byte[] body, object? value, PublicKey? sealedBy)
    {
        Status = status;
        ContentType = contentType;
        _headers = headers;
        Body = body;
        Value = value;
        SealedBy = sealedBy;
    }

    /// <summary>The answer of <paramref name="response"/> with its body as opened and decoded.</summary>
    /// <param name="response">The HTTP answer; its headers are copied into <see cref="Headers"/> only when asked for.</param>
    /// <param name="body">The body, opened when it was sealed.</param>
    /// <param name="value">The body decoded by content type.</param>
    /// <param name="sealedBy">The key whose seal and signature were verified, or <c>null</c>.</param>
    internal static PeerResponse From(HttpResponseMessage response, byte[] body, object? value, PublicKey? sealedBy)
    {
        var responseHeaders = response.Headers;
        var contentHeaders = response.Content.Headers;
        var headers = new Lazy<IReadOnlyDictionary<string, string>>(() =>
        {
            var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in responseHeaders.NonValidated.Concat(contentHeaders.NonValidated)) all[name] = values.ToString();
            return all;
        });
        return new PeerResponse((int)response.StatusCode, contentHeaders.ContentType?.ToString(), headers, body, value, sealedBy);
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>The body's media type, or <c>null</c>.</summary>
    public string? ContentType { get; }

    /// <summary>Response headers (repeated ones joined by <c>", "</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers.Value;

    /// <summary>The body bytes, after opening when it was sealed.</summary>
    public byte[] Body { get; }

    /// <summary>
    /// The body decoded by content type: JSON as plain values (<see cref="PlainJson"/>), form-urlencoded as a dictionary,
    /// multipart as a <see cref="FormData"/>, text as a string, anything else as bytes; <c>null</c> when empty.
    /// </summary>
    public object? Value { get; }

    /// <summary>The server key that sealed and signed the body (verified), or <c>null</c> for a plain answer.</summary>
    public PublicKey? SealedBy { get; }

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;
}
