using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>An answer received by a <see cref="Peer"/>: status, headers and the body, opened if it was sealed and decoded by content type.</summary>
public sealed class PeerResponse
{
    private readonly Lazy<IReadOnlyDictionary<string, string>> _headers;

    internal PeerResponse(int status, string? contentType, Lazy<IReadOnlyDictionary<string, string>> headers, byte[] body, object? value, PublicKey? sealedBy)
    {
        Status = status;
        ContentType = contentType;
        _headers = headers;
        Body = body;
        Value = value;
        SealedBy = sealedBy;
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
