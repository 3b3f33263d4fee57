namespace Usrv.Crypto;

/// <summary>
/// The usrv/2 headers of a request (DESIGN, Sealed calls: the usrv/2 scheme; Request, step 6), each the raw header text or null
/// when absent.
/// </summary>
/// <param name="Scheme"><c>Usrv-Scheme</c>: <c>usrv/2</c>.</param>
/// <param name="Nonce"><c>Nonce</c>: UTC ISO 8601 with microseconds and <c>+00:00</c>.</param>
/// <param name="EphemeralPublicKey"><c>Ephemeral-Public-Key</c>: base64 of <c>enc</c> (65 bytes).</param>
/// <param name="SenderPublicKey"><c>Sender-Public-Key</c>: base64 of the caller's key (33 bytes; 64 and 65 also read).</param>
/// <param name="RecipientPublicKey"><c>Recipient-Public-Key</c>: base64 of the server key sealed for.</param>
/// <param name="SenderSignature"><c>Sender-Signature</c>: base64 of the 64-byte BIP340 signature.</param>
public sealed record RequestEnvelope(
    string? Scheme,
    string? Nonce,
    string? EphemeralPublicKey,
    string? SenderPublicKey,
    string? RecipientPublicKey,
    string? SenderSignature)
{
    /// <summary>Reads the six headers through a lookup, e.g. <c>RequestEnvelope.From(name => request.Headers[name])</c>.</summary>
    /// <param name="lookup">A header's value by name (case-insensitive, as HTTP), or null when absent.</param>
    /// <returns>The headers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lookup"/> is null.</exception>
    public static RequestEnvelope From(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new(
            lookup(EnvelopeHeaders.UsrvScheme),
            lookup(EnvelopeHeaders.Nonce),
            lookup(EnvelopeHeaders.EphemeralPublicKey),
            lookup(EnvelopeHeaders.SenderPublicKey),
            lookup(EnvelopeHeaders.RecipientPublicKey),
            lookup(EnvelopeHeaders.SenderSignature));
    }

    /// <summary>The present headers as name/value pairs, to write onto a request.</summary>
    /// <returns>Up to six pairs, in the order of DESIGN, Sealed calls: the usrv/2 scheme.</returns>
    public IEnumerable<KeyValuePair<string, string>> ToPairs()
    {
        if (Scheme is not null) yield return new(EnvelopeHeaders.UsrvScheme, Scheme);
        if (Nonce is not null) yield return new(EnvelopeHeaders.Nonce, Nonce);
        if (EphemeralPublicKey is not null) yield return new(EnvelopeHeaders.EphemeralPublicKey, EphemeralPublicKey);
        if (SenderPublicKey is not null) yield return new(EnvelopeHeaders.SenderPublicKey, SenderPublicKey);
        if (RecipientPublicKey is not null) yield return new(EnvelopeHeaders.RecipientPublicKey, RecipientPublicKey);
        if (SenderSignature is not null) yield return new(EnvelopeHeaders.SenderSignature, SenderSignature);
    }
}
