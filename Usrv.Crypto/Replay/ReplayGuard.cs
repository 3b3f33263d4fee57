using System.Globalization;

namespace Usrv.Crypto;

/// <summary>
/// usrv's replay guard (DESIGN, Sealed calls: the usrv/2 scheme, steps d and f; DESIGN, Keys, senders, replay):
/// a sealed request's <c>Nonce</c> must lie within <see cref="Window"/> of the server clock, either way, and each
/// (sender, nonce instant) is accepted once.
/// </summary>
/// <remarks>
/// The server reads the clock once per request (<see cref="Now"/>), checks the window before the signature
/// (<see cref="CheckWindow"/>, cheap) and records the nonce only after the signature verified
/// (<see cref="RecordAsync"/>), so no unsigned or forged request can fill the store or burn a sender's nonce.
/// Entries are keyed by the x-only sender key and the nonce's instant (<see cref="NonceKey"/>) and expire at the
/// instant plus the window.
/// </remarks>
public sealed class ReplayGuard
{
    /// <summary>usrv's default window: 10 seconds.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly INonceStore _store;
    private readonly TimeProvider _time;
    private readonly string _seconds;

    /// <summary>Creates a guard.</summary>
    /// <param name="store">Where used nonces are remembered; a <see cref="MemoryNonceStore"/> sized for the window when null.</param>
    /// <param name="window">How far a nonce may be from now, past or future; default 10 s (usrv). Must be positive.</param>
    /// <param name="time">The server clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
    public ReplayGuard(INonceStore? store = null, TimeSpan? window = null, TimeProvider? time = null)
    {
        var w = window ?? DefaultWindow;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(w, TimeSpan.Zero, nameof(window));
        Window = w;
        _store = store ?? new MemoryNonceStore(MemoryNonceStore.DefaultCapacity(w));
        _time = time ?? TimeProvider.System;
        _seconds = w.TotalSeconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>How far a nonce may be from the server's clock, in the past or the future.</summary>
    public TimeSpan Window { get; }

    /// <summary>The server clock, read once per request and passed to both checks.</summary>
    /// <returns>The current UTC time.</returns>
    public DateTimeOffset Now() => _time.GetUtcNow();

    /// <summary>Step d: the nonce lies within ± <see cref="Window"/> of <paramref name="now"/>.</summary>
    /// <param name="instant">The nonce's instant.</param>
    /// <param name="now">The server clock (<see cref="Now"/>).</param>
    /// <param name="nonceText">The nonce as sent, for the message.</param>
    /// <exception cref="EnvelopeException">412: stale (older than the window) or too far in the future; the detail says which.</exception>
    public void CheckWindow(DateTimeOffset instant, DateTimeOffset now, string nonceText)
    {
        if (instant < now - Window)
        {
            throw new EnvelopeException(412,
                $"The nonce is stale: {nonceText} is more than {_seconds} s before the server's clock " +
                $"({Nonce.Format(now)}). Send a fresh one.");
        }

        if (instant > now + Window)
        {
            throw new EnvelopeException(412,
                $"The nonce is too far in the future: {nonceText} is more than {_seconds} s ahead of the server's clock " +
                $"({Nonce.Format(now)}). Check the client's clock.");
        }
    }

    /// <summary>Step f: records (sender, nonce instant) atomically, once. Call only after the signature verified.</summary>
    /// <param name="sender">The verified sender.</param>
    /// <param name="instant">The nonce's instant (already within the window).</param>
    /// <param name="now">The server clock (<see cref="Now"/>).</param>
    /// <param name="cancellationToken">Cancels a remote store's round trip.</param>
    /// <returns>A task that completes when recorded.</returns>
    /// <exception cref="EnvelopeException">
    /// 412 when this sender already used this nonce; 503 when the store is full or cannot be reached.
    /// </exception>
    public async ValueTask RecordAsync(
        PublicKey sender,
        DateTimeOffset instant,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var result = await _store.RecordAsync(new NonceKey(sender, instant), instant + Window, now, cancellationToken)
            .ConfigureAwait(false);
        switch (result)
        {
            case NonceRecordResult.Recorded:
                return;
            case NonceRecordResult.Replayed:
                throw new EnvelopeException(412, "The nonce was replayed: this sender already used it. Each request needs a new one.");
            case NonceRecordResult.Unavailable:
                throw new EnvelopeException(503, "The replay guard's nonce store cannot be reached; retry in a few seconds.");
            default:
                throw new EnvelopeException(503, "The replay guard's nonce store is full; retry in a few seconds.");
        }
    }
}
