namespace Usrv.Crypto;

/// <summary>
/// Remembers which nonces each sender has used until they expire: usrv's replay store (DESIGN, Keys, senders, replay).
/// Only requests whose signature verified are ever recorded (DESIGN, Sealed calls: the usrv/2 scheme, step f).
/// </summary>
/// <remarks>
/// Implementations must be atomic: of concurrent calls with the same key, exactly one gets
/// <see cref="NonceRecordResult.Recorded"/>. When full they answer <see cref="NonceRecordResult.Full"/> rather than
/// forget an entry that has not expired, which would open a replay window.
/// </remarks>
public interface INonceStore
{
    /// <summary>Records <paramref name="key"/> unless it is already recorded (record-if-absent).</summary>
    /// <param name="key">The sender's x-only key and the nonce's instant.</param>
    /// <param name="expiresAt">When the entry may be forgotten: the nonce's instant plus the window (later it is stale anyway).</param>
    /// <param name="now">The server's clock, read once for the request (for relative expiries, e.g. Redis <c>PX</c>).</param>
    /// <param name="cancellationToken">Cancels a remote store's round trip.</param>
    /// <returns>Recorded, Replayed, or Full.</returns>
    ValueTask<NonceRecordResult> RecordAsync(
        NonceKey key,
        DateTimeOffset expiresAt,
        DateTimeOffset now,
        CancellationToken cancellationToken = default);
}
