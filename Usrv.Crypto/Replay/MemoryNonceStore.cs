namespace Usrv.Crypto;

/// <summary>
/// The default <see cref="INonceStore"/>: in memory, thread-safe, bounded, expiring (DESIGN, Keys, senders, replay).
/// </summary>
/// <remarks>
/// Entries are kept in one set per second of expiry, so expired entries are dropped a whole second at a time and a
/// lookup touches one set. About 60 bytes per entry. When <see cref="Capacity"/> entries are live it answers
/// <see cref="NonceRecordResult.Full"/> (the server then answers 503) instead of forgetting a live entry.
/// </remarks>
public sealed class MemoryNonceStore : INonceStore
{
    /// <summary>
    /// BIP340 verifications per second per core assumed for the default capacity: 40,000 (libsecp256k1 verifies in about
    /// 41 µs here, 24,000 per second), so a server's own verification rate cannot fill the default store.
    /// </summary>
    public const int VerificationsPerSecondPerCore = 40_000;

    private readonly object _gate = new();
    private readonly Dictionary<long, HashSet<NonceKey>> _bySecond = [];
    private long _oldestSecond = long.MaxValue;
    private int _count;

    /// <summary>Creates an empty store holding at most <paramref name="capacity"/> live entries.</summary>
    /// <param name="capacity">Most live entries; at least 1. Default: <see cref="DefaultCapacity"/> of a 10 s window.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public MemoryNonceStore(int? capacity = null)
    {
        var value = capacity ?? DefaultCapacity(ReplayGuard.DefaultWindow);
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(capacity));
        Capacity = value;
    }

    /// <summary>Most live entries held at once.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now, expired ones included until the next call drops them.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// A capacity the server's own verification rate cannot fill: an entry lives at most twice the window (a nonce may be
    /// a window ahead and is kept a window after its instant), so
    /// <c>cores × <see cref="VerificationsPerSecondPerCore"/> × 2 × window</c>. 1.6 million for 2 cores and 10 s (about 100 MB when full).
    /// </summary>
    /// <param name="window">The replay guard's window.</param>
    /// <returns>The capacity, at most <see cref="int.MaxValue"/>.</returns>
    public static int DefaultCapacity(TimeSpan window) =>
        (int)Math.Min(
            int.MaxValue,
            (double)Environment.ProcessorCount * VerificationsPerSecondPerCore * 2 * Math.Max(1, window.TotalSeconds));

    /// <inheritdoc/>
    public ValueTask<NonceRecordResult> RecordAsync(
        NonceKey key,
        DateTimeOffset expiresAt,
        DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Record(key, expiresAt, now));

    /// <summary>The synchronous form of <see cref="RecordAsync"/>.</summary>
    /// <param name="key">The sender's x-only key and the nonce's instant.</param>
    /// <param name="expiresAt">When the entry may be forgotten.</param>
    /// <param name="now">The server's clock.</param>
    /// <returns>Recorded, Replayed, or Full.</returns>
    public NonceRecordResult Record(NonceKey key, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        // The same key always comes with the same expiry (its instant plus the window), so it always lands in one set.
        var second = expiresAt.UtcTicks / TimeSpan.TicksPerSecond + 1;
        lock (_gate)
        {
            DropExpired(now.UtcTicks / TimeSpan.TicksPerSecond);
            if (_bySecond.TryGetValue(second, out var set) && set.Contains(key))
            {
                return NonceRecordResult.Replayed;
            }

            if (_count >= Capacity)
            {
                return NonceRecordResult.Full;
            }

            if (set is null)
            {
                set = [];
                _bySecond.Add(second, set);
                _oldestSecond = Math.Min(_oldestSecond, second);
            }

            set.Add(key);
            _count++;
            return NonceRecordResult.Recorded;
        }
    }

    // A set of second s holds entries expiring before s; it goes once s is not after now.
    private void DropExpired(long nowSecond)
    {
        // Sets span at most 2 × window + 1 seconds, so this walks few seconds; an empty store skips ahead.
        while (_oldestSecond <= nowSecond && _bySecond.Count > 0)
        {
            if (_bySecond.Remove(_oldestSecond, out var set))
            {
                _count -= set.Count;
            }

            _oldestSecond++;
        }

        if (_bySecond.Count == 0)
        {
            _oldestSecond = long.MaxValue;
        }
    }
}
