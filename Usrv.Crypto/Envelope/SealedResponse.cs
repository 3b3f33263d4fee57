namespace Usrv.Crypto;

/// <summary>A sealed and signed usrv/2 answer (DESIGN, Sealed calls: the usrv/2 scheme; Answer).</summary>
/// <param name="Body">
/// AES-256-GCM ciphertext and 16-byte tag, or empty when the answer cannot carry content (HEAD, 1xx, 204, 304).
/// </param>
/// <param name="Headers">
/// <c>Usrv-Scheme</c>, <c>Response-Nonce</c>, <c>Sender-Public-Key</c>, <c>Sender-Signature</c>; <c>Content-Type</c>
/// stays the plaintext's.
/// </param>
public sealed record SealedResponse(byte[] Body, ResponseEnvelope Headers);
