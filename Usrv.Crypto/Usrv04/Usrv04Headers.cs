namespace Usrv.Crypto;

/// <summary>
/// usrv 0.4.3's sealed header set as it travels (DESIGN, Talking to usrv 0.4 peers), texts exactly as received or to
/// send; any may be null when absent. A request carries all four, an answer all but <see cref="Nonce"/>.
/// </summary>
/// <param name="Nonce"><c>Nonce</c>: the sender's UTC clock, ISO 8601 with offset (usrv 0.4: Python's <c>isoformat()</c>).</param>
/// <param name="EphemeralPublicKey"><c>Ephemeral-Public-Key</c>: base64 of the 64-byte <c>x || y</c> of R.</param>
/// <param name="SenderPublicKey"><c>Sender-Public-Key</c>: base64 of the signer's 64-byte <c>x || y</c>.</param>
/// <param name="SenderSignature"><c>Sender-Signature</c>: base64 of a 64-byte BIP340 signature.</param>
public sealed record Usrv04Headers(string? Nonce, string? EphemeralPublicKey, string? SenderPublicKey, string? SenderSignature)
{
    /// <summary>Reads the set with a header lookup (a null result for an absent header).</summary>
    /// <param name="header">Looks a header up by name, case-insensitively.</param>
    /// <returns>The set as found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="header"/> is null.</exception>
    public static Usrv04Headers From(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new Usrv04Headers(
            header(EnvelopeHeaders.Nonce),
            header(EnvelopeHeaders.EphemeralPublicKey),
            header(EnvelopeHeaders.SenderPublicKey),
            header(EnvelopeHeaders.SenderSignature));
    }

    /// <summary>True when the headers claim usrv 0.4's sealed scheme: <c>Ephemeral-Public-Key</c> or <c>Sender-Signature</c>.</summary>
    public bool ClaimsSealed => EphemeralPublicKey is not null || SenderSignature is not null;

    /// <summary>The headers that are present, as name and value pairs in usrv 0.4's order.</summary>
    /// <returns>Up to four pairs.</returns>
    public IEnumerable<KeyValuePair<string, string>> ToPairs()
    {
        if (Nonce is not null) yield return new(EnvelopeHeaders.Nonce, Nonce);
        if (EphemeralPublicKey is not null) yield return new(EnvelopeHeaders.EphemeralPublicKey, EphemeralPublicKey);
        if (SenderPublicKey is not null) yield return new(EnvelopeHeaders.SenderPublicKey, SenderPublicKey);
        if (SenderSignature is not null) yield return new(EnvelopeHeaders.SenderSignature, SenderSignature);
    }
}
