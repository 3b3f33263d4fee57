namespace Usrv.Crypto;

/// <summary>
/// The default <see cref="INonceStore"/>: in memory, thread-safe, bounded, expiring (DESIGN §5).
/// </summary>
/// <remarks>
/// Holds at most <see cref="Capacity"/> entries. When full it first forgets expired entries; if none has
/// expired it refuses the new nonce (<see cref="NonceRecordResult.Full"/>) rather than forgetting a live one,
/// which would open a replay window. Each call costs O(log n) plus the expired entries it drops.
/// </remarks>
public sealed class MemoryNonceStore : INonceStore
{
    /// <summary>Default capacity: 100,000 entries (a few MB).</summary>
    public const int DefaultCapacity = 100_000;

    private readonly object _gate = new();
    private readonly Dictionary<(string Sender, string Nonce), DateTimeOffset> _entries = [];
    private readonly PriorityQueue<(string Sender, string Nonce), DateTimeOffset> _byExpiry = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="capacity">Most entries held at once; at least 1.</param>
    /// <param name="time">The clock that decides expiry; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public MemoryNonceStore(int capacity = DefaultCapacity, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Most entries held at once.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now, expired ones included until the next call drops them.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public bool TryRecord(string senderIdentity, string nonce, DateTimeOffset expiresAt) =>
        Record(senderIdentity, nonce, expiresAt) == NonceRecordResult.Recorded;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="senderIdentity"/> or <paramref name="nonce"/> is null.</exception>
    public NonceRecordResult Record(string senderIdentity, string nonce, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(senderIdentity);
        ArgumentNullException.ThrowIfNull(nonce);
        var key = (senderIdentity, nonce);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            DropExpired(now);
            if (_entries.ContainsKey(key))
            {
                return NonceRecordResult.Replayed;
            }

            if (_entries.Count >= Capacity)
            {
                return NonceRecordResult.Full;
            }

            _entries.Add(key, expiresAt);
            _byExpiry.Enqueue(key, expiresAt);
            return NonceRecordResult.Recorded;
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var key, out var expiresAt) && expiresAt <= now)
        {
            _byExpiry.Dequeue();
            _entries.Remove(key);
        }
    }
}
