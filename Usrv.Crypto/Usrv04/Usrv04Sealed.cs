namespace Usrv.Crypto;

/// <summary>
/// A usrv 0.4 sealed request or answer, ready to send (<see cref="Usrv04Envelope"/>): the body as lowercase hex text
/// and the header set. Holds no secret.
/// </summary>
/// <param name="Body">The ciphertext as lowercase hex (ASCII; empty for an empty plaintext or an answer without content).</param>
/// <param name="Headers">
/// <c>Nonce</c> (requests only), <c>Ephemeral-Public-Key</c>, <c>Sender-Public-Key</c> and <c>Sender-Signature</c>.
/// </param>
public sealed record Usrv04Sealed(string Body, Usrv04Headers Headers);
