namespace Usrv.Crypto;

/// <summary>
/// A request sealed by <see cref="UsrvEnvelope.SealRequest(PrivateKey, PublicKey, RequestLine, ReadOnlySpan{byte}, DateTimeOffset)"/>:
/// what to send, and what the caller keeps to check and open the answer
/// (<see cref="UsrvEnvelope.OpenResponse"/>). Dispose it after the answer is read: that wipes the answer's secret.
/// </summary>
public sealed class SealedRequest : IDisposable
{
    internal SealedRequest(byte[] body, RequestEnvelope headers, PublicKey server, PrivateKey sender, ResponseKeys keys)
    {
        Body = body;
        Headers = headers;
        Server = server;
        Sender = sender;
        Keys = keys;
    }

    /// <summary>
    /// The body to send: HPKE ciphertext and 16-byte tag, or empty when the plaintext was empty (nothing is sent).
    /// </summary>
    public byte[] Body { get; }

    /// <summary>The six usrv/2 headers; <c>Content-Type</c> stays the plaintext's.</summary>
    public RequestEnvelope Headers { get; }

    /// <summary>The server key the request is sealed for: the only key whose answer is accepted.</summary>
    public PublicKey Server { get; }

    /// <summary>The caller's key, which signed the request.</summary>
    public PrivateKey Sender { get; }

    internal ResponseKeys Keys { get; }

    /// <summary>Wipes the secret kept for the answer.</summary>
    public void Dispose() => Keys.Dispose();
}
