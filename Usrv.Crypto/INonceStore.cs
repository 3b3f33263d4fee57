namespace Usrv.Crypto;

/// <summary>
/// Remembers which nonces each sender has used until they expire (usrv's replay guard, DESIGN §5).
/// Implementations must be thread-safe: of concurrent calls with the same sender and nonce, exactly one records it.
/// </summary>
public interface INonceStore
{
    /// <summary>Records <paramref name="nonce"/> for <paramref name="senderIdentity"/> unless already recorded.</summary>
    /// <param name="senderIdentity">The sender: its public key text, else the client address.</param>
    /// <param name="nonce">The nonce (canonical text).</param>
    /// <param name="expiresAt">When the entry may be forgotten (after that the nonce is stale anyway).</param>
    /// <returns>True when recorded now; false when it was a replay or the store could not take it.</returns>
    bool TryRecord(string senderIdentity, string nonce, DateTimeOffset expiresAt);

    /// <summary>Like <see cref="TryRecord"/> but says why a nonce was not recorded.</summary>
    /// <param name="senderIdentity">The sender: its public key text, else the client address.</param>
    /// <param name="nonce">The nonce (canonical text).</param>
    /// <param name="expiresAt">When the entry may be forgotten.</param>
    /// <returns>Recorded, Replayed or Full. The default maps false from <see cref="TryRecord"/> to Replayed.</returns>
    NonceRecordResult Record(string senderIdentity, string nonce, DateTimeOffset expiresAt) =>
        TryRecord(senderIdentity, nonce, expiresAt) ? NonceRecordResult.Recorded : NonceRecordResult.Replayed;
}
