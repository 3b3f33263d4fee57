namespace Usrv.Crypto;

/// <summary>
/// The usrv/2 headers of a sealed answer (DESIGN, Sealed calls: the usrv/2 scheme; Answer, step 6), each the raw header text or
/// null when absent.
/// </summary>
/// <param name="Scheme"><c>Usrv-Scheme</c>: <c>usrv/2</c>.</param>
/// <param name="ResponseNonce"><c>Response-Nonce</c>: base64 of 32 random bytes.</param>
/// <param name="SenderPublicKey"><c>Sender-Public-Key</c>: base64 of the ring key the request named (33 bytes).</param>
/// <param name="SenderSignature"><c>Sender-Signature</c>: base64 of the server's 64-byte BIP340 signature.</param>
public sealed record ResponseEnvelope(string? Scheme, string? ResponseNonce, string? SenderPublicKey, string? SenderSignature)
{
    /// <summary>Reads the four headers through a lookup.</summary>
    /// <param name="lookup">A header's value by name (case-insensitive, as HTTP), or null when absent.</param>
    /// <returns>The headers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lookup"/> is null.</exception>
    public static ResponseEnvelope From(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new(
            lookup(EnvelopeHeaders.UsrvScheme),
            lookup(EnvelopeHeaders.ResponseNonce),
            lookup(EnvelopeHeaders.SenderPublicKey),
            lookup(EnvelopeHeaders.SenderSignature));
    }

    /// <summary>The headers as name/value pairs, to write onto an answer.</summary>
    /// <returns>Up to four pairs.</returns>
    public IEnumerable<KeyValuePair<string, string>> ToPairs()
    {
        if (Scheme is not null) yield return new(EnvelopeHeaders.UsrvScheme, Scheme);
        if (ResponseNonce is not null) yield return new(EnvelopeHeaders.ResponseNonce, ResponseNonce);
        if (SenderPublicKey is not null) yield return new(EnvelopeHeaders.SenderPublicKey, SenderPublicKey);
        if (SenderSignature is not null) yield return new(EnvelopeHeaders.SenderSignature, SenderSignature);
    }
}
