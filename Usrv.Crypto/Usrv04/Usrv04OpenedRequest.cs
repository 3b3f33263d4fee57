namespace Usrv.Crypto;

/// <summary>A usrv 0.4 sealed request the server verified and decrypted (<see cref="Usrv04Envelope.OpenRequestAsync"/>).</summary>
/// <param name="Plaintext">The decrypted body: UTF-8 text (empty for a request without a body).</param>
/// <param name="Sender">
/// The key that signed the request and that the answer is encrypted for. usrv 0.4 does not bind it to the content:
/// anyone who saw the request can re-sign it as their own, so it is no proof of who wrote the body.
/// </param>
/// <param name="Nonce">The request's <c>Nonce</c> as received.</param>
public sealed record Usrv04OpenedRequest(byte[] Plaintext, PublicKey Sender, string Nonce);
