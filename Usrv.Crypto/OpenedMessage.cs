namespace Usrv.Crypto;

/// <summary>An opened usrv/1 body: the plaintext and who sealed it (DESIGN §5).</summary>
/// <param name="Plaintext">The decrypted body, authenticated by AES-GCM and by the sender's BIP340 signature.</param>
/// <param name="Sender">The sender's static public key, whose signature verified.</param>
/// <param name="Nonce">The request's <c>Nonce</c> header (for a response: the request nonce it was bound to, or null).</param>
public sealed record OpenedMessage(byte[] Plaintext, PublicKey Sender, string? Nonce);
