namespace Usrv.Crypto;

/// <summary>
/// The usrv/1 envelope headers of a request or response (DESIGN §5); each value is the raw header text, or
/// null when the header is absent.
/// </summary>
/// <param name="UsrvCipher"><c>Usrv-Cipher</c>: the scheme, <c>aes-256-gcm</c> for usrv/1; absent in usrv 0.4.</param>
/// <param name="Nonce"><c>Nonce</c>: the request's timestamp nonce (requests only; see <see cref="Crypto.Nonce"/>).</param>
/// <param name="EphemeralPublicKey"><c>Ephemeral-Public-Key</c>: base64 of the sender's one-time key E (33 bytes SEC1 compressed).</param>
/// <param name="SenderPublicKey"><c>Sender-Public-Key</c>: base64 of the sender's static key (33 bytes SEC1 compressed).</param>
/// <param name="SenderSignature"><c>Sender-Signature</c>: base64 of the 64-byte BIP340 signature.</param>
public sealed record EnvelopeHeaders(
    string? UsrvCipher,
    string? Nonce,
    string? EphemeralPublicKey,
    string? SenderPublicKey,
    string? SenderSignature)
{
    /// <summary>Header name <c>Usrv-Cipher</c>.</summary>
    public const string UsrvCipherName = "Usrv-Cipher";

    /// <summary>Header name <c>Nonce</c> (usrv).</summary>
    public const string NonceName = "Nonce";

    /// <summary>Header name <c>Ephemeral-Public-Key</c> (usrv).</summary>
    public const string EphemeralPublicKeyName = "Ephemeral-Public-Key";

    /// <summary>Header name <c>Sender-Public-Key</c> (usrv).</summary>
    public const string SenderPublicKeyName = "Sender-Public-Key";

    /// <summary>Header name <c>Sender-Signature</c> (usrv).</summary>
    public const string SenderSignatureName = "Sender-Signature";

    /// <summary>The only <c>Usrv-Cipher</c> value of usrv/1: <c>aes-256-gcm</c>.</summary>
    public const string Aes256Gcm = "aes-256-gcm";

    /// <summary>No envelope headers at all (a plain message).</summary>
    public static EnvelopeHeaders None { get; } = new(null, null, null, null, null);

    /// <summary>The five header names, in the order of this record's values (a new array each call).</summary>
    public static string[] Names =>
        [UsrvCipherName, NonceName, EphemeralPublicKeyName, SenderPublicKeyName, SenderSignatureName];

    /// <summary>True when any of the five headers is present.</summary>
    public bool IsPresent =>
        UsrvCipher is not null || Nonce is not null || EphemeralPublicKey is not null
        || SenderPublicKey is not null || SenderSignature is not null;

    /// <summary>
    /// True when the body is sealed: <c>Usrv-Cipher</c> or <c>Ephemeral-Public-Key</c> is present. A message
    /// with only <c>Sender-Public-Key</c> (and <c>Nonce</c>) is plain but asks for a sealed response (usrv).
    /// </summary>
    public bool IsSealed => UsrvCipher is not null || EphemeralPublicKey is not null;

    /// <summary>True for usrv 0.4's own scheme (AES-CTR over hex text): <c>Ephemeral-Public-Key</c> without <c>Usrv-Cipher</c>.</summary>
    public bool IsUsrv04 => UsrvCipher is null && EphemeralPublicKey is not null;

    /// <summary>Reads the five headers through a lookup, e.g. <c>EnvelopeHeaders.From(name => request.Headers[name])</c>.</summary>
    /// <param name="lookup">Returns a header's value by name (case-insensitive, as HTTP), or null when absent.</param>
    /// <returns>The headers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lookup"/> is null.</exception>
    public static EnvelopeHeaders From(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new(
            lookup(UsrvCipherName),
            lookup(NonceName),
            lookup(EphemeralPublicKeyName),
            lookup(SenderPublicKeyName),
            lookup(SenderSignatureName));
    }

    /// <summary>A header's value by name (case-insensitive), or null when absent or not one of the five.</summary>
    /// <param name="name">A header name.</param>
    /// <returns>The value or null.</returns>
    public string? Get(string name) => name switch
    {
        _ when Is(name, UsrvCipherName) => UsrvCipher,
        _ when Is(name, NonceName) => Nonce,
        _ when Is(name, EphemeralPublicKeyName) => EphemeralPublicKey,
        _ when Is(name, SenderPublicKeyName) => SenderPublicKey,
        _ when Is(name, SenderSignatureName) => SenderSignature,
        _ => null,
    };

    /// <summary>The present headers as name/value pairs, to write onto a message.</summary>
    /// <returns>Zero to five pairs, in the order of <see cref="Names"/>.</returns>
    public IEnumerable<KeyValuePair<string, string>> ToPairs()
    {
        foreach (var name in Names)
        {
            if (Get(name) is { } value)
            {
                yield return new(name, value);
            }
        }
    }

    private static bool Is(string? name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
