namespace Usrv.Route.Client;

/// <summary>
/// The instants a peer puts in the <c>Nonce</c> of its sealed calls (DESIGN, Sealed calls, request step 1: UTC, to the
/// microsecond). A server records (sender, nonce) and refuses a repeat (step f), so the nonces of one sender must never
/// repeat: two calls in the same microsecond get consecutive microseconds. Thread-safe.
/// </summary>
internal sealed class NonceClock
{
    private long _lastTicks;

    /// <summary>Now, rounded down to the microsecond, and later than every instant given before.</summary>
    public DateTimeOffset Next()
    {
        long now = DateTimeOffset.UtcNow.UtcTicks / 10 * 10;
        long last, next;
        do
        {
            last = Interlocked.Read(ref _lastTicks);
            next = Math.Max(now, last + 10);
        }
        while (Interlocked.CompareExchange(ref _lastTicks, next, last) != last);
        return new DateTimeOffset(next, TimeSpan.Zero);
    }
}
