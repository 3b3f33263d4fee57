using System.Globalization;

namespace Usrv.Crypto;

/// <summary>
/// usrv's replay guard (DESIGN §5): a request's <c>Nonce</c> is accepted once per sender identity and only
/// while it is within <see cref="Window"/> of this server's clock, in either direction.
/// </summary>
/// <remarks>
/// For a sealed request call <see cref="Check"/> only after the signature verifies (as
/// <see cref="UsrvEnvelope.OpenRequest(PrivateKey, string, string, EnvelopeHeaders, ReadOnlySpan{byte}, ReplayGuard?)"/>
/// does), so that a forged request cannot burn a genuine sender's nonce. Nonces are recorded by instant, so
/// the same instant written another way (<c>Z</c> instead of <c>+00:00</c>) is still a replay.
/// </remarks>
public sealed class ReplayGuard
{
    /// <summary>usrv's default window: 10 seconds.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly INonceStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates a guard.</summary>
    /// <param name="store">Where used nonces are remembered, e.g. a <see cref="MemoryNonceStore"/>.</param>
    /// <param name="window">How far a nonce may be from now, past or future; default 10 s (usrv). Must be positive.</param>
    /// <param name="time">The server clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
    public ReplayGuard(INonceStore store, TimeSpan? window = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var w = window ?? DefaultWindow;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(w, TimeSpan.Zero, nameof(window));
        _store = store;
        Window = w;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How far a nonce may be from the server's clock, in the past or the future.</summary>
    public TimeSpan Window { get; }

    /// <summary>Accepts <paramref name="nonce"/> for <paramref name="senderIdentity"/> once, or throws.</summary>
    /// <param name="senderIdentity">The <c>Sender-Public-Key</c> text, else the client address.</param>
    /// <param name="nonce">The <c>Nonce</c> header value (ISO-8601 with offset, see <see cref="Nonce.TryParse"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="senderIdentity"/> is null.</exception>
    /// <exception cref="EnvelopeException">
    /// 412 when the nonce is missing or unparseable, older than the window (stale), more than the window ahead
    /// (future), or already used by this sender (replayed); 503 when the store is full. The detail says which.
    /// </exception>
    public void Check(string senderIdentity, string? nonce)
    {
        ArgumentNullException.ThrowIfNull(senderIdentity);
        if (!Nonce.TryParse(nonce, out var instant))
        {
            throw new EnvelopeException(412,
                "The Nonce header is missing or not an ISO-8601 timestamp with offset (usrv: e.g. 2026-11-22T01:17:17.123456+00:00).");
        }

        var now = _time.GetUtcNow();
        var seconds = Window.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        if (instant < now - Window)
        {
            throw new EnvelopeException(412,
                $"The nonce is stale: {nonce} is more than {seconds} s before the server's clock ({Nonce.Format(now)}). Send a fresh one.");
        }

        if (instant > now + Window)
        {
            throw new EnvelopeException(412,
                $"The nonce is too far in the future: {nonce} is more than {seconds} s ahead of the server's clock ({Nonce.Format(now)}). Check the client's clock.");
        }

        // Canonical text by instant ("O" keeps all 7 fraction digits); entries outlive their use by nothing.
        var canonical = instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        switch (_store.Record(senderIdentity, canonical, instant + Window))
        {
            case NonceRecordResult.Recorded:
                return;
            case NonceRecordResult.Replayed:
                throw new EnvelopeException(412, $"The nonce was replayed: this sender already used {nonce}. Each request needs a new one.");
            default:
                throw new EnvelopeException(503, "The replay guard's nonce store is full; retry in a few seconds.");
        }
    }
}
