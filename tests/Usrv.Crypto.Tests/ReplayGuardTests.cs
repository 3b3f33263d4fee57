namespace Usrv.Crypto.Tests;

/// <summary>
/// usrv/2 steps d and f (DESIGN, Sealed calls: the usrv/2 scheme; DESIGN, Keys, senders, replay): one clock read, the
/// window, one record per x-only sender and instant.
/// </summary>
public class ReplayGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 19, 0, 0, TimeSpan.Zero);

    private static PublicKey Sender() => PrivateKey.Generate().PublicKey;

    [Fact]
    public async Task A_fresh_nonce_is_recorded_once()
    {
        var guard = new ReplayGuard(time: new FakeTimeProvider(Start));
        var sender = Sender();
        await guard.RecordAsync(sender, Start, guard.Now());
        var replay = await Assert.ThrowsAsync<EnvelopeException>(() => guard.RecordAsync(sender, Start, guard.Now()).AsTask());
        Assert.Equal(412, replay.Status);
        Assert.Contains("replayed", replay.Message);
    }

    [Fact]
    public async Task A_key_in_another_encoding_is_the_same_sender()
    {
        var guard = new ReplayGuard(time: new FakeTimeProvider(Start));
        using var key = PrivateKey.Generate();
        await guard.RecordAsync(key.PublicKey, Start, guard.Now());
        var uncompressed = PublicKey.FromBytes(key.PublicKey.ToUncompressed());
        var xOnly = PublicKey.FromXOnly(key.PublicKey.XOnly); // the other parity: the same BIP340 signer
        await Assert.ThrowsAsync<EnvelopeException>(() => guard.RecordAsync(uncompressed, Start, guard.Now()).AsTask());
        await Assert.ThrowsAsync<EnvelopeException>(() => guard.RecordAsync(xOnly, Start, guard.Now()).AsTask());
    }

    [Fact]
    public async Task The_same_instant_written_another_way_is_still_a_replay()
    {
        var guard = new ReplayGuard(time: new FakeTimeProvider(Start));
        var sender = Sender();
        Assert.True(Nonce.TryParse("2026-12-01T19:00:00.000000+00:00", out var a));
        Assert.True(Nonce.TryParse("2026-12-01T20:00:00Z".Replace("20:", "19:"), out var b));
        await guard.RecordAsync(sender, a, guard.Now());
        await Assert.ThrowsAsync<EnvelopeException>(() => guard.RecordAsync(sender, b, guard.Now()).AsTask());
    }

    [Fact]
    public async Task Another_sender_may_use_the_same_nonce()
    {
        var guard = new ReplayGuard(time: new FakeTimeProvider(Start));
        await guard.RecordAsync(Sender(), Start, guard.Now());
        await guard.RecordAsync(Sender(), Start, guard.Now());
    }

    [Theory]
    [InlineData(-10.001, "stale")]
    [InlineData(10.001, "future")]
    public void A_nonce_outside_the_window_is_412(double seconds, string word)
    {
        var guard = new ReplayGuard(time: new FakeTimeProvider(Start));
        var e = Assert.Throws<EnvelopeException>(() => guard.CheckWindow(Start.AddSeconds(seconds), guard.Now(), "n"));
        Assert.Equal(412, e.Status);
        Assert.Contains(word, e.Message);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(0)]
    [InlineData(10)]
    public void A_nonce_inside_the_window_passes(double seconds)
    {
        var guard = new ReplayGuard(time: new FakeTimeProvider(Start));
        guard.CheckWindow(Start.AddSeconds(seconds), guard.Now(), "n");
    }

    [Fact]
    public void The_window_can_be_changed_and_must_be_positive()
    {
        var guard = new ReplayGuard(window: TimeSpan.FromSeconds(60), time: new FakeTimeProvider(Start));
        guard.CheckWindow(Start.AddSeconds(-59), guard.Now(), "n");
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(window: TimeSpan.Zero));
    }

    [Fact]
    public async Task A_full_store_is_503_not_a_silent_accept()
    {
        var guard = new ReplayGuard(new MemoryNonceStore(capacity: 1), time: new FakeTimeProvider(Start));
        await guard.RecordAsync(Sender(), Start, guard.Now());
        var e = await Assert.ThrowsAsync<EnvelopeException>(() => guard.RecordAsync(Sender(), Start, guard.Now()).AsTask());
        Assert.Equal(503, e.Status);
    }
}
