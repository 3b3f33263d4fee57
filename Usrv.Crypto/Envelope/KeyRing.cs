namespace Usrv.Crypto;

/// <summary>
/// The server's keys (DESIGN §8): the current key, which clients seal for and <c>GET /puk</c> publishes, and the keys a
/// sealed request may name in <c>Recipient-Public-Key</c> (usrv/2 step c). The ring does not dispose its keys.
/// </summary>
public sealed class KeyRing
{
    /// <summary>A ring of one key.</summary>
    /// <param name="current">The current key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> is null.</exception>
    public KeyRing(PrivateKey current)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
    }

    /// <summary>The key new calls are sealed for.</summary>
    public PrivateKey Current { get; }

    /// <summary>The ring's private key for <paramref name="publicKey"/>, or null when the ring holds no such key (step c: 400).</summary>
    /// <param name="publicKey">The key a request named.</param>
    /// <returns>The private key, or null.</returns>
    public PrivateKey? Find(PublicKey publicKey) => Current.PublicKey == publicKey ? Current : null;
}
