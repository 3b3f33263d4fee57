namespace Usrv.Crypto;

/// <summary>
/// The header names of usrv/2 (DESIGN, Sealed calls: the usrv/2 scheme) and of the schemes it replaces, as sent on the wire.
/// </summary>
public static class EnvelopeHeaders
{
    /// <summary><c>Usrv-Scheme</c>: <c>usrv/2</c> on every sealed request and answer.</summary>
    public const string UsrvScheme = "Usrv-Scheme";

    /// <summary><c>Nonce</c>: the request's timestamp (usrv; see <see cref="Crypto.Nonce"/>).</summary>
    public const string Nonce = "Nonce";

    /// <summary><c>Ephemeral-Public-Key</c>: base64 of HPKE's <c>enc</c>, a 65-byte SEC1 uncompressed point.</summary>
    public const string EphemeralPublicKey = "Ephemeral-Public-Key";

    /// <summary>
    /// <c>Sender-Public-Key</c>: base64 of the signer's 33-byte SEC1 compressed key (the caller's on a request, the ring
    /// key's on an answer).
    /// </summary>
    public const string SenderPublicKey = "Sender-Public-Key";

    /// <summary><c>Recipient-Public-Key</c>: base64 of the 33-byte SEC1 compressed server key the request is sealed for.</summary>
    public const string RecipientPublicKey = "Recipient-Public-Key";

    /// <summary><c>Sender-Signature</c>: base64 of a 64-byte BIP340 signature.</summary>
    public const string SenderSignature = "Sender-Signature";

    /// <summary><c>Response-Nonce</c>: base64 of the answer's 32 random bytes.</summary>
    public const string ResponseNonce = "Response-Nonce";

    /// <summary><c>Usrv-Cipher</c>: the header of the retired usrv/1 scheme; a request with it is refused with 415.</summary>
    public const string LegacyUsrvCipher = "Usrv-Cipher";
}
