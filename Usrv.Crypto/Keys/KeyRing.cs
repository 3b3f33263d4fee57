namespace Usrv.Crypto;

/// <summary>
/// The server's keys (DESIGN, Keys, senders, replay): the current key, which clients seal for and <c>GET /puk</c>
/// publishes, and previous keys, each served until its retire time so that clients can move to a new key without a
/// break. A call sealed for a previous key is answered by that key until then; after it, usrv/2 step c refuses it (400
/// naming the current key). The ring does not dispose its keys.
/// </summary>
public sealed class KeyRing
{
    private readonly PreviousKey[] _previous;
    private readonly TimeProvider _time;

    /// <summary>A ring of a current key and, optionally, previous keys with retire times.</summary>
    /// <param name="current">The current key.</param>
    /// <param name="previous">Previous keys and the instant each stops being served; none when null.</param>
    /// <param name="time">The clock that retires keys; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> is null.</exception>
    public KeyRing(PrivateKey current, IEnumerable<PreviousKey>? previous = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
        _previous = previous?.ToArray() ?? [];
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The key new calls are sealed for.</summary>
    public PrivateKey Current { get; }

    /// <summary>The previous keys and their retire times, retired ones included (for listings).</summary>
    public IReadOnlyList<PreviousKey> Previous => _previous;

    /// <summary>
    /// The ring's private key for <paramref name="publicKey"/>: the current key, or a previous key before its retire
    /// time; null otherwise (step c: 400).
    /// </summary>
    /// <param name="publicKey">The key a request named.</param>
    /// <returns>The private key, or null.</returns>
    public PrivateKey? Find(PublicKey publicKey)
    {
        if (Current.PublicKey == publicKey) return Current;
        if (_previous.Length == 0) return null;
        var now = _time.GetUtcNow();
        foreach (var previous in _previous)
        {
            if (previous.Key.PublicKey == publicKey && now < previous.RetireAt) return previous.Key;
        }

        return null;
    }
}
