namespace Usrv.Crypto;

/// <summary>
/// A request that passed usrv/2 steps a–g in
/// <see cref="UsrvEnvelope.OpenRequestAsync(RequestLine, RequestEnvelope, ReadOnlyMemory{byte}, KeyRing, ReplayGuard, CancellationToken)"/>
/// or its other overload: its plaintext, its verified sender, the ring key it was sealed for, and what the server keeps
/// to seal the answer (<see cref="UsrvEnvelope.SealResponse(OpenedRequest, int, string?, ReadOnlySpan{byte}, bool)"/>).
/// Dispose it after the answer is sealed.
/// </summary>
public sealed class OpenedRequest : IDisposable
{
    internal OpenedRequest(byte[] plaintext, PublicKey sender, PrivateKey recipient, string nonce, ResponseKeys keys)
    {
        Plaintext = plaintext;
        Sender = sender;
        Recipient = recipient;
        Nonce = nonce;
        Keys = keys;
    }

    /// <summary>The body as the caller wrote it (empty when nothing was sent).</summary>
    public byte[] Plaintext { get; }

    /// <summary>The caller's key: its signature verified and HPKE's auth mode bound it to the ciphertext.</summary>
    public PublicKey Sender { get; }

    /// <summary>The ring key the request was sealed for; it answers.</summary>
    public PrivateKey Recipient { get; }

    /// <summary>The request's <c>Nonce</c> text.</summary>
    public string Nonce { get; }

    internal ResponseKeys Keys { get; }

    /// <summary>Wipes the secret kept for the answer.</summary>
    public void Dispose() => Keys.Dispose();
}
