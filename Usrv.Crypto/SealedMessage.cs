namespace Usrv.Crypto;

/// <summary>A sealed usrv/1 body and the headers to send with it (DESIGN §5).</summary>
/// <param name="Body">The body to send: <c>iv (12) || AES-256-GCM ciphertext (plaintext length) || tag (16)</c>.</param>
/// <param name="Headers">
/// <c>Usrv-Cipher</c>, <c>Ephemeral-Public-Key</c>, <c>Sender-Public-Key</c>, <c>Sender-Signature</c>, and for a
/// request <c>Nonce</c>. <c>Content-Type</c> stays the plaintext's type.
/// </param>
public sealed record SealedMessage(byte[] Body, EnvelopeHeaders Headers);
